using System;
using System.Collections.Generic;

namespace AgentFlow.Resources.Tracking
{
    /// <summary>
    /// Alerts and evictions an operation produced under its lock, delivered to event handlers after the
    /// lock is released. Stays empty (and allocates nothing) on the common path where nothing happens.
    /// </summary>
    internal struct Notifications
    {
        public List<ResourceAlert>? Alerts;
        public List<EvictedEventArgs>? Evictions;

        public void AddEviction(AllocationEntry entry, EvictionReason reason) =>
            (Evictions ??= new List<EvictedEventArgs>()).Add(new EvictedEventArgs(entry, reason));
    }

    /// <summary>Creates alerts for one monitor, queues them, and notes them for the events.</summary>
    internal sealed class AlertPublisher
    {
        public AlertPublisher(string monitorName, int capacity)
        {
            MonitorName = monitorName;
            Queue = new AlertQueue(capacity);
        }

        public string MonitorName { get; }

        public AlertQueue Queue { get; }

        public void ApproachingLimit(ref Notifications notifications, LimitedResource resource, long current, long limit) =>
            Publish(ref notifications, new ApproachingLimitAlert(MonitorName, DateTime.UtcNow, resource, (double)current / limit, current, limit));

        public void LimitExceeded(ref Notifications notifications, LimitedResource resource, long current, long limit, string key) =>
            Publish(ref notifications, new LimitExceededAlert(MonitorName, DateTime.UtcNow, resource, current, limit, key));

        public void CleanupTriggered(ref Notifications notifications, long freed, int removed, bool automatic) =>
            Publish(ref notifications, new CleanupTriggeredAlert(MonitorName, DateTime.UtcNow, freed, removed, automatic));

        public void CleanupFailed(ref Notifications notifications, string message) =>
            Publish(ref notifications, new CleanupFailedAlert(MonitorName, DateTime.UtcNow, message));

        private void Publish(ref Notifications notifications, ResourceAlert alert)
        {
            Queue.Enqueue(alert);
            (notifications.Alerts ??= new List<ResourceAlert>()).Add(alert);
        }
    }
}
