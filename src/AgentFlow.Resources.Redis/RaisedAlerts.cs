using System.Collections.Generic;

namespace AgentFlow.Resources.Redis
{
    /// <summary>
    /// The alerts this process raised that may still be in the shared queue, by record: an alert drained or peeked in
    /// the process that raised it is the very object its AlertRaised event delivered, as with the in-process stores.
    /// Alerts raised elsewhere are decoded anew. Bounded by the queue's size: older records are forgotten.
    /// </summary>
    internal sealed class RaisedAlerts
    {
        private readonly object _gate = new object();
        private readonly Dictionary<string, ResourceAlert> _byRecord = new Dictionary<string, ResourceAlert>(System.StringComparer.Ordinal);
        private readonly Queue<string> _order = new Queue<string>();
        private readonly int _capacity;

        public RaisedAlerts(int capacity)
        {
            _capacity = capacity;
        }

        public void Remember(string record, ResourceAlert alert)
        {
            lock (_gate)
            {
                if (_byRecord.ContainsKey(record))
                {
                    return;
                }

                _byRecord.Add(record, alert);
                _order.Enqueue(record);
                while (_order.Count > _capacity)
                {
                    _byRecord.Remove(_order.Dequeue());
                }
            }
        }

        public ResourceAlert? Find(string record)
        {
            lock (_gate)
            {
                return _byRecord.TryGetValue(record, out ResourceAlert? alert) ? alert : null;
            }
        }
    }
}
