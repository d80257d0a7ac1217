using System;
using System.Collections.Generic;
using System.Globalization;

namespace AgentFlow.Resources.Tracking
{
    /// <summary>
    /// Per-key accounting with exact LRU order, pins and automatic cleanup. One lock (a <see cref="GateLock"/>)
    /// guards the table and every total, so each operation is atomic and the totals always equal the sum of
    /// the entries.
    /// </summary>
    internal sealed class DetailedTracker : AllocationTracker
    {
        private readonly GateLock _gate = new GateLock();
        private readonly EntryTable _table = new EntryTable();
        private TrackerCounters _counters;
        private bool _stateAtThreshold;
        private bool _entriesAtThreshold;
        private bool _automaticCleanupFailing;

        public DetailedTracker(ResourceLimits limits, AlertPublisher alerts)
            : base(limits, alerts)
        {
        }

        public override long CurrentSize
        {
            get
            {
                using (_gate.Hold())
                {
                    return _counters.CurrentSize;
                }
            }
        }

        public override long ValueCount
        {
            get
            {
                using (_gate.Hold())
                {
                    return _counters.ValueCount;
                }
            }
        }

        public override AllocationResult Allocate(string key, long size, bool pin, ref Notifications notifications)
        {
            bool streamed = Limits.IsStreamed(size);
            long charge = Limits.ResidentSize(size);
            using (_gate.Hold())
            {
                if (Limits.ExceedsValueLimit(size) && !streamed)
                {
                    return Reject(ref notifications, LimitedResource.ValueSize, size, Limits.MaxValueSize, key);
                }

                bool exists = _table.TryFind(key, out int slot);
                long oldCharge = exists ? _table.ChargeAt(slot) : 0;

                // Compared by subtraction: limits may be as large as long.MaxValue, and a sum must not wrap.
                long sizeWithoutKey = _counters.CurrentSize - oldCharge;
                bool overState = charge > Limits.MaxStateSize - sizeWithoutKey;
                long countAfter = _counters.ValueCount + (exists ? 0 : 1);
                int evicted = 0;
                long freed = 0;

                if (overState || countAfter > Limits.MaxCacheEntries)
                {
                    if (!Limits.AutoCleanup)
                    {
                        return RejectOverLimit(ref notifications, overState, Saturating.Add(sizeWithoutKey, charge), countAfter, key);
                    }

                    // Feasibility first, so that a rejection evicts nothing: what no cleanup can evict is the pinned
                    // entries other than the key itself.
                    bool keyPinned = exists && _table.IsPinnedAt(slot);
                    long keptBytes = _counters.PinnedSize - (keyPinned ? oldCharge : 0);
                    long keptCount = _counters.PinnedCount - (keyPinned ? 1 : 0) + 1;
                    bool neverFitsState = charge > Limits.MaxStateSize - keptBytes;
                    if (neverFitsState || keptCount > Limits.MaxCacheEntries)
                    {
                        Alerts.CleanupFailed(
                            ref notifications,
                            $"Cannot make room for '{key}': even evicting every unpinned entry leaves {ByteSize.Format(Saturating.Add(keptBytes, charge))} in {Wording.Entries(keptCount)}, over the limits of {ByteSize.Format(Limits.MaxStateSize)} and {Wording.Entries(Limits.MaxCacheEntries)}; {ByteSize.Format(_counters.PinnedSize)} is pinned in {Wording.Entries(_counters.PinnedCount)}.");
                        return RejectOverLimit(ref notifications, overState, Saturating.Add(sizeWithoutKey, charge), countAfter, key);
                    }

                    // Evict until current - oldCharge + charge fits, that is current <= MaxStateSize - charge + oldCharge.
                    long added = exists ? 0 : 1;
                    EvictWhile(ref notifications, EvictionReason.Admission, exists ? slot : EntryTable.None, Saturating.Add(Limits.MaxStateSize - charge, oldCharge), Limits.MaxCacheEntries - added, ref evicted, ref freed);
                }

                if (exists)
                {
                    bool wasStreamed = _table.IsStreamedAt(slot);
                    if (wasStreamed)
                    {
                        _counters.StreamedCount--;
                        _counters.StreamedBytes -= _table.SizeAt(slot);
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

                if (streamed)
                {
                    _counters.StreamedCount++;
                    _counters.StreamedBytes += size;
                }

                if (_counters.CurrentSize > _counters.PeakSize)
                {
                    _counters.PeakSize = _counters.CurrentSize;
                }

                bool thresholdCleanup = Limits.AutoCleanup && (_counters.CurrentSize >= Limits.CleanupThresholdBytes || _counters.ValueCount >= Limits.CleanupThresholdEntries);
                if (thresholdCleanup)
                {
                    EvictWhile(ref notifications, EvictionReason.Threshold, slot, Limits.CleanupTargetBytes, Limits.CleanupTargetEntries, ref evicted, ref freed);
                }

                if (evicted > 0)
                {
                    Alerts.CleanupTriggered(ref notifications, freed, evicted, automatic: true);
                }

                if (thresholdCleanup)
                {
                    WatchAutomaticCleanup(ref notifications, slot);
                }

                WatchThresholds(ref notifications);
                return AllocationResult.Accepted(exists, streamed, charge, evicted);
            }
        }

        public override bool Deallocate(string key, ref Notifications notifications)
        {
            using (_gate.Hold())
            {
                if (!_table.TryFind(key, out int slot))
                {
                    return false;
                }

                RemoveSlot(slot);
                WatchThresholds(ref notifications);
                return true;
            }
        }

        // The table knows every entry's size, so the caller's size is not needed.
        public override bool Deallocate(string key, long size, ref Notifications notifications) => Deallocate(key, ref notifications);

        public override bool Access(string key)
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

        public override AllocationEntry? Find(string key, string monitorName)
        {
            using (_gate.Hold())
            {
                return _table.TryFind(key, out int slot) ? _table.Snapshot(slot, monitorName) : null;
            }
        }

        public override CleanupResult Cleanup(double targetPercentage, string monitorName, ref Notifications notifications)
        {
            long targetBytes = TargetBytes(targetPercentage);
            using (_gate.Hold())
            {
                long before = _counters.CurrentSize;
                int evicted = 0;
                long freed = 0;
                int firstEviction = notifications.Evictions?.Count ?? 0;
                EvictWhile(ref notifications, EvictionReason.Manual, EntryTable.None, targetBytes, long.MaxValue, ref evicted, ref freed);

                var entries = new AllocationEntry[evicted];
                for (int i = 0; i < evicted; i++)
                {
                    entries[i] = notifications.Evictions![firstEviction + i].Entry;
                }

                if (evicted > 0)
                {
                    Alerts.CleanupTriggered(ref notifications, freed, evicted, automatic: false);
                }

                if (_counters.CurrentSize > targetBytes)
                {
                    Alerts.CleanupFailed(
                        ref notifications,
                        $"Cleanup to {CleanupPlan.DescribeTarget(targetPercentage)} ({ByteSize.Format(targetBytes)}) stopped at {ByteSize.Format(_counters.CurrentSize)}: {ByteSize.Format(_counters.PinnedSize)} is pinned in {Wording.Entries(_counters.PinnedCount)}.");
                }

                WatchThresholds(ref notifications);
                return new CleanupResult(monitorName, targetPercentage, targetBytes, before, entries, freed, _counters.PinnedSize, _counters.PinnedCount);
            }
        }

        public override CleanupPlan PlanCleanup(double targetPercentage, string monitorName)
        {
            long targetBytes = TargetBytes(targetPercentage);
            using (_gate.Hold())
            {
                var candidates = new List<AllocationEntry>();
                long remaining = _counters.CurrentSize;
                for (int slot = _table.OldestEvictable; slot != EntryTable.None && remaining > targetBytes; slot = _table.NewerThan(slot))
                {
                    candidates.Add(_table.Snapshot(slot, monitorName));
                    remaining -= _table.ChargeAt(slot);
                }

                return new CleanupPlan(monitorName, targetPercentage, targetBytes, _counters.CurrentSize, candidates, _counters.CurrentSize - remaining, _counters.PinnedSize, _counters.PinnedCount);
            }
        }

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

        public override IReadOnlyList<AllocationEntry> GetAllocations(string monitorName)
        {
            using (_gate.Hold())
            {
                List<int> slots = _table.OldestFirst(_table.Count);
                var entries = new AllocationEntry[slots.Count];
                for (int i = 0; i < entries.Length; i++)
                {
                    entries[i] = _table.Snapshot(slots[i], monitorName);
                }

                return entries;
            }
        }

        public override TrackerCounters ReadCounters()
        {
            using (_gate.Hold())
            {
                return _counters;
            }
        }

        public override void Reset()
        {
            using (_gate.Hold())
            {
                _table.Clear();
                _counters = default;
                _stateAtThreshold = false;
                _entriesAtThreshold = false;
                _automaticCleanupFailing = false;
            }
        }

        // Clamped like the limits' own byte thresholds: casting 2^63 to long is unspecified (long.MinValue on .NET Framework hosts).
        private long TargetBytes(double targetPercentage) => ResourceLimits.FloorProduct(Limits.MaxStateSize, targetPercentage);

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
        private void EvictWhile(ref Notifications notifications, EvictionReason reason, int protectedSlot, long maxBytes, long maxCount, ref int evicted, ref long freed)
        {
            int slot = _table.OldestEvictable;
            while (slot != EntryTable.None && (_counters.CurrentSize > maxBytes || _counters.ValueCount > maxCount))
            {
                int newer = _table.NewerThan(slot);
                if (slot != protectedSlot)
                {
                    AllocationEntry entry = _table.Snapshot(slot, Alerts.MonitorName);
                    freed += entry.ResidentSize;
                    evicted++;
                    _counters.TotalEvictions++;
                    _counters.EvictedBytes += entry.ResidentSize;
                    RemoveSlot(slot);
                    notifications.AddEviction(entry, reason);
                }

                slot = newer;
            }
        }

        private void RemoveSlot(int slot)
        {
            long charge = _table.ChargeAt(slot);
            if (_table.IsPinnedAt(slot))
            {
                _counters.PinnedSize -= charge;
                _counters.PinnedCount--;
            }

            if (_table.IsStreamedAt(slot))
            {
                _counters.StreamedCount--;
                _counters.StreamedBytes -= _table.SizeAt(slot);
            }

            _counters.CurrentSize -= charge;
            _counters.ValueCount--;
            _table.Remove(slot);
        }

        private AllocationResult RejectOverLimit(ref Notifications notifications, bool overState, long sizeAfter, long countAfter, string key) =>
            overState
                ? Reject(ref notifications, LimitedResource.StateSize, sizeAfter, Limits.MaxStateSize, key)
                : Reject(ref notifications, LimitedResource.CacheEntries, countAfter, Limits.MaxCacheEntries, key);

        private AllocationResult Reject(ref Notifications notifications, LimitedResource resource, long attempted, long limit, string key)
        {
            _counters.RejectedAllocations++;
            Alerts.LimitExceeded(ref notifications, resource, attempted, limit, key);
            return AllocationResult.Rejected(resource, attempted, limit);
        }

        /// <summary>Raises ApproachingLimit when usage crosses the threshold upwards; re-arms once it drops below.</summary>
        private void WatchThresholds(ref Notifications notifications)
        {
            bool stateAt = _counters.CurrentSize >= Limits.CleanupThresholdBytes;
            if (stateAt && !_stateAtThreshold)
            {
                Alerts.ApproachingLimit(ref notifications, LimitedResource.StateSize, _counters.CurrentSize, Limits.MaxStateSize);
            }

            bool entriesAt = _counters.ValueCount >= Limits.CleanupThresholdEntries;
            if (entriesAt && !_entriesAtThreshold)
            {
                Alerts.ApproachingLimit(ref notifications, LimitedResource.CacheEntries, _counters.ValueCount, Limits.MaxCacheEntries);
            }

            _stateAtThreshold = stateAt;
            _entriesAtThreshold = entriesAt;
            if (_counters.CurrentSize <= Limits.CleanupTargetBytes && _counters.ValueCount <= Limits.CleanupTargetEntries)
            {
                _automaticCleanupFailing = false;
            }
        }

        /// <summary>
        /// Raises CleanupFailed when an automatic cleanup run stops short of its target because pins hold the
        /// rest. The entry just recorded is never evicted, so a run that is above its target only by that
        /// entry has not failed (the next run may evict it). Edge-triggered like ApproachingLimit: a monitor
        /// held above its target says so once, not on every cleanup run, until usage is back at or below the
        /// target (by a run, a deallocation, an unpin and cleanup, or a reset).
        /// </summary>
        private void WatchAutomaticCleanup(ref Notifications notifications, int recordedSlot)
        {
            long size = _counters.CurrentSize;
            long count = _counters.ValueCount;
            if (!_table.IsPinnedAt(recordedSlot))
            {
                size -= _table.ChargeAt(recordedSlot);
                count--;
            }

            bool reached = size <= Limits.CleanupTargetBytes && count <= Limits.CleanupTargetEntries;
            if (!reached && !_automaticCleanupFailing)
            {
                Alerts.CleanupFailed(
                    ref notifications,
                    $"Automatic cleanup stopped at {ByteSize.Format(_counters.CurrentSize)} in {Wording.Entries(_counters.ValueCount)}, above its target of {ByteSize.Format(Limits.CleanupTargetBytes)} and {Wording.Entries(Limits.CleanupTargetEntries)}: {ByteSize.Format(_counters.PinnedSize)} is pinned in {Wording.Entries(_counters.PinnedCount)}.");
            }

            _automaticCleanupFailing = !reached;
        }
    }
}
