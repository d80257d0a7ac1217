using System;
using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>
    /// The per-key store of a detailed monitor: a key index over a flat array of entry slots, threaded
    /// into two intrusive least-recently-used lists (evictable and pinned). Not thread-safe: the owner
    /// locks. Every operation on an existing key is O(1) and allocates nothing; eviction walks only the
    /// evictable list, so its cost is proportional to the entries evicted.
    /// </summary>
    internal sealed class EntryTable
    {
        public const int None = -1;
        private const int InitialCapacity = 16;

        private Dictionary<string, int> _index = new Dictionary<string, int>(StringComparer.Ordinal);
        private Slot[] _slots = new Slot[InitialCapacity];
        private int _used;
        private int _freeHead = None;
        private long _clock;
        private ListEnds _evictable = ListEnds.Empty;
        private ListEnds _pinned = ListEnds.Empty;

        public int Count => _index.Count;

        /// <summary>The least recently used evictable slot, or <see cref="None"/>.</summary>
        public int OldestEvictable => _evictable.Head;

        public bool TryFind(string key, out int slot) => _index.TryGetValue(key, out slot);

        public string KeyAt(int slot) => _slots[slot].Key;

        public long SizeAt(int slot) => _slots[slot].Size;

        public long ChargeAt(int slot) => _slots[slot].Charge;

        public bool IsPinnedAt(int slot) => _slots[slot].Pinned;

        public bool IsStreamedAt(int slot) => _slots[slot].Charge < _slots[slot].Size;

        /// <summary>The next more recently used slot of the same list.</summary>
        public int NewerThan(int slot) => _slots[slot].Next;

        /// <summary>Adds a new entry as the most recently used.</summary>
        public int Add(string key, long size, long charge, bool pinned)
        {
            int slot = TakeFreeSlot();
            ref Slot s = ref _slots[slot];
            s.Key = key;
            s.Size = size;
            s.Charge = charge;
            s.Clock = Slot.Pack(++_clock, pinned);
            Append(ref ListOf(pinned), slot);
            _index.Add(key, slot);
            return slot;
        }

        /// <summary>Changes an entry's size and makes it the most recently used.</summary>
        public void Update(int slot, long size, long charge)
        {
            _slots[slot].Size = size;
            _slots[slot].Charge = charge;
            Touch(slot);
        }

        /// <summary>Makes an entry the most recently used.</summary>
        public void Touch(int slot)
        {
            ref Slot s = ref _slots[slot];
            ref ListEnds list = ref ListOf(s.Pinned);
            s.Clock = Slot.Pack(++_clock, s.Pinned);
            if (list.Tail != slot)
            {
                Unlink(ref list, slot);
                Append(ref list, slot);
            }
        }

        /// <summary>Moves an entry between the evictable and pinned lists, keeping its place in recency order.</summary>
        public void SetPinned(int slot, bool pinned)
        {
            if (_slots[slot].Pinned == pinned)
            {
                return;
            }

            Unlink(ref ListOf(!pinned), slot);
            _slots[slot].Clock = Slot.Pack(_slots[slot].Stamp, pinned);
            InsertByStamp(ref ListOf(pinned), slot);
        }

        public void Remove(int slot)
        {
            ref Slot s = ref _slots[slot];
            Unlink(ref ListOf(s.Pinned), slot);
            _index.Remove(s.Key);
            s = default;
            s.Next = _freeHead;
            _freeHead = slot;
        }

        public AllocationEntry Snapshot(int slot, string monitorName)
        {
            ref Slot s = ref _slots[slot];
            return new AllocationEntry(monitorName, s.Key, s.Size, s.Charge, s.Pinned, s.Charge < s.Size);
        }

        /// <summary>Up to <paramref name="count"/> slots of both lists, least recently used first.</summary>
        public List<int> OldestFirst(int count)
        {
            var result = new List<int>(Math.Min(count, Count));
            int evictable = _evictable.Head;
            int pinned = _pinned.Head;
            while (result.Count < count && (evictable != None || pinned != None))
            {
                bool takeEvictable = pinned == None || (evictable != None && _slots[evictable].Stamp < _slots[pinned].Stamp);
                if (takeEvictable)
                {
                    result.Add(evictable);
                    evictable = _slots[evictable].Next;
                }
                else
                {
                    result.Add(pinned);
                    pinned = _slots[pinned].Next;
                }
            }

            return result;
        }

        public void Clear()
        {
            _index = new Dictionary<string, int>(StringComparer.Ordinal);
            _slots = new Slot[InitialCapacity];
            _used = 0;
            _freeHead = None;
            _clock = 0;
            _evictable = ListEnds.Empty;
            _pinned = ListEnds.Empty;
        }

        private ref ListEnds ListOf(bool pinned)
        {
            if (pinned)
            {
                return ref _pinned;
            }

            return ref _evictable;
        }

        private int TakeFreeSlot()
        {
            if (_freeHead != None)
            {
                int slot = _freeHead;
                _freeHead = _slots[slot].Next;
                return slot;
            }

            if (_used == _slots.Length)
            {
                Array.Resize(ref _slots, _slots.Length * 2);
            }

            return _used++;
        }

        private void Append(ref ListEnds list, int slot)
        {
            _slots[slot].Prev = list.Tail;
            _slots[slot].Next = None;
            if (list.Tail == None)
            {
                list.Head = slot;
            }
            else
            {
                _slots[list.Tail].Next = slot;
            }

            list.Tail = slot;
        }

        // Walks from the newest end: an entry that is pinned or unpinned is usually among the recent ones.
        private void InsertByStamp(ref ListEnds list, int slot)
        {
            long stamp = _slots[slot].Stamp;
            int after = list.Tail;
            while (after != None && _slots[after].Stamp > stamp)
            {
                after = _slots[after].Prev;
            }

            int before = after == None ? list.Head : _slots[after].Next;
            _slots[slot].Prev = after;
            _slots[slot].Next = before;
            if (after == None)
            {
                list.Head = slot;
            }
            else
            {
                _slots[after].Next = slot;
            }

            if (before == None)
            {
                list.Tail = slot;
            }
            else
            {
                _slots[before].Prev = slot;
            }
        }

        private void Unlink(ref ListEnds list, int slot)
        {
            int prev = _slots[slot].Prev;
            int next = _slots[slot].Next;
            if (prev == None)
            {
                list.Head = next;
            }
            else
            {
                _slots[prev].Next = next;
            }

            if (next == None)
            {
                list.Tail = prev;
            }
            else
            {
                _slots[next].Prev = prev;
            }
        }

        // 40 bytes: the pinned flag shares a word with the recency stamp (a separate bool would pad the
        // slot to 48 bytes, 8 more per entry).
        private struct Slot
        {
            private const long PinnedBit = long.MinValue;

            public string Key;
            public long Size;
            public long Charge;

            /// <summary>The recency stamp (bits 0-62; the clock never gets near 2^63) and the pinned flag (bit 63).</summary>
            public long Clock;
            public int Prev;
            public int Next;

            public readonly long Stamp => Clock & long.MaxValue;

            public readonly bool Pinned => Clock < 0;

            public static long Pack(long stamp, bool pinned) => pinned ? stamp | PinnedBit : stamp;
        }

        private struct ListEnds
        {
            public static readonly ListEnds Empty = new ListEnds { Head = None, Tail = None };

            public int Head;
            public int Tail;
        }
    }
}
