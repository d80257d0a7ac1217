using System;
using System.Collections.Generic;
using System.Threading;

namespace AgentFlow.Resources
{
    /// <summary>
    /// The default store: per-key entries in this process, with exact LRU order, pins and automatic cleanup.
    /// One lock (a <see cref="GateLock"/>) guards the table and every total, so each operation is atomic and
    /// the totals always equal the sum of the entries.
    /// </summary>
    public sealed class MemoryStore : InProcessStore
    {
        /// <summary>The <see cref="StateStore.Kind"/> of this store.</summary>
        public const string KindName = "Memory";

        private readonly GateLock _gate = new GateLock();
        private readonly EntryTable _table = new EntryTable();
        private StoreCounters _counters; // StreamedBytes lives in _streamedBytes, exact past long.MaxValue
        private WideSum _streamedBytes;
        private AlertTriggers _triggers;

        /// <summary>Creates an empty store.</summary>
        /// <exception cref="ArgumentException">The limits are invalid, the name is blank, or <paramref name="maxAlerts"/> is below 1.</exception>
        public MemoryStore(string name, ResourceLimits limits, int maxAlerts = StateMonitor.DefaultMaxAlerts)
            : base(name, limits, maxAlerts)
        {
        }

        /// <inheritdoc />
        public override StoreCapabilities Capabilities => StoreCapabilities.Detailed | StoreCapabilities.Snapshots;

        /// <inheritdoc />
        public override string Kind => KindName;

        /// <inheritdoc />
        /// <remarks>Without the lock in a 64-bit process (an aligned long is read atomically), so polling does not compete with writers.</remarks>
        public override long CurrentSize => IntPtr.Size == 8 ? Volatile.Read(ref _counters.CurrentSize) : ReadCounters().CurrentSize;

        /// <inheritdoc />
        /// <remarks>Without the lock in a 64-bit process, as <see cref="CurrentSize"/>.</remarks>
        public override long ValueCount => IntPtr.Size == 8 ? Volatile.Read(ref _counters.ValueCount) : ReadCounters().ValueCount;

        /// <summary>Bytes the entry table holds (slots, index): what memory tests watch.</summary>
        internal long TableHeldBytes
        {
            get
            {
                using (_gate.Hold())
                {
                    return _table.HeldBytes;
                }
            }
        }

        /// <summary>A store rebuilt from <paramref name="state"/>: the same entries in the same LRU order, pins, counters, alerts and triggers.</summary>
        /// <exception cref="InconsistentStateException">The state is inconsistent; it lists every problem.</exception>
        public static MemoryStore Restore(string name, ResourceLimits limits, int maxAlerts, StoreState state)
        {
            if (state == null)
            {
                throw new ArgumentNullException(nameof(state));
            }

            var store = new MemoryStore(name, limits, maxAlerts);

            // The table finds a repeated (or missing) key as it is filled, so the check of every other rule can skip a
            // set of keys of its own; such a key gets the full check, which names every problem. The store is not
            // returned then, so the half-filled table does not matter.
            // Stryker disable once Boolean : starting at false only makes the check look at every key again; it finds the same problems.
            bool keysUnique = true;

            // Stryker disable once Statement : filling the table grows it to the same capacity, one doubling at a time.
            store._table.EnsureCapacity(state.Entries.Count);
            foreach (StoreEntry entry in state.Entries)
            {
                if (entry.Key == null || store._table.AddIfAbsent(entry.Key, entry.Size, limits.ResidentSize(entry.Size), entry.IsPinned) == EntryTable.None)
                {
                    keysUnique = false;

                    // Stryker disable once Statement : after a repeated or missing key the full check refuses the state anyway, and the half-filled store is dropped.
                    break;
                }

                if (limits.IsStreamed(entry.Size))
                {
                    store._streamedBytes.Add(entry.Size); // exact, even where the exported total was saturated
                }
            }

            state.EnsureValid(limits, maxAlerts, store.Capabilities, checkKeys: !keysUnique);

            store._counters = state.Counters;
            store._triggers = state.Triggers;
            store.RestoreAlerts(state);
            return store;
        }

