using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>What <see cref="StateMonitor.Allocate(string, long, bool)"/> did. A struct, so that recording allocates nothing.</summary>
    public readonly struct AllocationResult
    {
        private static readonly AllocationEntry[] NoEntries = new AllocationEntry[0];

        private readonly IReadOnlyList<AllocationEntry>? _evicted;

        private AllocationResult(bool recorded, bool replaced, bool isStreamed, long residentSize, int entriesEvicted, LimitedResource rejectedResource, long attemptedValue, long limit, AllocationEntry? entry, IReadOnlyList<AllocationEntry>? evicted)
        {
            Recorded = recorded;
            Replaced = replaced;
            IsStreamed = isStreamed;
            ResidentSize = residentSize;
            EntriesEvicted = entriesEvicted;
            RejectedResource = rejectedResource;
            AttemptedValue = attemptedValue;
            Limit = limit;
            Entry = entry;
            _evicted = evicted;
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

        /// <summary>With <see cref="AllocationOptions.ReturnEntries"/>: the entry as recorded (null when rejected).</summary>
        public AllocationEntry? Entry { get; }

        /// <summary>With <see cref="AllocationOptions.ReturnEntries"/>: the entries this operation evicted, least recently used first.</summary>
        public IReadOnlyList<AllocationEntry> Evicted => _evicted ?? NoEntries;

        /// <summary>An accepted allocation (for stores).</summary>
        public static AllocationResult Accepted(bool replaced, bool isStreamed, long residentSize, int entriesEvicted, AllocationEntry? entry = null) =>
            new AllocationResult(true, replaced, isStreamed, residentSize, entriesEvicted, default, 0, 0, entry, null);

        /// <summary>A rejected allocation (for stores): nothing changed.</summary>
        public static AllocationResult Rejected(LimitedResource resource, long attemptedValue, long limit) =>
            new AllocationResult(false, false, false, 0, 0, resource, attemptedValue, limit, null, null);

        /// <summary>The same result carrying the entries an operation evicted.</summary>
        internal AllocationResult WithEvicted(IReadOnlyList<AllocationEntry> evicted) =>
            new AllocationResult(Recorded, Replaced, IsStreamed, ResidentSize, EntriesEvicted, RejectedResource, AttemptedValue, Limit, Entry, evicted);
    }
}
