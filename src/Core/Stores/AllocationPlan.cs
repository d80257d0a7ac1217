using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>
    /// What <see cref="StateMonitor.Allocate(string, long, AllocationOptions)"/> would do now, computed without changing
    /// anything (for -WhatIf and -Confirm): whether the allocation would be recorded or rejected, and which entries
    /// automatic cleanup would evict to admit it and at the cleanup threshold after it, least recently used first.
    /// </summary>
    public sealed class AllocationPlan
    {
        private AllocationPlan(string monitorName, string key, long size, long residentSize, bool isStreamed, bool pin, AllocationEntry? replaced, Admission admission, in StoreCounters before, long sizeAfter, long countAfter, IReadOnlyList<AllocationEntry> evictions, long bytesToFree)
        {
            MonitorName = monitorName;
            Key = key;
            Size = size;
            ResidentSize = residentSize;
            IsStreamed = isStreamed;
            Pin = pin;
            Replaced = replaced;
            WouldRecord = admission.Verdict != AdmissionVerdict.Reject;
            RejectedResource = admission.RejectedResource;
            AttemptedValue = admission.AttemptedValue;
            Limit = admission.Limit;
            CleanupCannotHelp = admission.CleanupCannotHelp;
            SizeBefore = before.CurrentSize;
            CountBefore = before.ValueCount;
            PinnedCount = before.PinnedCount;
            SizeAfter = sizeAfter;
            CountAfter = countAfter;
            Evictions = evictions;
            BytesToFree = bytesToFree;
        }

        /// <summary>The monitor planned for.</summary>
        public string MonitorName { get; }

        /// <summary>The key.</summary>
        public string Key { get; }

        /// <summary>The full size of the value.</summary>
        public long Size { get; }

        /// <summary>The bytes the entry would count against MaxStateSize (one chunk when streamed).</summary>
        public long ResidentSize { get; }

        /// <summary>True when the value would be admitted as a streamed entry.</summary>
        public bool IsStreamed { get; }

        /// <summary>True when the entry would be pinned.</summary>
        public bool Pin { get; }

        /// <summary>The entry the allocation would replace, or null when the key is new (or the store keeps no entries).</summary>
        public AllocationEntry? Replaced { get; }

        /// <summary>True when the allocation would be recorded; false when a limit would reject it (nothing would change).</summary>
        public bool WouldRecord { get; }

        /// <summary>When rejected: the limit that would be exceeded.</summary>
        public LimitedResource RejectedResource { get; }

        /// <summary>When rejected: the value (bytes or entries) the allocation would reach.</summary>
        public long AttemptedValue { get; }

        /// <summary>When rejected: the limit.</summary>
        public long Limit { get; }

        /// <summary>When rejected with automatic cleanup on: even evicting every unpinned entry would not make room.</summary>
        public bool CleanupCannotHelp { get; }

        /// <summary>Resident bytes now.</summary>
        public long SizeBefore { get; }

        /// <summary>Entries now.</summary>
        public long CountBefore { get; }

        /// <summary>Pinned entries now (they are never evicted).</summary>
        public long PinnedCount { get; }

        /// <summary>Resident bytes after the allocation and its evictions (SizeBefore when rejected).</summary>
        public long SizeAfter { get; }

        /// <summary>Entries after the allocation and its evictions (CountBefore when rejected).</summary>
        public long CountAfter { get; }

        /// <summary>The entries automatic cleanup would evict, least recently used first: to admit the value, then at the threshold.</summary>
        public IReadOnlyList<AllocationEntry> Evictions { get; }

        /// <summary>Resident bytes the evictions would free.</summary>
        public long BytesToFree { get; }

        /// <summary>
        /// Plans an allocation as the stores record one: <see cref="Admission.Decide"/>, then evictions to admit it, then the
        /// value is applied, then the threshold cleanup (down to the cleanup target, or just below the threshold when pins
        /// keep the target out of reach). A pure function of its arguments, so that every store plans as the in-memory
        /// store records.
        /// </summary>
        /// <param name="monitorName">The monitor's name.</param>
        /// <param name="limits">The limits.</param>
        /// <param name="counters">The totals now.</param>
        /// <param name="existing">The key's entry now, or null.</param>
        /// <param name="evictableOldestFirst">
        /// The unpinned entries, least recently used first; read lazily, only as far as the plan needs. Empty for a
        /// store that cannot evict (<paramref name="canEvict"/> false).
        /// </param>
        /// <param name="key">The key.</param>
        /// <param name="size">The full size of the value.</param>
        /// <param name="pin">True to pin the entry.</param>
        /// <param name="canEvict">False for a store without <see cref="StoreCapabilities.Cleanup"/>: it rejects what does not fit.</param>
        public static AllocationPlan Create(string monitorName, ResourceLimits limits, in StoreCounters counters, AllocationEntry? existing, IEnumerable<AllocationEntry> evictableOldestFirst, string key, long size, bool pin, bool canEvict)
        {
            bool exists = existing != null;
            long oldCharge = exists ? existing!.ResidentSize : 0;

            // A store that cannot evict admits as automatic cleanup off does: what does not fit is rejected.
            ResourceLimits admissionLimits = canEvict || !limits.AutoCleanup ? limits : limits.ToBuilder().AutoCleanup(false).Build();
            Admission admission = Admission.Decide(admissionLimits, counters, size, exists, oldCharge, exists && existing!.IsPinned);
            var evictions = new List<AllocationEntry>();
            if (admission.Verdict == AdmissionVerdict.Reject)
            {
                return new AllocationPlan(monitorName, key, size, admission.Charge, false, pin, existing, admission, counters, counters.CurrentSize, counters.ValueCount, evictions, 0);
            }

            long bytes = counters.CurrentSize;
            long count = counters.ValueCount;
            long freed = 0;
            using (IEnumerator<AllocationEntry> oldest = evictableOldestFirst.GetEnumerator())
            {
                if (admission.Verdict == AdmissionVerdict.EvictThenAdmit)
                {
                    EvictWhile(oldest, key, admission.EvictToBytes, admission.EvictToCount, evictions, ref bytes, ref count, ref freed);
                }

                bytes += admission.Charge - oldCharge;
                count += exists ? 0 : 1;

                // The pins once the value is recorded: a pinned key changes its charge, -Pin pins it.
                bool keyPinnedAfter = pin || (exists && existing!.IsPinned);
                long pinnedBytes = counters.PinnedSize - (exists && existing!.IsPinned ? oldCharge : 0) + (keyPinnedAfter ? admission.Charge : 0);
                long pinnedCount = counters.PinnedCount - (exists && existing!.IsPinned ? 1 : 0) + (keyPinnedAfter ? 1 : 0);
                if (canEvict && limits.AutoCleanup && (bytes >= limits.CleanupThresholdBytes || count >= limits.CleanupThresholdEntries))
                {
                    // As the stores clean up after the threshold: down to the target when the pins allow it; when they keep
                    // the target out of reach, only to just below the threshold, and not at all when even that is out of
                    // reach. The stores restart from the oldest entry; every entry before this point was evicted or is the key.
                    if (pinnedBytes <= limits.CleanupTargetBytes && pinnedCount <= limits.CleanupTargetEntries)
                    {
                        EvictWhile(oldest, key, limits.CleanupTargetBytes, limits.CleanupTargetEntries, evictions, ref bytes, ref count, ref freed);
                    }
                    else if (pinnedBytes + (keyPinnedAfter ? 0 : admission.Charge) < limits.CleanupThresholdBytes
                        && pinnedCount + (keyPinnedAfter ? 0 : 1) < limits.CleanupThresholdEntries)
                    {
                        EvictWhile(oldest, key, limits.CleanupThresholdBytes - 1, limits.CleanupThresholdEntries - 1, evictions, ref bytes, ref count, ref freed);
                    }
                }
            }

            return new AllocationPlan(monitorName, key, size, admission.Charge, admission.IsStreamed, pin, existing, admission, counters, bytes, count, evictions, freed);
        }

        private static void EvictWhile(IEnumerator<AllocationEntry> oldest, string key, long maxBytes, long maxCount, List<AllocationEntry> evictions, ref long bytes, ref long count, ref long freed)
        {
            while ((bytes > maxBytes || count > maxCount) && oldest.MoveNext())
            {
                AllocationEntry entry = oldest.Current;
                if (entry.IsPinned || entry.Key == key)
                {
                    // Pins are never evicted, and the entry being recorded is protected.
                    continue;
                }

                evictions.Add(entry);
                bytes -= entry.ResidentSize;
                count--;
                freed += entry.ResidentSize;
            }
        }
    }
}