        /// <inheritdoc />
        public override AllocationResult Allocate(string key, long size, AllocationOptions options, ref OperationEvents events)
        {
            bool pin = (options & AllocationOptions.Pin) != 0;
            using (_gate.Hold())
            {
                bool exists = _table.TryFind(key, out int slot);
                long oldCharge = exists ? _table.ChargeAt(slot) : 0;
                bool keyPinned = exists && _table.IsPinnedAt(slot);
                Admission admission = Admission.Decide(Limits, _counters, size, exists, oldCharge, keyPinned);
                if (admission.Verdict == AdmissionVerdict.Reject)
                {
                    if (admission.CleanupCannotHelp)
                    {
                        Raise(ref events, AlertFactory.CleanupFailed(CleanupFailureReasons.CannotMakeRoom(
                            key, admission.KeptBytes, admission.KeptCount, Limits.MaxStateSize, Limits.MaxCacheEntries, _counters.PinnedSize, _counters.PinnedCount)));
                    }

                    return Reject(ref events, admission, key);
                }

                long charge = admission.Charge;
                int evicted = 0;
                long freed = 0;
                if (admission.Verdict == AdmissionVerdict.EvictThenAdmit)
                {
                    // Stryker disable once Conditional : a key not found leaves slot at EntryTable.None, so slot is the same value either way.
                    EvictWhile(ref events, EvictionReason.Admission, exists ? slot : EntryTable.None, admission.EvictToBytes, admission.EvictToCount, ref evicted, ref freed);
                }

                if (exists)
                {
                    if (_table.IsStreamedAt(slot))
                    {
                        _counters.StreamedCount--;
                        _streamedBytes.Subtract(_table.SizeAt(slot));
                    }

                    if (_table.IsPinnedAt(slot))
                    {
                        _counters.PinnedSize += charge - oldCharge;
                    }

                    _counters.CurrentSize += charge - oldCharge;
                    _table.Update(slot, size, charge);
                    if (pin)
                    {
                        Pin(slot);
                    }
                }
                else
                {
                    slot = _table.Add(key, size, charge, pin);
                    _counters.CurrentSize += charge;
                    _counters.ValueCount++;
                    if (pin)
                    {
                        _counters.PinnedSize += charge;
                        _counters.PinnedCount++;
                    }
                }

                if (admission.IsStreamed)
                {
                    _counters.StreamedCount++;
                    _streamedBytes.Add(size);
                }

                _counters.RecordedAllocations++;
                // Stryker disable once Equality : at equality the assignment writes the value PeakSize already has.
                if (_counters.CurrentSize > _counters.PeakSize)
                {
                    _counters.PeakSize = _counters.CurrentSize;
                }

                bool thresholdCleanup = Limits.AutoCleanup && AtThreshold();
                if (thresholdCleanup)
                {
                    CleanUpAfterThreshold(ref events, slot, ref evicted, ref freed);
                }

                if (evicted > 0)
                {
                    RaiseCleanupTriggered(ref events, freed, evicted, automatic: true);
                }

                if (thresholdCleanup)
                {
                    WatchAutomaticCleanup(ref events, slot);
                }

                WatchThresholds(ref events);
                AllocationEntry? entry = (options & AllocationOptions.ReturnEntries) != 0 ? _table.Snapshot(slot, Name) : null;
                // Stryker disable once Equality : with >= 0 the table is trimmed after every allocation, but only an eviction can leave it sparse (every path that removes entries trims), so the trim does nothing then.
                if (evicted > 0)
                {
                    _table.TrimIfSparse(); // slot numbers may change: after the last use of slot
                }

                return AllocationResult.Accepted(exists, admission.IsStreamed, charge, evicted, entry);
            }
        }

        /// <inheritdoc />
        public override bool Remove(string key, bool returnEntry, out AllocationEntry? removed, ref OperationEvents events)
        {
            using (_gate.Hold())
            {
                if (!_table.TryFind(key, out int slot))
                {
                    removed = null;
                    return false;
                }

                removed = returnEntry ? _table.Snapshot(slot, Name) : null;
                RemoveSlot(slot);
                _table.TrimIfSparse();
                WatchThresholds(ref events);
                return true;
            }
        }

        /// <inheritdoc />
        /// <remarks>The table knows every entry's size, so the caller's size is not needed.</remarks>
        public override bool Remove(string key, long size, bool returnEntry, out AllocationEntry? removed, ref OperationEvents events) =>
            Remove(key, returnEntry, out removed, ref events);

        /// <inheritdoc />
        public override bool Touch(string key)
        {
            using (_gate.Hold())
            {
                if (!_table.TryFind(key, out int slot))
                {
                    return false;
                }

                _table.Touch(slot);
                return true;
            }
        }

