using System;
using System.Collections.Generic;
using System.Threading;

namespace AgentFlow.Resources
{
    /// <summary>
    /// The fast store: atomic totals and nothing per key (no LRU, pins or cleanup). Limits are enforced with
    /// compare-and-swap loops, so a total is never seen above its limit; keys are not de-duplicated.
    /// </summary>
    public sealed class CountingStore : InProcessStore
    {
        private static readonly AllocationEntry[] NoEntries = new AllocationEntry[0];
        private static readonly string[] NoKeys = new string[0];
        private static readonly StoreEntry[] NoStoreEntries = new StoreEntry[0];

        private long _size;
        private long _count;
        private long _peak;
        private long _streamedCount;
        private long _streamedBytes;
        private long _rejected;

        /// <summary>Creates an empty store.</summary>
        /// <exception cref="ArgumentException">The limits are invalid, the name is blank, or <paramref name="maxAlerts"/> is below 1.</exception>
        public CountingStore(string name, ResourceLimits limits, int maxAlerts = StateMonitor.DefaultMaxAlerts)
            : base(name, limits, maxAlerts)
        {
        }

        /// <inheritdoc />
        public override StoreCapabilities Capabilities => StoreCapabilities.Snapshots;

        /// <inheritdoc />
        public override string Kind => "Counters";

        /// <inheritdoc />
        public override long CurrentSize => Read(ref _size);

        /// <inheritdoc />
        public override long ValueCount => Read(ref _count);

        /// <summary>A store with the counters of <paramref name="state"/> (which holds no entries).</summary>
        /// <exception cref="ArgumentException">The state is inconsistent; the message lists every problem.</exception>
        public static CountingStore Restore(string name, ResourceLimits limits, int maxAlerts, StoreState state)
        {
            if (state == null)
            {
                throw new ArgumentNullException(nameof(state));
            }

            var store = new CountingStore(name, limits, maxAlerts);
            IReadOnlyList<string> problems = state.Validate(limits, maxAlerts, store.Capabilities);
            if (problems.Count > 0)
            {
                throw new ArgumentException("The state cannot be restored: " + string.Join(" ", problems), nameof(state));
            }

            StoreCounters c = state.Counters;
            store._size = c.CurrentSize;
            store._count = c.ValueCount;
            store._peak = c.PeakSize;
            store._streamedCount = c.StreamedCount;
            store._streamedBytes = c.StreamedBytes;
            store._rejected = c.RejectedAllocations;
            store.RestoreAlerts(state);
            return store;
        }

        /// <inheritdoc />
        public override AllocationResult Allocate(string key, long size, AllocationOptions options, ref OperationEvents events)
        {
            bool streamed = Limits.IsStreamed(size);
            long charge = Limits.ResidentSize(size);
            if (Limits.ExceedsValueLimit(size) && !streamed)
            {
                return Reject(ref events, LimitedResource.ValueSize, size, Limits.MaxValueSize, key);
            }

            long sizeBefore;
            long sizeAfter;
            do
            {
                sizeBefore = Read(ref _size);

                // Compared by subtraction: limits may be as large as long.MaxValue, and a sum must not wrap.
                if (charge > Limits.MaxStateSize - sizeBefore)
                {
                    return Reject(ref events, LimitedResource.StateSize, Saturating.Add(sizeBefore, charge), Limits.MaxStateSize, key);
                }

                sizeAfter = sizeBefore + charge;
            }
            while (Interlocked.CompareExchange(ref _size, sizeAfter, sizeBefore) != sizeBefore);

            long countBefore;
            long countAfter;
            do
            {
                countBefore = Read(ref _count);
                countAfter = countBefore + 1;
                if (countAfter > Limits.MaxCacheEntries)
                {
                    // Give back the bytes reserved above; the entry was never admitted.
                    Interlocked.Add(ref _size, -charge);
                    return Reject(ref events, LimitedResource.CacheEntries, countAfter, Limits.MaxCacheEntries, key);
                }
            }
            while (Interlocked.CompareExchange(ref _count, countAfter, countBefore) != countBefore);

            if (streamed)
            {
                Interlocked.Increment(ref _streamedCount);
                Interlocked.Add(ref _streamedBytes, size);
            }

            RaisePeak(sizeAfter);
            if (sizeBefore < Limits.CleanupThresholdBytes && sizeAfter >= Limits.CleanupThresholdBytes)
            {
                Raise(ref events, AlertFactory.ApproachingLimit(LimitedResource.StateSize, sizeAfter, Limits.MaxStateSize));
            }

            if (countBefore < Limits.CleanupThresholdEntries && countAfter >= Limits.CleanupThresholdEntries)
            {
                Raise(ref events, AlertFactory.ApproachingLimit(LimitedResource.CacheEntries, countAfter, Limits.MaxCacheEntries));
            }

            AllocationEntry? entry = (options & AllocationOptions.ReturnEntries) != 0 ? new AllocationEntry(Name, key, size, charge, false, streamed) : null;
            return AllocationResult.Accepted(replaced: false, streamed, charge, entriesEvicted: 0, entry);
        }

        /// <inheritdoc />
        /// <remarks>Without a per-key map the size of the key is unknown: always null.</remarks>
        public override bool Remove(string key, bool returnEntry, out AllocationEntry? removed, ref OperationEvents events)
        {
            removed = null;
            return false;
        }

