using System;

namespace AgentFlow.Resources
{
    /// <summary>Why an entry was evicted.</summary>
    public enum EvictionReason
    {
        /// <summary>Evicted to make room for an allocation that would have exceeded a hard limit.</summary>
        Admission,

        /// <summary>Evicted by automatic cleanup after usage reached the cleanup threshold.</summary>
        Threshold,

        /// <summary>Evicted by an explicit <see cref="StateMonitor.Cleanup"/>.</summary>
        Manual,

        /// <summary>Evicted by automatic cleanup started early because exhaustion was predicted (the limits' PredictiveCleanup).</summary>
        Predicted,
    }

    /// <summary>Data of the <see cref="StateMonitor.Evicted"/> event.</summary>
    public sealed class EvictedEventArgs : EventArgs
    {
        /// <summary>Creates the event data.</summary>
        public EvictedEventArgs(AllocationEntry entry, EvictionReason reason)
        {
            Entry = entry;
            Reason = reason;
        }

        /// <summary>The entry as it was when evicted.</summary>
        public AllocationEntry Entry { get; }

        /// <summary>Why it was evicted.</summary>
        public EvictionReason Reason { get; }
    }

    /// <summary>Data of the <see cref="StateMonitor.AlertRaised"/> event.</summary>
    public sealed class AlertRaisedEventArgs : EventArgs
    {
        /// <summary>Creates the event data.</summary>
        public AlertRaisedEventArgs(ResourceAlert alert)
        {
            Alert = alert;
        }

        /// <summary>The alert, also queued for <see cref="StateMonitor.GetAlerts()"/>.</summary>
        public ResourceAlert Alert { get; }
    }
}
