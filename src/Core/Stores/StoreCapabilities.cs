using System;

namespace AgentFlow.Resources
{
    /// <summary>
    /// What a <see cref="StateStore"/> can do beyond the common core (record, deallocate by size, totals, limits,
    /// alerts). Callers ask for a capability instead of asking which kind of store they hold.
    /// </summary>
    [Flags]
    public enum StoreCapabilities
    {
        /// <summary>Totals only: no per-key data.</summary>
        None = 0,

        /// <summary>Keeps one entry per key: replace, look up, list and remove by key alone.</summary>
        Entries = 1,

        /// <summary>Keeps least-recently-used order: access, LRU keys.</summary>
        LruOrder = 2,

        /// <summary>Entries can be pinned so that no cleanup evicts them.</summary>
        Pinning = 4,

        /// <summary>Evicts by itself (automatic cleanup, admission) and on demand (Cleanup, PlanCleanup).</summary>
        Cleanup = 8,

        /// <summary>Its whole state can be exported as a <see cref="StoreState"/> and a store restored from one.</summary>
        Snapshots = 16,

        /// <summary>Its state is shared with other processes or hosts (one budget for all of them).</summary>
        Shared = 32,

        /// <summary>Everything a per-key, in-process store offers.</summary>
        Detailed = Entries | LruOrder | Pinning | Cleanup,
    }
}