        /// <inheritdoc />
        public override bool Remove(string key, long size, bool returnEntry, out AllocationEntry? removed, ref OperationEvents events)
        {
            removed = null;
            bool streamed = Limits.IsStreamed(size);
            long charge = Limits.ResidentSize(size);

            // Every total is taken with a compare-and-swap that refuses to go below zero; a refusal gives back
            // what was already taken, so a caller error changes nothing.
            if (streamed)
            {
                if (!TryTake(ref _streamedCount, 1, out _))
                {
                    throw new ArgumentException($"Cannot deallocate {size} bytes for '{key}' as a streamed value: the fast monitor holds no streamed entries, so its streamed count would go below zero.", nameof(size));
                }

                if (!TryTake(ref _streamedBytes, size, out long streamedBytes))
                {
                    Interlocked.Increment(ref _streamedCount);
                    throw new ArgumentException($"Cannot deallocate {size} bytes for '{key}' as a streamed value: the fast monitor holds only {streamedBytes} streamed bytes, so that total would go below zero.", nameof(size));
                }
            }

            if (!TryTake(ref _count, 1, out _))
            {
                GiveBackStreamed(streamed, size);
                throw new ArgumentException($"Cannot deallocate '{key}': the fast monitor holds no entries, so the entry count would go below zero.", nameof(key));
            }

            if (!TryTake(ref _size, charge, out long sizeBefore))
            {
                Interlocked.Increment(ref _count);
                GiveBackStreamed(streamed, size);
                throw new ArgumentException($"Cannot deallocate {size} bytes for '{key}': the fast monitor holds only {sizeBefore} bytes, so its total would go below zero.", nameof(size));
            }

            removed = returnEntry ? new AllocationEntry(Name, key, size, charge, false, streamed) : null;
            return true;
        }

        /// <inheritdoc />
        public override bool Touch(string key) => false;

        /// <inheritdoc />
        public override bool SetPinned(string key, bool pinned) => false;

        /// <inheritdoc />
        public override AllocationEntry? Find(string key) => null;

        /// <inheritdoc />
        public override CleanupResult Cleanup(double targetPercentage, ref OperationEvents events)
        {
            Raise(ref events, AlertFactory.CleanupFailed(FastMonitorCannotClean));
            throw new InvalidOperationException(FastMonitorCannotClean);
        }

        /// <inheritdoc />
        public override CleanupPlan PlanCleanup(double targetPercentage) =>
            throw new InvalidOperationException(FastMonitorCannotClean);

        /// <inheritdoc />
        public override IReadOnlyList<string> GetLruKeys(int count) => NoKeys;

        /// <inheritdoc />
        public override IReadOnlyList<AllocationEntry> GetAllocations() => NoEntries;

        /// <inheritdoc />
        public override StoreState ExportState() =>
            new StoreState(NoStoreEntries, ReadCounters(), CurrentTriggers(), AlertQueue.Peek(), AlertQueue.Dropped);

        /// <inheritdoc />
        public override StoreCounters ReadCounters() =>
            new StoreCounters
            {
                CurrentSize = Read(ref _size),
                ValueCount = Read(ref _count),
                PeakSize = Read(ref _peak),
                StreamedCount = Read(ref _streamedCount),
                StreamedBytes = Read(ref _streamedBytes),
                RejectedAllocations = Read(ref _rejected),
            };

        /// <inheritdoc />
        public override void Reset()
        {
            ResetAlerts();
            Interlocked.Exchange(ref _size, 0);
            Interlocked.Exchange(ref _count, 0);
            Interlocked.Exchange(ref _peak, 0);
            Interlocked.Exchange(ref _streamedCount, 0);
            Interlocked.Exchange(ref _streamedBytes, 0);
            Interlocked.Exchange(ref _rejected, 0);
        }

        /// <summary>
        /// Reads a 64-bit total atomically. In a 64-bit process an aligned long is read atomically by a plain
        /// volatile load, whereas Interlocked.Read is a locked compare-exchange that costs as much as the update
        /// it precedes; it is kept for 32-bit processes only. The JIT folds the size test away. The
        /// compare-and-swap loops validate what they read, so their behaviour is the same either way.
        /// </summary>
        private static long Read(ref long location) => IntPtr.Size == 8 ? Volatile.Read(ref location) : Interlocked.Read(ref location);

        internal const string FastMonitorCannotClean = "Fast monitors keep no per-key data, so they cannot clean up. Create the monitor without fast mode to use cleanup, LRU order and pins.";

        /// <summary>Subtracts <paramref name="amount"/> unless that would take the total below zero.</summary>
        private static bool TryTake(ref long total, long amount, out long before)
        {
            do
            {
                before = Read(ref total);
                if (before - amount < 0)
                {
                    return false;
                }
            }
            while (Interlocked.CompareExchange(ref total, before - amount, before) != before);

            return true;
        }

        // The fast store's ApproachingLimit is raised on the upward crossing seen by one compare-and-swap, so its
        // trigger state is the totals' position against the thresholds.
        private AlertTriggers CurrentTriggers() =>
            new AlertTriggers
            {
                StateAtThreshold = Read(ref _size) >= Limits.CleanupThresholdBytes,
                EntriesAtThreshold = Read(ref _count) >= Limits.CleanupThresholdEntries,
            };

        private void GiveBackStreamed(bool streamed, long size)
        {
            if (streamed)
            {
                Interlocked.Increment(ref _streamedCount);
                Interlocked.Add(ref _streamedBytes, size);
            }
        }

        private void RaisePeak(long size)
        {
            long peak = Read(ref _peak);
            while (size > peak)
            {
                long seen = Interlocked.CompareExchange(ref _peak, size, peak);
                if (seen == peak)
                {
                    return;
                }

                peak = seen;
            }
        }

        private AllocationResult Reject(ref OperationEvents events, LimitedResource resource, long attempted, long limit, string key)
        {
            Interlocked.Increment(ref _rejected);
            Raise(ref events, AlertFactory.LimitExceeded(resource, attempted, limit, key));
            return AllocationResult.Rejected(resource, attempted, limit);
        }
    }
}
