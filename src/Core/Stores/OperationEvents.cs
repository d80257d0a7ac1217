using System;
using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>
    /// The alerts and evictions one store operation produced. A store fills it while it holds its lock; the
    /// <see cref="StateMonitor"/> delivers it to event handlers after the lock is released. Stays empty (and
    /// allocates nothing) on the common path where nothing happens.
    /// </summary>
    public struct OperationEvents
    {
        private static readonly ResourceAlert[] NoAlerts = new ResourceAlert[0];
        private static readonly EvictedEventArgs[] NoEvictions = new EvictedEventArgs[0];

        private List<ResourceAlert>? _alerts;
        private List<EvictedEventArgs>? _evictions;

        /// <summary>The alerts raised, in order.</summary>
        public readonly IReadOnlyList<ResourceAlert> Alerts => (IReadOnlyList<ResourceAlert>?)_alerts ?? NoAlerts;

        /// <summary>The entries evicted, in order.</summary>
        public readonly IReadOnlyList<EvictedEventArgs> Evictions => (IReadOnlyList<EvictedEventArgs>?)_evictions ?? NoEvictions;

        /// <summary>Notes an alert the store raised (the store has already queued it).</summary>
        public void Add(ResourceAlert alert)
        {
            if (alert == null)
            {
                throw new ArgumentNullException(nameof(alert));
            }

            (_alerts ??= new List<ResourceAlert>()).Add(alert);
        }

        /// <summary>Notes an entry the store evicted.</summary>
        public void AddEviction(AllocationEntry entry, EvictionReason reason)
        {
            if (entry == null)
            {
                throw new ArgumentNullException(nameof(entry));
            }

            (_evictions ??= new List<EvictedEventArgs>()).Add(new EvictedEventArgs(entry, reason));
        }
    }
}
