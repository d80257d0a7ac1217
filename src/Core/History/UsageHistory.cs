using System;
using System.Collections.Generic;
using System.Threading;

namespace AgentFlow.Resources
{
    /// <summary>
    /// A bounded ring of usage samples, one per interval on a fixed grid of the clock (whole seconds for the
    /// default 1 s). The interval that holds the latest change stays open: its value is the monitor's current
    /// usage, so nothing is written on an ordinary update. The first change in a later interval closes it with
    /// the usage just before that change (the latest value of the interval) and opens the new one. An update
    /// therefore costs one clock read and one comparison (<see cref="IsDue"/>); the lock here is taken only
    /// when an interval rolls over, at most once per interval, and by readers.
    /// </summary>
    internal sealed class UsageHistory
    {
        private readonly object _gate = new object();
        private readonly long _intervalTicks;
        private readonly long[] _ticks;
        private readonly long[] _sizes;
        private readonly long[] _counts;
        private int _newest = -1;
        private int _count;
        private long _openStart = NotOpen;
        private long _openEnd = NotOpen;

        private const long NotOpen = long.MinValue;

        public UsageHistory(UsageHistorySettings settings)
        {
            Settings = settings;
            _intervalTicks = settings.Interval.Ticks;

            // The open interval is one of the Length samples, so the ring keeps Length - 1 closed ones.
            int closed = Math.Max(0, settings.Length - 1);
            _ticks = new long[closed];
            _sizes = new long[closed];
            _counts = new long[closed];
        }

        public UsageHistorySettings Settings { get; }

        public bool Enabled => Settings.Length > 0;

        /// <summary>True when a change at <paramref name="nowTicks"/> falls outside the open interval (or none is open).</summary>
        public bool IsDue(long nowTicks) => nowTicks >= Volatile.Read(ref _openEnd);

        /// <summary>
        /// Before a change at <paramref name="nowTicks"/>: closes the open interval with the usage before the change
        /// and opens the interval holding <paramref name="nowTicks"/>. False when another thread already rolled it.
        /// </summary>
        public bool Roll(long nowTicks, long sizeBefore, long countBefore)
        {
            if (!Enabled)
            {
                return false;
            }

            lock (_gate)
            {
                if (nowTicks < _openEnd)
                {
                    return false;
                }

                if (_openStart != NotOpen && _ticks.Length > 0)
                {
                    _newest = (_newest + 1) % _ticks.Length;
                    _ticks[_newest] = _openStart;
                    _sizes[_newest] = sizeBefore;
                    _counts[_newest] = countBefore;
                    _count = Math.Min(_count + 1, _ticks.Length);
                }

                _openStart = nowTicks - PositiveRemainder(nowTicks, _intervalTicks);
                Volatile.Write(ref _openEnd, _openStart + _intervalTicks);
                return true;
            }
        }

        /// <summary>
        /// The samples, oldest first: the closed ones and the open interval with the current usage. At most
        /// <paramref name="maxSamples"/> of the newest are copied.
        /// </summary>
        public HistoryPoints Read(long currentSize, long currentCount, int maxSamples, HistoryPoints? into = null)
        {
            lock (_gate)
            {
                bool open = _openStart != NotOpen;
                int total = Math.Min(_count + (open ? 1 : 0), maxSamples);
                HistoryPoints points = into?.Reset(total) ?? new HistoryPoints(total);
                int closedToCopy = total - (open ? 1 : 0);
                for (int i = closedToCopy - 1; i >= 0; i--)
                {
                    int slot = (_newest - i + _ticks.Length) % _ticks.Length;
                    points.Add(_ticks[slot], _sizes[slot], _counts[slot]);
                }

                if (open)
                {
                    points.Add(_openStart, currentSize, currentCount);
                }

                return points;
            }
        }

        /// <summary>The start of the interval holding <paramref name="nowTicks"/>, and whether it is later than the open one (no change since).</summary>
        public bool IsPastOpenInterval(long nowTicks, out long intervalStart)
        {
            intervalStart = nowTicks - PositiveRemainder(nowTicks, _intervalTicks);
            return nowTicks >= Volatile.Read(ref _openEnd);
        }

        /// <summary>The closed samples, oldest first, and the start of the open interval (null when none is open).</summary>
        public IReadOnlyList<UsageSample> ReadClosed(long maxStateSize, out DateTime? openInterval)
        {
            lock (_gate)
            {
                openInterval = _openStart == NotOpen ? (DateTime?)null : new DateTime(_openStart, DateTimeKind.Utc);
                var samples = new UsageSample[_count];
                for (int i = _count - 1, n = 0; i >= 0; i--, n++)
                {
                    int slot = (_newest - i + _ticks.Length) % _ticks.Length;
                    samples[n] = new UsageSample(new DateTime(_ticks[slot], DateTimeKind.Utc), _sizes[slot], _counts[slot], (double)_sizes[slot] / maxStateSize);
                }

                return samples;
            }
        }

        /// <summary>Replaces the history with closed samples (oldest first, no more than it keeps) and an open interval.</summary>
        public void Restore(IReadOnlyList<UsageSample> closed, DateTime? openInterval)
        {
            lock (_gate)
            {
                if (closed.Count > _ticks.Length)
                {
                    throw new ArgumentException($"The history keeps {_ticks.Length} closed samples, not {closed.Count}.", nameof(closed));
                }

                for (int i = 0; i < closed.Count; i++)
                {
                    _ticks[i] = closed[i].Timestamp.Ticks;
                    _sizes[i] = closed[i].CurrentSize;
                    _counts[i] = closed[i].ValueCount;
                }

                _count = closed.Count;
                _newest = closed.Count - 1;
                _openStart = openInterval.HasValue ? openInterval.Value.Ticks : NotOpen;
                Volatile.Write(ref _openEnd, openInterval.HasValue ? _openStart + _intervalTicks : NotOpen);
            }
        }

        public void Clear()
        {
            lock (_gate)
            {
                _newest = -1;
                _count = 0;
                _openStart = NotOpen;
                Volatile.Write(ref _openEnd, NotOpen);
            }
        }

        private static long PositiveRemainder(long value, long divisor)
        {
            long remainder = value % divisor;
            return remainder < 0 ? remainder + divisor : remainder;
        }
    }

    /// <summary>A copy of history samples as three parallel arrays, oldest first.</summary>
    internal sealed class HistoryPoints
    {
        public HistoryPoints(int capacity)
        {
            Ticks = new long[capacity];
            Sizes = new long[capacity];
            Counts = new long[capacity];
        }

        public long[] Ticks { get; }

        public long[] Sizes { get; }

        public long[] Counts { get; }

        public int Count { get; private set; }

        /// <summary>Empties the points to be filled again (up to the capacity they were made with).</summary>
        public HistoryPoints Reset(int needed)
        {
            if (needed > Ticks.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(needed), needed, "More points than the buffer holds.");
            }

            Count = 0;
            return this;
        }

        public void Add(long ticks, long size, long count)
        {
            Ticks[Count] = ticks;
            Sizes[Count] = size;
            Counts[Count] = count;
            Count++;
        }

        public UsageSample[] ToSamples(long maxStateSize)
        {
            var samples = new UsageSample[Count];
            for (int i = 0; i < Count; i++)
            {
                samples[i] = new UsageSample(new DateTime(Ticks[i], DateTimeKind.Utc), Sizes[i], Counts[i], (double)Sizes[i] / maxStateSize);
            }

            return samples;
        }
    }
}
