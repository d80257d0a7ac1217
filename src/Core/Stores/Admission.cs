namespace AgentFlow.Resources
{
    /// <summary>What admission decided for one allocation.</summary>
    public enum AdmissionVerdict
    {
        /// <summary>It fits as it is.</summary>
        Admit,

        /// <summary>It fits once least-recently-used unpinned entries are evicted down to the bounds given.</summary>
        EvictThenAdmit,

        /// <summary>It is rejected; nothing changes.</summary>
        Reject,
    }

    /// <summary>
    /// The admission rules, as a pure function of the limits and the totals before the change, so that every
    /// store decides the same way: the value limit (or the streaming charge), then the hard limits on the state
    /// after the change, evicting only when automatic cleanup is on and only when evicting every unpinned entry
    /// could make room. Sums are compared by subtraction: limits may be as large as long.MaxValue.
    /// </summary>
    public readonly struct Admission
    {
        private Admission(AdmissionVerdict verdict, long charge, bool streamed, LimitedResource resource, long attempted, long limit, bool cleanupCannotHelp, long evictToBytes, long evictToCount, long keptBytes, long keptCount)
        {
            Verdict = verdict;
            Charge = charge;
            IsStreamed = streamed;
            RejectedResource = resource;
            AttemptedValue = attempted;
            Limit = limit;
            CleanupCannotHelp = cleanupCannotHelp;
            EvictToBytes = evictToBytes;
            EvictToCount = evictToCount;
            KeptBytes = keptBytes;
            KeptCount = keptCount;
        }

        /// <summary>Admit, evict then admit, or reject.</summary>
        public AdmissionVerdict Verdict { get; }

        /// <summary>The resident charge of the value (one chunk when streamed).</summary>
        public long Charge { get; }

        /// <summary>True when the value is admitted as a streamed entry.</summary>
        public bool IsStreamed { get; }

        /// <summary>When rejected: the limit that would be exceeded.</summary>
        public LimitedResource RejectedResource { get; }

        /// <summary>When rejected: the value the allocation would have reached.</summary>
        public long AttemptedValue { get; }

        /// <summary>When rejected: the limit.</summary>
        public long Limit { get; }

        /// <summary>When rejected with automatic cleanup on: even evicting every unpinned entry would not make room (CleanupFailed).</summary>
        public bool CleanupCannotHelp { get; }

        /// <summary>When evicting: evict while resident bytes are above this.</summary>
        public long EvictToBytes { get; }

        /// <summary>When evicting: evict while entries are above this.</summary>
        public long EvictToCount { get; }

        /// <summary>When cleanup cannot help: the bytes that would stay (pinned entries other than the key, plus the value).</summary>
        public long KeptBytes { get; }

        /// <summary>When cleanup cannot help: the entries that would stay.</summary>
        public long KeptCount { get; }

        /// <summary>Decides admission of <paramref name="size"/> bytes under a key that exists or not.</summary>
        /// <param name="limits">The limits.</param>
        /// <param name="counters">The totals before the change.</param>
        /// <param name="size">The full size of the value.</param>
        /// <param name="exists">True when the key is already tracked (a replace).</param>
        /// <param name="oldCharge">The existing entry's resident charge (0 when new).</param>
        /// <param name="keyPinned">True when the existing entry is pinned.</param>
        public static Admission Decide(ResourceLimits limits, in StoreCounters counters, long size, bool exists, long oldCharge, bool keyPinned)
        {
            bool streamed = limits.IsStreamed(size);
            long charge = limits.ResidentSize(size);
            if (limits.ExceedsValueLimit(size) && !streamed)
            {
                return Rejected(charge, LimitedResource.ValueSize, size, limits.MaxValueSize, false, 0, 0);
            }

            long sizeWithoutKey = counters.CurrentSize - oldCharge;
            bool overState = charge > limits.MaxStateSize - sizeWithoutKey;
            long countAfter = counters.ValueCount + (exists ? 0 : 1);
            if (!overState && countAfter <= limits.MaxCacheEntries)
            {
                return new Admission(AdmissionVerdict.Admit, charge, streamed, default, 0, 0, false, 0, 0, 0, 0);
            }

            LimitedResource resource = overState ? LimitedResource.StateSize : LimitedResource.CacheEntries;
            long attempted = overState ? Saturating.Add(sizeWithoutKey, charge) : countAfter;
            long limit = overState ? limits.MaxStateSize : limits.MaxCacheEntries;
            if (!limits.AutoCleanup)
            {
                return Rejected(charge, resource, attempted, limit, false, 0, 0);
            }

            // No cleanup evicts pinned entries other than the key itself, so they and the value always stay.
            long keptBytes = counters.PinnedSize - (keyPinned ? oldCharge : 0);
            long keptCount = counters.PinnedCount - (keyPinned ? 1 : 0) + 1;
            if (charge > limits.MaxStateSize - keptBytes || keptCount > limits.MaxCacheEntries)
            {
                return Rejected(charge, resource, attempted, limit, true, Saturating.Add(keptBytes, charge), keptCount);
            }

            // Evict until current - oldCharge + charge fits, that is current <= MaxStateSize - charge + oldCharge.
            return new Admission(
                AdmissionVerdict.EvictThenAdmit,
                charge,
                streamed,
                default,
                0,
                0,
                false,
                Saturating.Add(limits.MaxStateSize - charge, oldCharge),
                limits.MaxCacheEntries - (exists ? 0 : 1),
                0,
                0);
        }

        /// <summary>The rejection as an <see cref="AllocationResult"/>.</summary>
        public AllocationResult ToRejectedResult() => AllocationResult.Rejected(RejectedResource, AttemptedValue, Limit);

        private static Admission Rejected(long charge, LimitedResource resource, long attempted, long limit, bool cleanupCannotHelp, long keptBytes, long keptCount) =>
            new Admission(AdmissionVerdict.Reject, charge, false, resource, attempted, limit, cleanupCannotHelp, 0, 0, keptBytes, keptCount);
    }
}
