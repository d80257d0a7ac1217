using System;
using System.Collections.Generic;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// Collects the alerts a command's own engine calls raise. It subscribes once per command and monitor (not
    /// once per pipeline object) and keeps only alerts raised while one of the command's calls runs on the
    /// command's own thread: the engine raises <see cref="StateMonitor.AlertRaised"/> synchronously on the
    /// thread that made the call, so alerts from other runspaces sharing the monitor, and from commands further
    /// down the pipeline (which run on this thread, but between this command's calls), are not this command's.
    /// </summary>
    internal sealed class AlertCapture : IDisposable
    {
        private readonly int _ownerThreadId = Environment.CurrentManagedThreadId;
        private readonly List<ResourceAlert> _alerts = new List<ResourceAlert>();
        private bool _listening;

        private AlertCapture(StateMonitor monitor)
        {
            Monitor = monitor;
            Monitor.AlertRaised += OnAlertRaised;
        }

        public StateMonitor Monitor { get; }

        public static AlertCapture Start(StateMonitor monitor) => new AlertCapture(monitor);

        /// <summary>Runs one engine call, collecting the alerts it raises; read them with <see cref="TakeAlerts"/>.</summary>
        /// <remarks>The state is passed in, so that a call in a loop needs no closure (Add-Allocation -Allocation).</remarks>
        public T Run<TState, T>(TState state, Func<TState, T> operation)
        {
            _listening = true;
            try
            {
                return operation(state);
            }
            finally
            {
                _listening = false;
            }
        }

        /// <summary>The alerts collected since the last call, in the order they were raised.</summary>
        public ResourceAlert[] TakeAlerts()
        {
            if (_alerts.Count == 0)
            {
                return Array.Empty<ResourceAlert>();
            }

            ResourceAlert[] alerts = _alerts.ToArray();
            _alerts.Clear();
            return alerts;
        }

        public void Dispose() => Monitor.AlertRaised -= OnAlertRaised;

        private void OnAlertRaised(object? sender, AlertRaisedEventArgs e)
        {
            // Only the owner thread adds, and only while it runs a call, so the list needs no lock.
            if (_listening && Environment.CurrentManagedThreadId == _ownerThreadId)
            {
                _alerts.Add(e.Alert);
            }
        }
    }
}
