using System;
using System.Collections.Generic;
using System.Threading;

namespace AgentFlow.Resources.Tracking
{
    /// <summary>
    /// Fast-mode accounting: atomic totals and nothing per key. Limits are enforced with compare-and-swap
    /// loops, so a total is never seen above its limit; keys are not de-duplicated.
    /// </summary>
    internal sealed class CountingTracker : AllocationTracker
    {
        private static readonly AllocationEntry[] NoEntries = new AllocationEntry[0];
        private static readonly string[] NoKeys = new string[0];

        private long _size;
        private long _count;
        private long _peak;
        private long _streamedCount;
        private long _streamedBytes;
        private long _rejected;

        public CountingTracker(ResourceLimits limits, AlertPublisher alerts)
            : base(limits, alerts)
        {
        }

        public override long CurrentSize => Read(ref _size);

        public override long ValueCount => Read(ref _count);

        public override AllocationResult Allocate(string key, long size, bool pin, ref Notifications notifications)
        {
            bool streamed = Limits.IsStreamed(size);
            long charge = Limits.ResidentSize(size);
            if (Limits.ExceedsValueLimit(size) && !streamed)
            {
                return Reject(ref notifications, LimitedResource.ValueSize, size, Limits.MaxValueSize, key);
            }

            long sizeBefore;
            long sizeAfter;
            do
            {
                sizeBefore = Read(ref _size);

                // Compared by subtraction: limits may be as large as long.MaxValue, and a sum must not wrap.
                if (charge > Limits.MaxStateSize - sizeBefore)
                {
                    return Reject(ref notifications, LimitedResource.StateSize, Saturating.Add(sizeBefore, charge), Limits.MaxStateSize, key);
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
                    return Reject(ref notifications, LimitedResource.CacheEntries, countAfter, Limits.MaxCacheEntries, key);
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
                Alerts.ApproachingLimit(ref notifications, LimitedResource.StateSize, sizeAfter, Limits.MaxStateSize);
            }

            if (countBefore < Limits.CleanupThresholdEntries && countAfter >= Limits.CleanupThresholdEntries)
            {
                Alerts.ApproachingLimit(ref notifications, LimitedResource.CacheEntries, countAfter, Limits.MaxCacheEntries);
            }

            return AllocationResult.Accepted(replaced: false, streamed, charge, entriesEvicted: 0);
        }

        // Without a per-key map the size of the key is unknown.
        public override bool Deallocate(string key, ref Notifications notifications) => false;

        public override bool Deallocate(string key, long size, ref Notifications notifications)
        {
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

            return true;
        }

        public override bool Access(string key) => false;

        public override bool SetPinned(string key, bool pinned) => false;

        public override AllocationEntry? Find(string key, string monitorName) => null;

        public override CleanupResult Cleanup(double targetPercentage, string monitorName, ref Notifications notifications)
        {
            Alerts.CleanupFailed(ref notifications, FastMonitorCannotClean);
            throw new InvalidOperationException(FastMonitorCannotClean);
        }

        public override CleanupPlan PlanCleanup(double targetPercentage, string monitorName) =>
            throw new InvalidOperationException(FastMonitorCannotClean);

        public override IReadOnlyList<string> GetLruKeys(int count) => NoKeys;

        public override IReadOnlyList<AllocationEntry> GetAllocations(string monitorName) => NoEntries;

        public override TrackerCounters ReadCounters() =>
            new TrackerCounters
            {
                CurrentSize = Read(ref _size),
                ValueCount = Read(ref _count),
                PeakSize = Read(ref _peak),
                StreamedCount = Read(ref _streamedCount),
                StreamedBytes = Read(ref _streamedBytes),
                RejectedAllocations = Read(ref _rejected),
            };

        public override void Reset()
        {
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

        private AllocationResult Reject(ref Notifications notifications, LimitedResource resource, long attempted, long limit, string key)
        {
            Interlocked.Increment(ref _rejected);
            Alerts.LimitExceeded(ref notifications, resource, attempted, limit, key);
            return AllocationResult.Rejected(resource, attempted, limit);
        }
    }
}
