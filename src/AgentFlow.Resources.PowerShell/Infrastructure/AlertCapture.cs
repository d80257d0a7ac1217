using System;
using System.Collections.Generic;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// Collects the alerts a command's own engine calls raise. The engine raises <see cref="StateMonitor.AlertRaised"/>
    /// synchronously on the thread that made the call, so alerts raised on any other thread (another runspace
    /// sharing the monitor) belong to someone else and are ignored.
    /// </summary>
    internal sealed class AlertCapture : IDisposable
    {
        private readonly StateMonitor _monitor;
        private readonly int _ownerThreadId = Environment.CurrentManagedThreadId;
        private readonly List<ResourceAlert> _alerts = new List<ResourceAlert>();

        private AlertCapture(StateMonitor monitor)
        {
            _monitor = monitor;
            _monitor.AlertRaised += OnAlertRaised;
        }

        /// <summary>The alerts captured so far, in the order they were raised. Read on the owner thread only.</summary>
        public IReadOnlyList<ResourceAlert> Alerts => _alerts;

        public static AlertCapture Start(StateMonitor monitor) => new AlertCapture(monitor);

        public void Dispose() => _monitor.AlertRaised -= OnAlertRaised;

        private void OnAlertRaised(object? sender, AlertRaisedEventArgs e)
        {
            // Only the owner thread adds, so the list needs no lock.
            if (Environment.CurrentManagedThreadId == _ownerThreadId)
            {
                _alerts.Add(e.Alert);
            }
        }
    }
}
