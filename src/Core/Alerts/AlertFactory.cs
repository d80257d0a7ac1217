using System;

namespace AgentFlow.Resources
{
    /// <summary>Makes the alerts of one monitor: its name and the time, so that stores only say what happened.</summary>
    public sealed class AlertFactory
    {
        /// <summary>Creates a factory for the monitor named <paramref name="monitorName"/>.</summary>
        public AlertFactory(string monitorName)
        {
            MonitorName = monitorName ?? throw new ArgumentNullException(nameof(monitorName));
        }

        /// <summary>The clock alerts are stamped by (the monitor's; the system clock until a monitor sets its own).</summary>
        internal UsageClock Clock { get; set; } = UsageClock.System;

        /// <summary>The monitor named in every alert.</summary>
        public string MonitorName { get; }

        /// <summary>Usage crossed the cleanup threshold upwards.</summary>
        public ResourceAlert ApproachingLimit(LimitedResource resource, long current, long limit) =>
            new ApproachingLimitAlert(MonitorName, Clock.ExactUtcNow, resource, (double)current / limit, current, limit);

        /// <summary>An allocation was rejected.</summary>
        public ResourceAlert LimitExceeded(LimitedResource resource, long current, long limit, string key) =>
            new LimitExceededAlert(MonitorName, Clock.ExactUtcNow, resource, current, limit, key);

        /// <summary>A cleanup run evicted entries.</summary>
        public ResourceAlert CleanupTriggered(long freed, int removed, bool automatic) =>
            new CleanupTriggeredAlert(MonitorName, Clock.ExactUtcNow, freed, removed, automatic);

        /// <summary>A cleanup could not reach its target.</summary>
        public ResourceAlert CleanupFailed(string message) =>
            new CleanupFailedAlert(MonitorName, Clock.ExactUtcNow, message);
    }
}
