using System;
using System.Collections.Generic;
using System.Threading;

namespace AgentFlow.Resources
{
    /// <summary>
    /// A bounded FIFO of alerts: when full, the oldest alert is dropped and counted, so a monitor that is
    /// never drained cannot grow without bound.
    /// </summary>
    /// <remarks>
    /// A ring of records, so that the alert an automatic cleanup run raises while nobody handles
    /// <see cref="StateMonitor.AlertRaised"/> costs no allocation: it is queued as its values
    /// (<see cref="EnqueueCleanupTriggered"/>) and becomes an object the first time it is read, once (later reads
    /// return the same object). The ring grows by doubling up to the capacity.
    /// </remarks>
    internal sealed class AlertQueue
    {
        private const int InitialSlots = 4;

        private readonly object _gate = new object();
        private readonly string _monitorName;
        private Record[] _ring = new Record[InitialSlots];
        private int _head;
        private int _count;
        private long _dropped;

        public AlertQueue(int capacity, string monitorName)
        {
            if (capacity < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The alert queue must hold at least 1 alert.");
            }

            Capacity = capacity;
            _monitorName = monitorName ?? throw new ArgumentNullException(nameof(monitorName));
        }

        public int Capacity { get; }

        public long Dropped => Interlocked.Read(ref _dropped);

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _count;
                }
            }
        }

        public void Enqueue(ResourceAlert alert)
        {
            if (alert == null)
            {
                throw new ArgumentNullException(nameof(alert));
            }

            lock (_gate)
            {
                Slot() = new Record { Alert = alert };
            }
        }

        /// <summary>Queues a CleanupTriggered alert as its values: nothing is allocated until it is read.</summary>
        public void EnqueueCleanupTriggered(DateTime timestamp, long freed, int removed, bool automatic)
        {
            lock (_gate)
            {
                Slot() = new Record { Timestamp = timestamp, Freed = freed, Removed = removed, Automatic = automatic };
            }
        }

        public IReadOnlyList<ResourceAlert> Drain()
        {
            lock (_gate)
            {
                ResourceAlert[] all = Copy();
                ClearRing();
                return all;
            }
        }

        /// <summary>Removes and returns the alerts of the given types, leaving the others queued.</summary>
        public IReadOnlyList<ResourceAlert> Drain(IEnumerable<AlertType> types)
        {
            var wanted = new HashSet<AlertType>(types);
            lock (_gate)
            {
                var taken = new List<ResourceAlert>();
                var kept = new Record[_ring.Length];
                int keptCount = 0;
                for (int i = 0; i < _count; i++)
                {
                    ref Record record = ref _ring[(_head + i) % _ring.Length];
                    ResourceAlert alert = Materialize(ref record);
                    if (wanted.Contains(alert.Type))
                    {
                        taken.Add(alert);
                    }
                    else
                    {
                        kept[keptCount++] = record;
                    }
                }

                _ring = kept;
                _head = 0;
                _count = keptCount;
                return taken;
            }
        }

        public IReadOnlyList<ResourceAlert> Peek()
        {
            lock (_gate)
            {
                return Copy();
            }
        }

        public void Clear()
        {
            lock (_gate)
            {
                ClearRing();
            }
        }

        /// <summary>Replaces the queue's content with restored alerts (oldest first) and dropped count.</summary>
        public void Restore(IReadOnlyList<ResourceAlert> alerts, long dropped)
        {
            lock (_gate)
            {
                ClearRing();
                foreach (ResourceAlert alert in alerts)
                {
                    Enqueue(alert);
                }

                Interlocked.Exchange(ref _dropped, dropped);
            }
        }

        public void Reset()
        {
            lock (_gate)
            {
                ClearRing();
                Interlocked.Exchange(ref _dropped, 0);
            }
        }

        /// <summary>The slot for a new alert at the tail: drops the oldest when full, grows the ring when needed.</summary>
        private ref Record Slot()
        {
            if (_count == Capacity)
            {
                _ring[_head] = default;
                _head = (_head + 1) % _ring.Length;
                _count--;
                Interlocked.Increment(ref _dropped);
            }
            else if (_count == _ring.Length)
            {
                // Stryker disable once Linq : a ring longer than the bound only holds more memory: the count never passes the bound, so the same alerts are kept and dropped.
                var larger = new Record[Math.Min(Capacity, _ring.Length * 2)];

                // Stryker disable once Equality : one more copy lands in slot _count, which the caller overwrites at once with the new alert's whole record.
                for (int i = 0; i < _count; i++)
                {
                    larger[i] = _ring[(_head + i) % _ring.Length];
                }

                _ring = larger;
                _head = 0;
            }

            int tail = (_head + _count) % _ring.Length;
            _count++;
            return ref _ring[tail];
        }

        private ResourceAlert[] Copy()
        {
            var all = new ResourceAlert[_count];
            for (int i = 0; i < _count; i++)
            {
                all[i] = Materialize(ref _ring[(_head + i) % _ring.Length]);
            }

            return all;
        }

        // Keeps the ring (its capacity is reused); only the references go, for the collector.
        private void ClearRing()
        {
            // Stryker disable once Statement : clearing only releases references for the collector; every slot is rewritten whole before it is read again.
            Array.Clear(_ring, 0, _ring.Length);
            _head = 0;
            _count = 0;
        }

        private ResourceAlert Materialize(ref Record record) =>
            record.Alert ??= new CleanupTriggeredAlert(_monitorName, record.Timestamp, record.Freed, record.Removed, record.Automatic);

        /// <summary>A queued alert: the object, or the values of a CleanupTriggered alert not yet read.</summary>
        private struct Record
        {
            public ResourceAlert? Alert;
            public DateTime Timestamp;
            public long Freed;
            public int Removed;
            public bool Automatic;
        }
    }
}
