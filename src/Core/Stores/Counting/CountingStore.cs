using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace AgentFlow.Resources
{
    /// <summary>
    /// The fast store: totals and nothing per key (no LRU, pins or cleanup); keys are not de-duplicated.
    /// Every operation reads, checks and changes all totals in one short critical section entered with a single
    /// compare-and-swap on a sequence number (odd while a writer is inside), so the totals are exact under any
    /// interleaving: a total is never above its limit, a refused call changes nothing, and a deallocation sees
    /// only what is really held. Readers take no lock: a snapshot is retried while a writer was inside (a seqlock),
    /// so every snapshot is one consistent moment (PeakSize never below CurrentSize).
    /// </summary>
    public sealed class CountingStore : InProcessStore
    {
        /// <summary>The <see cref="StateStore.Kind"/> of this store.</summary>
        public const string KindName = "Counters";

        private static readonly AllocationEntry[] NoEntries = new AllocationEntry[0];
        private static readonly string[] NoKeys = new string[0];
        private static readonly StoreEntry[] NoStoreEntries = new StoreEntry[0];

        // Written only by the writer inside the critical section; read by anyone through the sequence number.
        private long _sequence;
        private long _size;
        private long _count;
        private long _peak;
        private long _streamedCount;
        private WideSum _streamedBytes;
        private long _rejected;

        // Recorded allocations are ValueCount + deallocations, so the allocation path changes nothing more for them.
        private long _deallocated;

        /// <summary>Creates an empty store.</summary>
        /// <exception cref="ArgumentException">The limits are invalid, the name is blank, or <paramref name="maxAlerts"/> is below 1.</exception>
        public CountingStore(string name, ResourceLimits limits, int maxAlerts = StateMonitor.DefaultMaxAlerts)
            : base(name, limits, maxAlerts)
        {
        }

        /// <inheritdoc />
        public override StoreCapabilities Capabilities => StoreCapabilities.Snapshots;

        /// <inheritdoc />
        public override string Kind => KindName;

        /// <inheritdoc />
        public override long CurrentSize => ReadCurrentSize(AtomicLongReads);

        /// <inheritdoc />
        public override long ValueCount => ReadValueCount(AtomicLongReads);

        /// <summary>
        /// True where a long is read in one access (a 64-bit process): one total is then read directly, without a
        /// snapshot. A 32-bit process may see half of a write, so it reads a total from a snapshot. Static readonly,
        /// so the JIT makes it a constant and the property keeps only one of the two reads.
        /// </summary>
        internal static readonly bool AtomicLongReads = IntPtr.Size == 8;

        /// <summary>
        /// Test hook (null otherwise): called each time a reader or a writer found a writer inside the critical section
        /// and is about to look again, so a test can see a wait happen without timing it.
        /// </summary>
        internal Action? Waiting { get; set; }

        /// <summary>The sequence number: odd while a writer is inside, and every write leaves it at the next even number.</summary>
        internal long Sequence => Volatile.Read(ref _sequence);

        /// <summary>CurrentSize as a process with (or without) atomic long reads reads it: directly, or from a snapshot.</summary>
        internal long ReadCurrentSize(bool atomicLongReads) => atomicLongReads ? Volatile.Read(ref _size) : ReadCounters().CurrentSize;

        /// <summary>ValueCount as a process with (or without) atomic long reads reads it: directly, or from a snapshot.</summary>
        internal long ReadValueCount(bool atomicLongReads) => atomicLongReads ? Volatile.Read(ref _count) : ReadCounters().ValueCount;

        /// <summary>A store with the counters of <paramref name="state"/> (which holds no entries).</summary>
        /// <exception cref="InconsistentStateException">The state is inconsistent; it lists every problem.</exception>
        /// <remarks>A state exported while StreamedBytes was saturated restores it as long.MaxValue.</remarks>
        public static CountingStore Restore(string name, ResourceLimits limits, int maxAlerts, StoreState state)
        {
            if (state == null)
            {
                throw new ArgumentNullException(nameof(state));
            }

            var store = new CountingStore(name, limits, maxAlerts);
            state.EnsureValid(limits, maxAlerts, store.Capabilities);

            StoreCounters c = state.Counters;
            store._size = c.CurrentSize;
            store._count = c.ValueCount;
            store._peak = c.PeakSize;
            store._streamedCount = c.StreamedCount;
            store._streamedBytes = WideSum.Of(c.StreamedBytes);
            store._rejected = c.RejectedAllocations;
            store._deallocated = Math.Max(0, c.RecordedAllocations - c.ValueCount);
            store.RestoreAlerts(state);
            return store;
        }

        /// <inheritdoc />
        public override AllocationResult Allocate(string key, long size, AllocationOptions options, ref OperationEvents events)
        {
            bool streamed = Limits.IsStreamed(size);
            long charge = Limits.ResidentSize(size);
            LimitedResource rejected;
            long attempted;
            long sizeBefore;
            long countBefore;
            long odd = Enter();
            sizeBefore = _size;
            countBefore = _count;
            if (Limits.ExceedsValueLimit(size) && !streamed)
            {
                rejected = LimitedResource.ValueSize;
                attempted = size;
            }
            else if (charge > Limits.MaxStateSize - sizeBefore)
            {
                // Compared by subtraction: limits may be as large as long.MaxValue, and a sum must not wrap.
                rejected = LimitedResource.StateSize;
                attempted = Saturating.Add(sizeBefore, charge);
            }
            else if (countBefore >= Limits.MaxCacheEntries)
            {
                rejected = LimitedResource.CacheEntries;
                attempted = countBefore + 1;
            }
            else
            {
                _size = sizeBefore + charge;
                _count = countBefore + 1;
                if (streamed)
                {
                    _streamedCount++;
                    _streamedBytes.Add(size);
                }

                // Stryker disable once Equality : at _size == _peak the assignment writes the value _peak already has.
                if (_size > _peak)
                {
                    _peak = _size;
                }

                Exit(odd);
                WatchThresholds(ref events, sizeBefore, sizeBefore + charge, countBefore);
                AllocationEntry? entry = (options & AllocationOptions.ReturnEntries) != 0 ? new AllocationEntry(Name, key, size, charge, false, streamed) : null;
                return AllocationResult.Accepted(replaced: false, streamed, charge, entriesEvicted: 0, entry);
            }

            _rejected++;
            Exit(odd);
            long limit = rejected == LimitedResource.ValueSize ? Limits.MaxValueSize : rejected == LimitedResource.StateSize ? Limits.MaxStateSize : Limits.MaxCacheEntries;
            Raise(ref events, AlertFactory.LimitExceeded(rejected, attempted, limit, key));
            return AllocationResult.Rejected(rejected, attempted, limit);
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
            long odd = Enter();
            long sizeBefore = _size;
            long countBefore = _count;

            // Checked before anything changes: a refusal changes nothing, and no other call sees a partial change.
            string? problem = null;
            string argument = nameof(size);
            if (streamed && _streamedCount == 0)
            {
                problem = $"Cannot deallocate {size} bytes for '{key}' as a streamed value: the fast monitor holds no streamed entries, so its streamed count would go below zero.";
            }
            else if (streamed && !_streamedBytes.AtLeast(size))
            {
                problem = $"Cannot deallocate {size} bytes for '{key}' as a streamed value: the fast monitor holds only {_streamedBytes.Value} streamed bytes, so that total would go below zero.";
            }
            else if (countBefore == 0)
            {
                argument = nameof(key);
                problem = $"Cannot deallocate '{key}': the fast monitor holds no entries, so the entry count would go below zero.";
            }
            else if (charge > sizeBefore)
            {
                problem = $"Cannot deallocate {size} bytes for '{key}': the fast monitor holds only {sizeBefore} bytes, so its total would go below zero.";
            }
            else
            {
                _size = sizeBefore - charge;
                _count = countBefore - 1;
                _deallocated++;
                if (streamed)
                {
                    _streamedCount--;
                    _streamedBytes.Subtract(size);
                }
            }

            Exit(odd);
            if (problem != null)
            {
                throw new ArgumentException(problem, argument);
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
            Raise(ref events, AlertFactory.CleanupFailed(CleanupFailureReasons.FastMonitorCannotClean));
            throw new InvalidOperationException(CleanupFailureReasons.FastMonitorCannotClean);
        }

        /// <inheritdoc />
        public override CleanupPlan PlanCleanup(double targetPercentage) =>
            throw new InvalidOperationException(CleanupFailureReasons.FastMonitorCannotClean);

        /// <inheritdoc />
        public override IReadOnlyList<string> GetLruKeys(int count) => NoKeys;

        /// <inheritdoc />
        public override IReadOnlyList<AllocationEntry> GetAllocations() => NoEntries;

        /// <inheritdoc />
        public override StoreState ExportState()
        {
            StoreCounters counters = ReadCounters();
            var triggers = new AlertTriggers
            {
                // The fast store raises ApproachingLimit on the upward crossing of one critical section, so its
                // trigger state is the totals' position against the thresholds.
                StateAtThreshold = counters.CurrentSize >= Limits.CleanupThresholdBytes,
                EntriesAtThreshold = counters.ValueCount >= Limits.CleanupThresholdEntries,
            };
            return new StoreState(NoStoreEntries, counters, triggers, AlertQueue.Peek(), AlertQueue.Dropped, AlertsRaised);
        }

        /// <inheritdoc />
        /// <remarks>Lock-free: retried while a writer was inside, so the totals are of one moment.</remarks>
        public override StoreCounters ReadCounters()
        {
            var spin = default(SpinWait);
            while (true)
            {
                long sequence = Volatile.Read(ref _sequence);
                if ((sequence & 1) == 0)
                {
                    var counters = new StoreCounters
                    {
                        CurrentSize = Volatile.Read(ref _size),
                        ValueCount = Volatile.Read(ref _count),
                        PeakSize = Volatile.Read(ref _peak),
                        StreamedCount = Volatile.Read(ref _streamedCount),
                        StreamedBytes = _streamedBytes.Value,
                        RejectedAllocations = Volatile.Read(ref _rejected),
                        RecordedAllocations = Volatile.Read(ref _count) + Volatile.Read(ref _deallocated),
                    };

                    // The reads above are volatile (acquire), so this one cannot move before them.
                    if (Volatile.Read(ref _sequence) == sequence)
                    {
                        return counters;
                    }
                }

                Waiting?.Invoke();
                // Stryker disable once Statement : the spin only yields the processor between retries; without it a reader retries the same way, sooner.
                spin.SpinOnce();
            }
        }

        /// <inheritdoc />
        public override void Reset()
        {
            long odd = Enter();
            ResetAlerts();
            _size = 0;
            _count = 0;
            _peak = 0;
            _streamedCount = 0;
            _streamedBytes = default;
            _rejected = 0;
            _deallocated = 0;
            Exit(odd);
        }


        /// <summary>Enters the critical section: one compare-and-swap that makes the sequence number odd.</summary>
        /// <returns>The odd sequence number to pass to <see cref="Exit"/>.</returns>
        internal long Enter()
        {
            long sequence = Volatile.Read(ref _sequence);
            if (
                // Stryker disable once Bitwise : (sequence | 1) == 0 is never true, so every writer takes EnterContended, which makes the same compare-and-swap.
                (sequence & 1) == 0 &&
                // Stryker disable once Arithmetic : sequence - 1 is odd too, and the section still ends at sequence + 2, so readers see the same odd-then-new-even sequence.
                Interlocked.CompareExchange(ref _sequence, sequence + 1, sequence) == sequence)
            {
                return sequence + 1;
            }

            return EnterContended();
        }

        /// <summary>Waits for the writer inside to leave, then enters as <see cref="Enter"/> does.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal long EnterContended()
        {
            // The section is a few instructions long; SpinWait yields the processor after a few spins, so a writer
            // that was descheduled inside it gets to finish.
            var spin = default(SpinWait);
            while (true)
            {
                // Stryker disable once Statement : the spin only yields the processor between attempts; without it a writer retries the same way, sooner.
                spin.SpinOnce();
                long sequence = Volatile.Read(ref _sequence);
                if ((sequence & 1) == 0 &&
                    // Stryker disable once Arithmetic : sequence - 1 is odd too, and the section still ends at sequence + 2, so readers see the same odd-then-new-even sequence.
                    Interlocked.CompareExchange(ref _sequence, sequence + 1, sequence) == sequence)
                {
                    return sequence + 1;
                }

                Waiting?.Invoke();
            }
        }

        /// <summary>Leaves the critical section: a release store of the next even number publishes every change.</summary>
        internal void Exit(long odd) => Volatile.Write(ref _sequence, odd + 1);

        private void WatchThresholds(ref OperationEvents events, long sizeBefore, long sizeAfter, long countBefore)
        {
            if (sizeBefore < Limits.CleanupThresholdBytes && sizeAfter >= Limits.CleanupThresholdBytes)
            {
                Raise(ref events, AlertFactory.ApproachingLimit(LimitedResource.StateSize, sizeAfter, Limits.MaxStateSize));
            }

            if (countBefore < Limits.CleanupThresholdEntries && countBefore + 1 >= Limits.CleanupThresholdEntries)
            {
                Raise(ref events, AlertFactory.ApproachingLimit(LimitedResource.CacheEntries, countBefore + 1, Limits.MaxCacheEntries));
            }
        }
    }
}