        /// <inheritdoc />
        public override bool SetPinned(string key, bool pinned)
        {
            using (_gate.Hold())
            {
                if (!_table.TryFind(key, out int slot))
                {
                    return false;
                }

                if (pinned)
                {
                    Pin(slot);
                }
                else if (_table.IsPinnedAt(slot))
                {
                    _counters.PinnedSize -= _table.ChargeAt(slot);
                    _counters.PinnedCount--;
                    _table.SetPinned(slot, false);
                }

                return true;
            }
        }

        /// <inheritdoc />
        public override AllocationEntry? Find(string key)
        {
            using (_gate.Hold())
            {
                return _table.TryFind(key, out int slot) ? _table.Snapshot(slot, Name) : null;
            }
        }

        /// <inheritdoc />
        /// <remarks>Allocates only the result: the evicted entries are counted first, then taken into an array of that size.</remarks>
        public override CleanupResult Cleanup(double targetPercentage, ref OperationEvents events)
        {
            long targetBytes = TargetBytes(targetPercentage);
            using (_gate.Hold())
            {
                long before = _counters.CurrentSize;
                var entries = new AllocationEntry[CountEvictions(targetBytes)];
                long freed = 0;
                int slot = _table.OldestEvictable;
                for (int i = 0; i < entries.Length; i++)
                {
                    int newer = _table.NewerThan(slot);
                    entries[i] = _table.Snapshot(slot, Name);
                    freed += Evict(ref events, EvictionReason.Manual, slot, entries[i]);
                    slot = newer;
                }

                if (entries.Length > 0)
                {
                    RaiseCleanupTriggered(ref events, freed, entries.Length, automatic: false);
                }

                if (_counters.CurrentSize > targetBytes)
                {
                    Raise(ref events, AlertFactory.CleanupFailed(CleanupFailureReasons.CleanupStopped(
                        targetPercentage, targetBytes, _counters.CurrentSize, _counters.PinnedSize, _counters.PinnedCount)));
                }

                WatchThresholds(ref events);
                _table.TrimIfSparse();
                return new CleanupResult(Name, targetPercentage, targetBytes, before, entries, freed, _counters.PinnedSize, _counters.PinnedCount);
            }
        }

        /// <inheritdoc />
        public override int CleanupEarly(string? protectedKey, ref OperationEvents events)
        {
            using (_gate.Hold())
            {
                int protectedSlot = protectedKey != null && _table.TryFind(protectedKey, out int slot) ? slot : EntryTable.None;
                int evicted = 0;
                long freed = 0;
                EvictWhile(ref events, EvictionReason.Predicted, protectedSlot, Limits.CleanupTargetBytes, Limits.CleanupTargetEntries, ref evicted, ref freed);
                if (evicted > 0)
                {
                    RaiseCleanupTriggered(ref events, freed, evicted, automatic: true);
                    WatchThresholds(ref events);
                    _table.TrimIfSparse(); // as after every other eviction: the table gives memory back
                }

                return evicted;
            }
        }

        /// <inheritdoc />
        public override CleanupPlan PlanCleanup(double targetPercentage)
        {
            long targetBytes = TargetBytes(targetPercentage);
            using (_gate.Hold())
            {
                var candidates = new List<AllocationEntry>();
                long remaining = _counters.CurrentSize;
                for (int slot = _table.OldestEvictable; slot != EntryTable.None && remaining > targetBytes; slot = _table.NewerThan(slot))
                {
                    candidates.Add(_table.Snapshot(slot, Name));
                    remaining -= _table.ChargeAt(slot);
                }

                return new CleanupPlan(Name, targetPercentage, targetBytes, _counters.CurrentSize, candidates, _counters.CurrentSize - remaining, _counters.PinnedSize, _counters.PinnedCount);
            }
        }

        /// <inheritdoc />
        /// <remarks>Under the lock, so the plan is exact for this moment; it reads only as many entries as it evicts.</remarks>
        public override AllocationPlan PlanAllocation(string key, long size, bool pin)
        {
            using (_gate.Hold())
            {
                AllocationEntry? existing = _table.TryFind(key, out int slot) ? _table.Snapshot(slot, Name) : null;
                return AllocationPlan.Create(Name, Limits, CountersNow(), existing, EvictableOldestFirst(), key, size, pin, canEvict: true);
            }
        }

        /// <inheritdoc />
        public override IReadOnlyList<string> GetLruKeys(int count)
        {
            using (_gate.Hold())
            {
                List<int> slots = _table.OldestFirst(count);
                var keys = new string[slots.Count];
                for (int i = 0; i < keys.Length; i++)
                {
                    keys[i] = _table.KeyAt(slots[i]);
                }

                return keys;
            }
        }

