using System;
using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>
    /// The per-key store of a detailed monitor: entry slots in segments, a hash index chained through the
    /// slots, and two intrusive least-recently-used lists (evictable and pinned) threaded through them too.
    /// Not thread-safe: the owner locks. Every operation on an existing key is O(1) and allocates nothing;
    /// eviction walks only the evictable list, so its cost is proportional to the entries evicted, and removing
    /// a slot unlinks it through the hash it stored (the key is not hashed again).
    /// </summary>
    /// <remarks>
    /// Memory follows the entry count both ways. Growing adds a segment (no slot is copied) and relinks the hash
    /// chains into a bucket array twice the size. <see cref="TrimIfSparse"/> shrinks once at most a quarter of the
    /// slots are in use, compacting the entries into a table of at least twice their number: a table at a steady
    /// size never resizes back and forth, and a table emptied entry by entry ends at its initial size.
    /// </remarks>
    internal sealed class EntryTable
    {
        public const int None = -1;
        private const int MinCapacity = 16;

        // A chain this long (load factor at most 1) means colliding keys, not bad luck.
        internal const int MaxChainSteps = 64;
        private const int SegmentShift = 12;
        private const int SegmentSize = 1 << SegmentShift;
        private const int SegmentMask = SegmentSize - 1;

        // The size of a Slot on a 64-bit runtime (see Slot).
        private const int SlotBytes = 48;

        private Slot[][] _segments = NewDirectory();
        private int[] _buckets = new int[MinCapacity]; // head slot of each hash chain, plus one (0 = empty)
        private int _capacity = MinCapacity;
        private bool _randomizedHash;
        private int _count;
        private int _used;
        private int _freeHead = None;
        private long _clock;
        private ListEnds _evictable = ListEnds.Empty;
        private ListEnds _pinned = ListEnds.Empty;

        public int Count => _count;

        /// <summary>
        /// Bytes of the slot segments, the bucket array and the segment directory, measured from the arrays
        /// themselves (not from the capacity), so that a shrink that kept an array would show.
        /// </summary>
        public long HeldBytes
        {
            get
            {
                long slots = 0;
                foreach (Slot[] segment in _segments)
                {
                    slots += segment.Length;
                }

                return (slots * SlotBytes) + ((long)_buckets.Length * sizeof(int)) + ((long)_segments.Length * IntPtr.Size);
            }
        }

        /// <summary>How many times the table grew or shrank (for tests of the hysteresis).</summary>
        public int Resizes { get; private set; }

        /// <summary>The least recently used evictable slot, or <see cref="None"/>.</summary>
        public int OldestEvictable => _evictable.Head;

        /// <summary>True once a long hash chain made the table switch to the randomized string hash.</summary>
        public bool UsesRandomizedHash => _randomizedHash;

        public bool TryFind(string key, out int slot)
        {
            int hash = HashOf(key);
            int steps = 0;
            for (int i = _buckets[hash & (_capacity - 1)] - 1; i != None; i = At(i).NextInBucket)
            {
                ref Slot s = ref At(i);
                if (s.Hash == hash && string.Equals(s.Key, key))
                {
                    slot = i;
                    return true;
                }

                steps++;
            }

            if (steps > MaxChainSteps && !_randomizedHash)
            {
                SwitchToRandomizedHash();
            }

            slot = None;
            return false;
        }

        public string KeyAt(int slot) => At(slot).Key;

        public long SizeAt(int slot) => At(slot).Size;

        public long ChargeAt(int slot) => At(slot).Charge;

        public bool IsPinnedAt(int slot) => At(slot).Pinned;

        public bool IsStreamedAt(int slot) => At(slot).Charge < At(slot).Size;

        /// <summary>The next more recently used slot of the same list.</summary>
        public int NewerThan(int slot) => At(slot).Next;

        /// <summary>Adds a new entry (the key must not be present) as the most recently used.</summary>
        public int Add(string key, long size, long charge, bool pinned) => Add(key, HashOf(key), size, charge, pinned);

        /// <summary>
        /// Adds the entry as the most recently used unless its key is present (then <see cref="None"/>): one hash of
        /// the key for both, which is what restoring a state does for every key.
        /// </summary>
        public int AddIfAbsent(string key, long size, long charge, bool pinned)
        {
            int hash = HashOf(key);
            int steps = 0;
            for (int i = _buckets[hash & (_capacity - 1)] - 1; i != None; i = At(i).NextInBucket)
            {
                ref Slot s = ref At(i);
                if (s.Hash == hash && string.Equals(s.Key, key))
                {
                    return None;
                }

                steps++;
            }

            if (steps > MaxChainSteps && !_randomizedHash)
            {
                SwitchToRandomizedHash();
                hash = HashOf(key);
            }

            return Add(key, hash, size, charge, pinned);
        }

        /// <summary>
        /// Makes room for <paramref name="count"/> entries in one step (restoring a state of known size), so that
        /// filling the table does not grow it, and relink every chain, once per doubling.
        /// </summary>
        public void EnsureCapacity(int count)
        {
            if (count <= _capacity)
            {
                return;
            }

            int capacity = _capacity;
            while (capacity < count &&
                   // Stryker disable once Equality : capacity is a power of two (16 doubled) and int.MaxValue / 2 is odd, so < and <= agree.
                   capacity <= int.MaxValue / 2)
            {
                capacity *= 2;
            }

            GrowTo(capacity);
        }

        private int Add(string key, int hash, long size, long charge, bool pinned)
        {
            int slot = TakeFreeSlot();
            ref Slot s = ref At(slot);
            s.Key = key;
            s.Size = size;
            s.Charge = charge;
            s.Clock = Slot.Pack(++_clock, pinned);
            s.Hash = hash;
            Chain(slot, ref s);
            Append(ref ListOf(pinned), slot);
            _count++;
            return slot;
        }

        /// <summary>Changes an entry's size and makes it the most recently used.</summary>
        public void Update(int slot, long size, long charge)
        {
            ref Slot s = ref At(slot);
            s.Size = size;
            s.Charge = charge;
            Touch(slot);
        }

        /// <summary>Makes an entry the most recently used.</summary>
        public void Touch(int slot)
        {
            // The access path, written out: one slot look-up for the entry and one for each neighbour it touches.
            // An entry that is not its list's tail has a next one, and the list a tail to append after.
            Slot[][] segments = _segments;
            ref Slot s = ref At(segments, slot);
            long clock = s.Clock;
            // Stryker disable once Equality : a live slot's stamp starts at 1, so its Clock is never 0 and < and <= agree.
            ref ListEnds list = ref ListOf(clock < 0);
            s.Clock = (clock & Slot.PinnedBit) | ++_clock;
            int tail = list.Tail;
            if (tail != slot)
            {
                int prev = s.Prev;
                int next = s.Next;
                if (prev == None)
                {
                    list.Head = next;
                }
                else
                {
                    At(segments, prev).Next = next;
                }

                At(segments, next).Prev = prev;
                At(segments, tail).Next = slot;
                s.Prev = tail;
                s.Next = None;
                list.Tail = slot;
            }
        }

        /// <summary>Moves an entry between the evictable and pinned lists, keeping its place in recency order.</summary>
        public void SetPinned(int slot, bool pinned)
        {
            ref Slot s = ref At(slot);
            if (s.Pinned == pinned)
            {
                return;
            }

            Unlink(ref ListOf(!pinned), slot);
            s.Clock = Slot.Pack(s.Stamp, pinned);
            InsertByStamp(ref ListOf(pinned), slot);
        }

        /// <summary>Removes an entry; its slot is reused by the next <see cref="Add(string, long, long, bool)"/>.</summary>
        public void Remove(int slot) => Remove(slot, out _, out _, out _);

        /// <summary>Removes an entry and says what it held, reading the slot once (the eviction loop's path).</summary>
        public void Remove(int slot, out long size, out long charge, out bool pinned)
        {
            ref Slot s = ref At(slot);
            size = s.Size;
            charge = s.Charge;
            pinned = s.Pinned;
            Unlink(ref ListOf(pinned), slot);
            Unchain(slot, s.Hash, s.NextInBucket);

            // Only the key needs clearing (for the collector and as the free mark); Next links the free list.
            s.Key = null!;
            s.Next = _freeHead;
            _freeHead = slot;
            _count--;
        }

        public AllocationEntry Snapshot(int slot, string monitorName)
        {
            ref Slot s = ref At(slot);
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
                bool takeEvictable = pinned == None || (evictable != None &&
                    // Stryker disable once Equality : stamps are unique (one clock tick per add or touch), so two entries never tie.
                    At(evictable).Stamp < At(pinned).Stamp);
                if (takeEvictable)
                {
                    result.Add(evictable);
                    evictable = At(evictable).Next;
                }
                else
                {
                    result.Add(pinned);
                    pinned = At(pinned).Next;
                }
            }

            return result;
        }

        /// <summary>
        /// Gives memory back once at most a quarter of the slots are in use: the entries move into the lowest
        /// slots (keeping their order and data; slot numbers change) and the table halves or more, to the smallest
        /// power of two at least twice the entry count. Call it between operations, never while walking slots.
        /// </summary>
        public void TrimIfSparse()
        {
            if (_capacity == MinCapacity || _count > _capacity / 4)
            {
                return;
            }

            int capacity = MinCapacity;
            while (capacity < 2 * _count)
            {
                capacity *= 2;
            }

            Compact();

            // Stryker disable once Equality : at exactly one segment the else branch also leaves a one-segment directory holding the same 4096-slot first segment.
            if (capacity <= SegmentSize)
            {
                Slot[] first = _segments[0];
                Array.Resize(ref first, capacity);
                _segments = new[] { first };
            }
            else
            {
                // Stryker disable once Bitwise : capacity is positive, so >> and >>> agree.
                Array.Resize(ref _segments, capacity >> SegmentShift);
            }

            _capacity = capacity;
            Rehash();
            Resizes++;
        }

        public void Clear()
        {
            _segments = NewDirectory();
            _buckets = new int[MinCapacity];
            _capacity = MinCapacity;
            _count = 0;
            _used = 0;
            _freeHead = None;
            _clock = 0;
            _evictable = ListEnds.Empty;
            _pinned = ListEnds.Empty;
        }

        private static Slot[][] NewDirectory() => new[] { new Slot[MinCapacity] };

        private ref Slot At(int slot) => ref At(_segments, slot);

        // Stryker disable once Bitwise : slot numbers are never negative, so >> and >>> agree.
        private static ref Slot At(Slot[][] segments, int slot) => ref segments[slot >> SegmentShift][slot & SegmentMask];

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
                _freeHead = At(slot).Next;
                return slot;
            }

            if (_used == _capacity)
            {
                Grow();
            }

            return _used++;
        }

        private void Grow() => GrowTo(_capacity * 2);

        // Below one segment the first segment grows (a copy of at most one segment); above, segments are added
        // and nothing is copied. The hash chains are relinked into the larger bucket array either way.
        private void GrowTo(int capacity)
        {
            // Stryker disable once Equality : at exactly one segment the else branch resizes the first segment to 4096 slots and adds none, the same table.
            bool withinFirstSegment = capacity <= SegmentSize;
            if (withinFirstSegment)
            {
                Array.Resize(ref _segments[0], capacity);
            }
            else
            {
                // Stryker disable once Equality : Array.Resize to the length the array already has does nothing.
                if (_segments[0].Length < SegmentSize)
                {
                    Array.Resize(ref _segments[0], SegmentSize);
                }

                // Stryker disable once Bitwise : capacities are positive, so >> and >>> agree.
                int segments = capacity >> SegmentShift;

                // Stryker disable once Bitwise : as above.
                int first = _capacity >> SegmentShift;

                // Stryker disable once Equality : Array.Resize to the length the array already has does nothing.
                if (_segments.Length < segments)
                {
                    Array.Resize(ref _segments, segments);
                }

                for (int i = Math.Max(first, 1); i < segments; i++)
                {
                    _segments[i] = new Slot[SegmentSize];
                }
            }

            _capacity = capacity;
            Rehash();
            Resizes++;
        }

        /// <summary>Moves every entry into slots 0 .. Count-1, relinking its list neighbours; the free list empties.</summary>
        private void Compact()
        {
            int hole = 0;
            for (int from = _used - 1; from >= _count; from--)
            {
                if (At(from).Key == null)
                {
                    continue;
                }

                while (At(hole).Key != null)
                {
                    hole++;
                }

                ref Slot source = ref At(from);
                ref ListEnds list = ref ListOf(source.Pinned);
                At(hole) = source;
                if (source.Prev == None)
                {
                    list.Head = hole;
                }
                else
                {
                    At(source.Prev).Next = hole;
                }

                if (source.Next == None)
                {
                    list.Tail = hole;
                }
                else
                {
                    At(source.Next).Prev = hole;
                }

                source = default;
            }

            _used = _count;
            _freeHead = None;
        }

        private int HashOf(string key) => _randomizedHash ? key.GetHashCode() : KeyHash.Fast(key);

        // Keys crafted to collide under the fixed hash would make every look-up walk one long chain: from the first
        // such walk on, the table hashes with the runtime's randomized hash, as Dictionary<string, T> does.
        private void SwitchToRandomizedHash()
        {
            _randomizedHash = true;
            for (int slot = 0; slot < _used; slot++)
            {
                ref Slot s = ref At(slot);
                if (s.Key != null)
                {
                    s.Hash = s.Key.GetHashCode();
                }
            }

            Rehash();
        }

        private void Rehash()
        {
            _buckets = new int[_capacity];
            for (int slot = 0; slot < _used; slot++)
            {
                ref Slot s = ref At(slot);
                if (s.Key != null)
                {
                    Chain(slot, ref s);
                }
            }
        }

        private void Chain(int slot, ref Slot s)
        {
            ref int bucket = ref _buckets[s.Hash & (_capacity - 1)];
            s.NextInBucket = bucket - 1;
            bucket = slot + 1;
        }

        private void Unchain(int slot, int hash, int next)
        {
            ref int bucket = ref _buckets[hash & (_capacity - 1)];
            if (bucket - 1 == slot)
            {
                bucket = next + 1;
                return;
            }

            int before = bucket - 1;
            while (At(before).NextInBucket != slot)
            {
                before = At(before).NextInBucket;
            }

            At(before).NextInBucket = next;
        }

        private void Append(ref ListEnds list, int slot)
        {
            ref Slot s = ref At(slot);
            s.Prev = list.Tail;
            s.Next = None;
            if (list.Tail == None)
            {
                list.Head = slot;
            }
            else
            {
                At(list.Tail).Next = slot;
            }

            list.Tail = slot;
        }

        // Walks from the newest end: an entry that is pinned or unpinned is usually among the recent ones.
        private void InsertByStamp(ref ListEnds list, int slot)
        {
            long stamp = At(slot).Stamp;
            int after = list.Tail;
            while (after != None &&
                   // Stryker disable once Equality : stamps are unique and the slot being inserted is in no list, so no entry's stamp equals it.
                   At(after).Stamp > stamp)
            {
                after = At(after).Prev;
            }

            int before = after == None ? list.Head : At(after).Next;
            At(slot).Prev = after;
            At(slot).Next = before;
            if (after == None)
            {
                list.Head = slot;
            }
            else
            {
                At(after).Next = slot;
            }

            if (before == None)
            {
                list.Tail = slot;
            }
            else
            {
                At(before).Prev = slot;
            }
        }

        private void Unlink(ref ListEnds list, int slot)
        {
            ref Slot s = ref At(slot);
            if (s.Prev == None)
            {
                list.Head = s.Next;
            }
            else
            {
                At(s.Prev).Next = s.Next;
            }

            if (s.Next == None)
            {
                list.Tail = s.Prev;
            }
            else
            {
                At(s.Next).Prev = s.Prev;
            }
        }

        // 48 bytes: the pinned flag shares a word with the recency stamp (a separate bool would pad the slot by
        // 8 more bytes per entry); the key's hash and the next slot of its hash chain replace a Dictionary entry.
        private struct Slot
        {
            public const long PinnedBit = long.MinValue;

            public string Key;
            public long Size;
            public long Charge;

            /// <summary>The recency stamp (bits 0-62; the clock never gets near 2^63) and the pinned flag (bit 63).</summary>
            public long Clock;
            public int Prev;
            public int Next;
            public int Hash;
            public int NextInBucket;

            public readonly long Stamp => Clock & long.MaxValue;

            // Stryker disable once Equality : a live slot's stamp starts at 1 and an empty slot's pinned flag is never read, so Clock is never 0 here.
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
