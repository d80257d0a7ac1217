using System;

namespace AgentFlow.Resources
{
    /// <summary>How <see cref="StateMonitor.Allocate(string, long, AllocationOptions)"/> records an allocation.</summary>
    [Flags]
    public enum AllocationOptions
    {
        /// <summary>Record it, unpinned, and return only the outcome.</summary>
        None = 0,

        /// <summary>Pin the entry: no cleanup evicts it.</summary>
        Pin = 1,

        /// <summary>
        /// Also return the entry as recorded and the entries the operation evicted
        /// (<see cref="AllocationResult.Entry"/>, <see cref="AllocationResult.Evicted"/>). Costs an allocation,
        /// so the hot path leaves it off.
        /// </summary>
        ReturnEntries = 2,
    }
}
