namespace AgentFlow.Resources
{
    /// <summary>
    /// A store's totals and counters at one moment: what <see cref="ResourceStats"/> shows and what a snapshot
    /// keeps. A plain struct so that reading it allocates nothing.
    /// </summary>
    public struct StoreCounters
    {
        /// <summary>Resident bytes.</summary>
        public long CurrentSize;

        /// <summary>Entries tracked.</summary>
        public long ValueCount;

        /// <summary>The highest CurrentSize since creation or the last reset.</summary>
        public long PeakSize;

        /// <summary>Resident bytes of pinned entries.</summary>
        public long PinnedSize;

        /// <summary>Pinned entries.</summary>
        public long PinnedCount;

        /// <summary>Streamed entries.</summary>
        public long StreamedCount;

        /// <summary>Full sizes of streamed entries.</summary>
        public long StreamedBytes;

        /// <summary>Entries evicted by any cleanup.</summary>
        public long TotalEvictions;

        /// <summary>Resident bytes freed by evictions.</summary>
        public long EvictedBytes;

        /// <summary>Allocations rejected by a limit.</summary>
        public long RejectedAllocations;

        /// <summary>Allocations recorded (accepted), replacements included.</summary>
        public long RecordedAllocations;
    }
}
