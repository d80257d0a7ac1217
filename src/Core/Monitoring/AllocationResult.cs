namespace AgentFlow.Resources
{
    /// <summary>What <see cref="StateMonitor.Allocate"/> did. A struct, so that recording allocates nothing.</summary>
    public readonly struct AllocationResult
    {
        private AllocationResult(bool recorded, bool replaced, bool isStreamed, long residentSize, int entriesEvicted, LimitedResource rejectedResource, long attemptedValue, long limit)
        {
            Recorded = recorded;
            Replaced = replaced;
            IsStreamed = isStreamed;
            ResidentSize = residentSize;
            EntriesEvicted = entriesEvicted;
            RejectedResource = rejectedResource;
            AttemptedValue = attemptedValue;
            Limit = limit;
        }

        /// <summary>True when the allocation was recorded.</summary>
        public bool Recorded { get; }

        /// <summary>True when an existing entry was replaced.</summary>
        public bool Replaced { get; }

        /// <summary>True when the value was admitted as a streamed entry.</summary>
        public bool IsStreamed { get; }

        /// <summary>The bytes the entry now counts against MaxStateSize.</summary>
        public long ResidentSize { get; }

        /// <summary>How many entries were evicted to admit it or by the automatic cleanup that followed.</summary>
        public int EntriesEvicted { get; }

        /// <summary>When rejected: the limit that would have been exceeded.</summary>
        public LimitedResource RejectedResource { get; }

        /// <summary>When rejected: the value (bytes or entries) the allocation would have reached.</summary>
        public long AttemptedValue { get; }

        /// <summary>When rejected: the limit.</summary>
        public long Limit { get; }

        internal static AllocationResult Accepted(bool replaced, bool isStreamed, long residentSize, int entriesEvicted) =>
            new AllocationResult(true, replaced, isStreamed, residentSize, entriesEvicted, default, 0, 0);

        internal static AllocationResult Rejected(LimitedResource resource, long attemptedValue, long limit) =>
            new AllocationResult(false, false, false, 0, 0, resource, attemptedValue, limit);
    }
}