        /// <inheritdoc />
        public override IReadOnlyList<AllocationEntry> GetAllocations()
        {
            using (_gate.Hold())
            {
                List<int> slots = _table.OldestFirst(_table.Count);
                var entries = new AllocationEntry[slots.Count];
                for (int i = 0; i < entries.Length; i++)
                {
                    entries[i] = _table.Snapshot(slots[i], Name);
                }

                return entries;
            }
        }

        /// <inheritdoc />
        public override StoreCounters ReadCounters()
        {
            using (_gate.Hold())
            {
                return CountersNow();
            }
        }

        /// <inheritdoc />
        public override void Reset()
        {
            using (_gate.Hold())
            {
                _table.Clear();
                _counters = default;
                _streamedBytes = default;
                _triggers = default;
                ResetAlerts();
            }
        }

        /// <inheritdoc />
        public override StoreState ExportState()
        {
            using (_gate.Hold())
            {
                List<int> slots = _table.OldestFirst(_table.Count);
                var entries = new StoreEntry[slots.Count];
                for (int i = 0; i < entries.Length; i++)
                {
                    int slot = slots[i];
                    entries[i] = new StoreEntry(_table.KeyAt(slot), _table.SizeAt(slot), _table.IsPinnedAt(slot));
                }

                // Under the gate, so that no operation of this store can queue an alert in between.
                return new StoreState(entries, CountersNow(), _triggers, AlertQueue.Peek(), AlertQueue.Dropped, AlertsRaised);
            }
        }

        private void Pin(int slot)
        {
            if (!_table.IsPinnedAt(slot))
            {
                _counters.PinnedSize += _table.ChargeAt(slot);
                _counters.PinnedCount++;
                _table.SetPinned(slot, true);
            }
        }

        /// <summary>Evicts least recently used unpinned entries, never <paramref name="protectedSlot"/>, until both totals are within bounds.</summary>
        private void EvictWhile(ref OperationEvents events, EvictionReason reason, int protectedSlot, long maxBytes, long maxCount, ref int evicted, ref long freed)
        {
            int slot = _table.OldestEvictable;
            while (slot != EntryTable.None && (_counters.CurrentSize > maxBytes || _counters.ValueCount > maxCount))
            {
                int newer = _table.NewerThan(slot);
                if (slot != protectedSlot)
                {
                    // The entry is built only for someone who will see it: unwatched eviction allocates nothing.
                    AllocationEntry? entry = events.RecordsEvictions ? _table.Snapshot(slot, Name) : null;
                    freed += Evict(ref events, reason, slot, entry);
                    evicted++;
                }

                slot = newer;
            }
        }

        /// <summary>Removes one evicted slot, counts it and notes it; returns its charge.</summary>
        private long Evict(ref OperationEvents events, EvictionReason reason, int slot, AllocationEntry? entry)
        {
            long charge = RemoveSlot(slot);
            _counters.TotalEvictions++;
            _counters.EvictedBytes = Saturating.Add(_counters.EvictedBytes, charge);
            if (entry != null)
            {
                events.AddEviction(entry, reason);
            }

            return charge;
        }

        /// <summary>How many entries a cleanup to <paramref name="targetBytes"/> evicts (least recently used unpinned first).</summary>
        private int CountEvictions(long targetBytes)
        {
            int count = 0;
            long remaining = _counters.CurrentSize;
            for (int slot = _table.OldestEvictable; slot != EntryTable.None && remaining > targetBytes; slot = _table.NewerThan(slot))
            {
                remaining -= _table.ChargeAt(slot);
                count++;
            }

            return count;
        }

        private bool AtThreshold() => _counters.CurrentSize >= Limits.CleanupThresholdBytes || _counters.ValueCount >= Limits.CleanupThresholdEntries;

        /// <summary>
        /// The automatic cleanup after usage reached the threshold: down to the target when the pins allow it;
        /// when they keep the target out of reach, only until usage is just below the threshold, and not at all
        /// when even that cannot be reached (evicting more would only thrash: every insert would evict again).
        /// The entry just recorded is never evicted.
        /// </summary>
        private void CleanUpAfterThreshold(ref OperationEvents events, int recordedSlot, ref int evicted, ref long freed)
        {
            if (_counters.PinnedSize <= Limits.CleanupTargetBytes && _counters.PinnedCount <= Limits.CleanupTargetEntries)
            {
                EvictWhile(ref events, EvictionReason.Threshold, recordedSlot, Limits.CleanupTargetBytes, Limits.CleanupTargetEntries, ref evicted, ref freed);
                return;
            }

            bool recordedStays = !_table.IsPinnedAt(recordedSlot);
            long keptBytes = _counters.PinnedSize + (recordedStays ? _table.ChargeAt(recordedSlot) : 0);
            long keptCount = _counters.PinnedCount + (recordedStays ? 1 : 0);
            if (keptBytes < Limits.CleanupThresholdBytes && keptCount < Limits.CleanupThresholdEntries)
            {
                EvictWhile(ref events, EvictionReason.Threshold, recordedSlot, Limits.CleanupThresholdBytes - 1, Limits.CleanupThresholdEntries - 1, ref evicted, ref freed);
            }
        }

