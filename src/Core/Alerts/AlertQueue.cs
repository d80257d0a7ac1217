using System;
using System.Collections.Generic;
using System.Threading;

namespace AgentFlow.Resources
{
    /// <summary>
    /// A bounded FIFO of alerts: when full, the oldest alert is dropped and counted, so a monitor that is
    /// never drained cannot grow without bound.
    /// </summary>
    internal sealed class AlertQueue
    {
        private readonly object _gate = new object();
        private readonly Queue<ResourceAlert> _alerts = new Queue<ResourceAlert>();
        private long _dropped;

        public AlertQueue(int capacity)
        {
            if (capacity < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The alert queue must hold at least 1 alert.");
            }

            Capacity = capacity;
        }

        public int Capacity { get; }

        public long Dropped => Interlocked.Read(ref _dropped);

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _alerts.Count;
                }
            }
        }

        public void Enqueue(ResourceAlert alert)
        {
            lock (_gate)
            {
                if (_alerts.Count == Capacity)
                {
                    _alerts.Dequeue();
                    Interlocked.Increment(ref _dropped);
                }

                _alerts.Enqueue(alert);
            }
        }

        public IReadOnlyList<ResourceAlert> Drain()
        {
            lock (_gate)
            {
                ResourceAlert[] all = _alerts.ToArray();
                _alerts.Clear();
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
                int count = _alerts.Count;
                for (int i = 0; i < count; i++)
                {
                    ResourceAlert alert = _alerts.Dequeue();
                    if (wanted.Contains(alert.Type))
                    {
                        taken.Add(alert);
                    }
                    else
                    {
                        _alerts.Enqueue(alert);
                    }
                }

                return taken;
            }
        }

        public IReadOnlyList<ResourceAlert> Peek()
        {
            lock (_gate)
            {
                return _alerts.ToArray();
            }
        }

        public void Clear()
        {
            lock (_gate)
            {
                _alerts.Clear();
            }
        }

        /// <summary>Replaces the queue's content with restored alerts (oldest first) and dropped count.</summary>
        public void Restore(IReadOnlyList<ResourceAlert> alerts, long dropped)
        {
            lock (_gate)
            {
                _alerts.Clear();
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
                _alerts.Clear();
                Interlocked.Exchange(ref _dropped, 0);
            }
        }
    }
}
