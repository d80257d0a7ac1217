using System;
using System.Collections.Generic;
using System.Linq;
using AgentFlow.Resources;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// A plain, obviously-correct model of a detailed monitor, written from BEHAVIOUR.md: one list in
    /// recency order (index 0 = least recently used), totals recomputed by summing it, eviction by
    /// walking it. No cleverness, so that it can be trusted to judge the engine.
    /// </summary>
    internal sealed class ReferenceModel
    {
        private readonly long _maxState;
        private readonly long _maxValue;
        private readonly long _maxEntries;
        private readonly double _threshold;
        private readonly double _target;
        private readonly bool _auto;
        private readonly bool _streaming;
        private readonly long _chunk;
        private readonly int _maxAlerts;

        // Usage after every operation since creation or the last reset: the alerts' edge triggers are derived from it.
        private readonly List<Point> _history = new List<Point>();

        public ReferenceModel(long maxState, long maxValue, long maxEntries, double threshold, double target, bool auto, bool streaming, long chunk, int maxAlerts = int.MaxValue)
        {
            _maxAlerts = maxAlerts;
            _maxState = maxState;
            _maxValue = maxValue;
            _maxEntries = maxEntries;
            _threshold = threshold;
            _target = target;
            _auto = auto;
            _streaming = streaming;
            _chunk = chunk;
        }

        public List<Entry> Lru { get; } = new List<Entry>();

        public List<string> Alerts { get; } = new List<string>();

        public List<string> Evictions { get; } = new List<string>();

        public long Peak { get; private set; }

        public long TotalEvictions { get; private set; }

        public long EvictedBytes { get; private set; }

        public long Rejected { get; private set; }

        public long Total => Lru.Sum(e => e.Charge);

        public long Count => Lru.Count;

        public long AlertsDropped { get; private set; }

        public long ThresholdBytes => (long)Math.Floor(Whole(_maxState * _threshold));

        public long ThresholdEntries => (long)Math.Ceiling(Whole(_maxEntries * _threshold));

        public long TargetBytes => (long)Math.Floor(Whole(_maxState * _target));

        public long TargetEntries => (long)Math.Floor(Whole(_maxEntries * _target));

        public long PinnedSize => Lru.Where(e => e.Pinned).Sum(e => e.Charge);

        public long PinnedCount => Lru.Count(e => e.Pinned);

        public long StreamedCount => Lru.Count(e => e.Streamed);

        public long StreamedBytes => Lru.Where(e => e.Streamed).Sum(e => e.Size);

        public static string Describe(Entry e) =>
            e.Key + "=" + e.Size + (e.Charge != e.Size ? "/" + e.Charge : string.Empty) + (e.Pinned ? "!" : string.Empty) + (e.Streamed ? "~" : string.Empty);

        public string DescribeAll() => string.Join(", ", Lru.Select(Describe));

        public Entry? Find(string key) => Lru.FirstOrDefault(e => e.Key == key);

        public (bool Recorded, int Evicted) Allocate(string key, long size, bool pin)
        {
            long charge = size;
            bool streamed = false;
            if (size > _maxValue)
            {
                if (!_streaming)
                {
                    Reject("ValueSize", size, _maxValue, key);
                    return (false, 0);
                }

                streamed = true;
                charge = Math.Min(size, _chunk);
            }

            Entry? existing = Find(key);
            long sizeAfter = Total - (existing?.Charge ?? 0) + charge;
            long countAfter = Count + (existing == null ? 1 : 0);
            var evicted = new List<Entry>();
            if (sizeAfter > _maxState || countAfter > _maxEntries)
            {
                if (!_auto)
                {
                    RejectOverLimit(sizeAfter, countAfter, key);
                    return (false, 0);
                }

                // Walk the unpinned entries, least recently used first, never the key being recorded.
                long bytes = Total;
                long count = Count;
                long growth = charge - (existing?.Charge ?? 0);
                long added = existing == null ? 1 : 0;
                var plan = new List<Entry>();
                foreach (Entry candidate in Lru.Where(e => !e.Pinned && e.Key != key))
                {
                    if (bytes + growth <= _maxState && count + added <= _maxEntries)
                    {
                        break;
                    }

                    plan.Add(candidate);
                    bytes -= candidate.Charge;
                    count--;
                }

                if (bytes + growth > _maxState || count + added > _maxEntries)
                {
                    Alerts.Add("CleanupFailed");
                    RejectOverLimit(sizeAfter, countAfter, key);
                    return (false, 0);
                }

                foreach (Entry e in plan)
                {
                    Evict(e, EvictionReason.Admission);
                    evicted.Add(e);
                }
            }

            if (existing != null)
            {
                Lru.Remove(existing);
                existing.Size = size;
                existing.Charge = charge;
                existing.Pinned |= pin;
                existing.Streamed = streamed;
                Lru.Add(existing);
            }
            else
            {
                Lru.Add(new Entry { Key = key, Size = size, Charge = charge, Pinned = pin, Streamed = streamed });
            }

            Peak = Math.Max(Peak, Total);

            bool thresholdCleanup = _auto && (Total >= ThresholdBytes || Count >= ThresholdEntries);
            if (thresholdCleanup)
            {
                // Down to the target when the pins allow it; otherwise only to just below the threshold, and not at
                // all when even that is out of reach (the entry just recorded always stays).
                Entry recorded = Find(key)!;
                bool targetReachable = PinnedSize <= TargetBytes && PinnedCount <= TargetEntries;
                long keptBytes = PinnedSize + (recorded.Pinned ? 0 : recorded.Charge);
                long keptCount = PinnedCount + (recorded.Pinned ? 0 : 1);
                bool belowThresholdReachable = keptBytes < ThresholdBytes && keptCount < ThresholdEntries;
                foreach (Entry candidate in Lru.Where(e => !e.Pinned && e.Key != key).ToList())
                {
                    bool done = targetReachable
                        ? Total <= TargetBytes && Count <= TargetEntries
                        : !belowThresholdReachable || (Total < ThresholdBytes && Count < ThresholdEntries);
                    if (done)
                    {
                        break;
                    }

                    Evict(candidate, EvictionReason.Threshold);
                    evicted.Add(candidate);
                }
            }

            if (evicted.Count > 0)
            {
                Alerts.Add($"CleanupTriggered {evicted.Sum(e => e.Charge)} {evicted.Count} True");
            }

            var point = new Point { AutomaticRun = thresholdCleanup };
            if (thresholdCleanup)
            {
                // One CleanupFailed per stretch of automatic runs that pins keep above the target (the entry just
                // recorded is never evicted, so it does not count against the run).
                Entry recorded = Find(key)!;
                long sizeLeft = Total - (recorded.Pinned ? 0 : recorded.Charge);
                long countLeft = Count - (recorded.Pinned ? 0 : 1);
                point.RunReachedTarget = sizeLeft <= TargetBytes && countLeft <= TargetEntries;
                if (!point.RunReachedTarget && !FailureAnnouncedInThisStretch())
                {
                    Alerts.Add("CleanupFailed");
                    point.FailureAnnounced = true;
                }
            }

            Watch(point);
            return (true, evicted.Count);
        }

        public bool Deallocate(string key)
        {
            Entry? e = Find(key);
            if (e == null)
            {
                return false;
            }

            Lru.Remove(e);
            Watch(default);
            return true;
        }

        public bool Access(string key)
        {
            Entry? e = Find(key);
            if (e == null)
            {
                return false;
            }

            Lru.Remove(e);
            Lru.Add(e);
            return true;
        }

        public bool SetPinned(string key, bool pinned)
        {
            Entry? e = Find(key);
            if (e == null)
            {
                return false;
            }

            e.Pinned = pinned; // the list order is the recency order: pinning does not move anything
            return true;
        }

        /// <summary>What a cleanup to <paramref name="target"/> would evict, in order.</summary>
        public List<Entry> Plan(double target, out long targetBytes)
        {
            targetBytes = (long)Math.Floor(Whole(_maxState * target));
            var plan = new List<Entry>();
            long bytes = Total;
            foreach (Entry e in Lru.Where(e => !e.Pinned))
            {
                if (bytes <= targetBytes)
                {
                    break;
                }

                plan.Add(e);
                bytes -= e.Charge;
            }

            return plan;
        }

        public List<Entry> Cleanup(double target, out long targetBytes)
        {
            List<Entry> plan = Plan(target, out targetBytes);
            foreach (Entry e in plan)
            {
                Evict(e, EvictionReason.Manual);
            }

            if (plan.Count > 0)
            {
                Alerts.Add($"CleanupTriggered {plan.Sum(e => e.Charge)} {plan.Count} False");
            }

            if (Total > targetBytes)
            {
                Alerts.Add("CleanupFailed");
            }

            Watch(default);
            return plan;
        }

        public void Reset()
        {
            Lru.Clear();
            Alerts.Clear();
            Peak = 0;
            TotalEvictions = 0;
            EvictedBytes = 0;
            Rejected = 0;
            AlertsDropped = 0;
            _history.Clear();
        }

        private void Evict(Entry e, EvictionReason reason)
        {
            Lru.Remove(e);
            TotalEvictions++;
            EvictedBytes += e.Charge;
            Evictions.Add(e.Key + ":" + reason);
        }

        private void RejectOverLimit(long sizeAfter, long countAfter, string key)
        {
            if (sizeAfter > _maxState)
            {
                Reject("StateSize", sizeAfter, _maxState, key);
            }
            else
            {
                Reject("CacheEntries", countAfter, _maxEntries, key);
            }
        }

        private void Reject(string resource, long current, long limit, string key)
        {
            Rejected++;
            Alerts.Add($"LimitExceeded {resource} {current} {limit} {key}");
        }

        /// <summary>The alerts the monitor's bounded queue holds after this step: the newest ones; older ones are dropped and counted.</summary>
        public List<string> DrainAlerts()
        {
            int dropped = Math.Max(0, Alerts.Count - _maxAlerts);
            AlertsDropped += dropped;
            List<string> kept = Alerts.Skip(dropped).ToList();
            Alerts.Clear();
            return kept;
        }

        /// <summary>
        /// ApproachingLimit when usage is at or above the threshold now and was below it after the previous operation
        /// (or there was none since creation or reset): derived from the history, not from a flag.
        /// </summary>
        private void Watch(Point point)
        {
            Point? previous = _history.Count > 0 ? _history[_history.Count - 1] : null;
            if (Total >= ThresholdBytes && (previous == null || previous.Value.Total < ThresholdBytes))
            {
                Alerts.Add($"ApproachingLimit StateSize {Total} {_maxState}");
            }

            if (Count >= ThresholdEntries && (previous == null || previous.Value.Count < ThresholdEntries))
            {
                Alerts.Add($"ApproachingLimit CacheEntries {Count} {_maxEntries}");
            }

            point.Total = Total;
            point.Count = Count;
            _history.Add(point);
        }

        /// <summary>
        /// True when an automatic run already announced CleanupFailed in the current stretch: walking back through
        /// the history, a point with an announcement comes before one that ended the stretch (usage at or below the
        /// target, or an automatic run that reached it).
        /// </summary>
        private bool FailureAnnouncedInThisStretch()
        {
            for (int i = _history.Count - 1; i >= 0; i--)
            {
                Point p = _history[i];
                if (p.FailureAnnounced)
                {
                    return true;
                }

                if ((p.Total <= TargetBytes && p.Count <= TargetEntries) || (p.AutomaticRun && p.RunReachedTarget))
                {
                    return false;
                }
            }

            return false;
        }

        // Limit products that are whole numbers but for floating-point noise count as whole (0.07 x 100 is 7).
        private static double Whole(double product)
        {
            double nearest = Math.Round(product);
            return Math.Abs(product - nearest) <= 1e-12 * Math.Max(1.0, Math.Abs(product)) ? nearest : product;
        }

        private struct Point
        {
            public long Total;
            public long Count;
            public bool AutomaticRun;
            public bool RunReachedTarget;
            public bool FailureAnnounced;
        }

        internal sealed class Entry
        {
            public string Key = string.Empty;
            public long Size;
            public long Charge;
            public bool Pinned;
            public bool Streamed;
        }

        /// <summary>The engine's alert in the model's notation.</summary>
        public static string Notation(ResourceAlert alert) => alert switch
        {
            ApproachingLimitAlert a => $"ApproachingLimit {a.Resource} {a.Current} {a.Limit}",
            LimitExceededAlert l => $"LimitExceeded {l.Resource} {l.Current} {l.Limit} {l.Key}",
            CleanupTriggeredAlert c => $"CleanupTriggered {c.Freed} {c.EntriesRemoved} {c.Automatic}",
            CleanupFailedAlert => "CleanupFailed",
            _ => throw new InvalidOperationException("unknown alert " + alert),
        };
    }
}