        private StoreCounters CountersNow()
        {
            StoreCounters counters = _counters;
            counters.StreamedBytes = _streamedBytes.Value;
            return counters;
        }

        // Only enumerated while the caller holds the gate.
        private IEnumerable<AllocationEntry> EvictableOldestFirst()
        {
            for (int slot = _table.OldestEvictable; slot != EntryTable.None; slot = _table.NewerThan(slot))
            {
                yield return _table.Snapshot(slot, Name);
            }
        }

        /// <summary>Removes a slot and takes its charge off the totals; returns the charge.</summary>
        private long RemoveSlot(int slot)
        {
            _table.Remove(slot, out long size, out long charge, out bool pinned);
            if (pinned)
            {
                _counters.PinnedSize -= charge;
                _counters.PinnedCount--;
            }

            if (charge < size)
            {
                _counters.StreamedCount--;
                _streamedBytes.Subtract(size);
            }

            _counters.CurrentSize -= charge;
            _counters.ValueCount--;
            return charge;
        }

        private AllocationResult Reject(ref OperationEvents events, in Admission admission, string key)
        {
            _counters.RejectedAllocations++;
            Raise(ref events, AlertFactory.LimitExceeded(admission.RejectedResource, admission.AttemptedValue, admission.Limit, key));
            return admission.ToRejectedResult();
        }

        /// <summary>Raises ApproachingLimit when usage crosses the threshold upwards; re-arms once it drops below.</summary>
        private void WatchThresholds(ref OperationEvents events)
        {
            bool stateAt = _counters.CurrentSize >= Limits.CleanupThresholdBytes;
            if (stateAt && !_triggers.StateAtThreshold)
            {
                Raise(ref events, AlertFactory.ApproachingLimit(LimitedResource.StateSize, _counters.CurrentSize, Limits.MaxStateSize));
            }

            bool entriesAt = _counters.ValueCount >= Limits.CleanupThresholdEntries;
            if (entriesAt && !_triggers.EntriesAtThreshold)
            {
                Raise(ref events, AlertFactory.ApproachingLimit(LimitedResource.CacheEntries, _counters.ValueCount, Limits.MaxCacheEntries));
            }

            _triggers.StateAtThreshold = stateAt;
            _triggers.EntriesAtThreshold = entriesAt;
            if (_counters.CurrentSize <= Limits.CleanupTargetBytes && _counters.ValueCount <= Limits.CleanupTargetEntries)
            {
                _triggers.AutomaticCleanupFailing = false;
            }
        }

        /// <summary>
        /// Raises CleanupFailed when an automatic cleanup run stops short of its target because pins hold the
        /// rest. The entry just recorded is never evicted, so a run that is above its target only by that
        /// entry has not failed (the next run may evict it). Edge-triggered like ApproachingLimit: a monitor
        /// held above its target says so once, not on every cleanup run, until usage is back at or below the
        /// target (by a run, a deallocation, an unpin and cleanup, or a reset).
        /// </summary>
        private void WatchAutomaticCleanup(ref OperationEvents events, int recordedSlot)
        {
            long size = _counters.CurrentSize;
            long count = _counters.ValueCount;
            if (!_table.IsPinnedAt(recordedSlot))
            {
                size -= _table.ChargeAt(recordedSlot);
                count--;
            }

            bool reached = size <= Limits.CleanupTargetBytes && count <= Limits.CleanupTargetEntries;
            if (!reached && !_triggers.AutomaticCleanupFailing)
            {
                Raise(ref events, AlertFactory.CleanupFailed(CleanupFailureReasons.AutomaticCleanupStopped(
                    _counters.CurrentSize, _counters.ValueCount, Limits.CleanupTargetBytes, Limits.CleanupTargetEntries, _counters.PinnedSize, _counters.PinnedCount)));
            }

            _triggers.AutomaticCleanupFailing = !reached;
        }
    }
}
