using System;
using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>
    /// What the stores that live in this process share: an alert factory and a bounded alert queue of their own.
    /// </summary>
    public abstract class InProcessStore : StateStore
    {
        private readonly AlertCounts _raised = new AlertCounts();

        /// <summary>Creates the store with an empty queue.</summary>
        protected InProcessStore(string name, ResourceLimits limits, int maxAlerts)
            : base(name, limits, maxAlerts)
        {
            AlertFactory = new AlertFactory(name);
            AlertQueue = new AlertQueue(maxAlerts, name);
        }

        /// <inheritdoc />
        public override long AlertsDropped => AlertQueue.Dropped;

        /// <summary>Makes this monitor's alerts.</summary>
        protected AlertFactory AlertFactory { get; }

        internal AlertQueue AlertQueue { get; }

        /// <inheritdoc />
        public override IReadOnlyList<ResourceAlert> DrainAlerts(IReadOnlyCollection<AlertType>? types) =>
            types == null || types.Count == 0 ? AlertQueue.Drain() : AlertQueue.Drain(types);

        /// <inheritdoc />
        public override IReadOnlyList<ResourceAlert> PeekAlerts() => AlertQueue.Peek();

        /// <inheritdoc />
        public override void ClearAlerts() => AlertQueue.Clear();

        /// <inheritdoc />
        public override void Publish(ResourceAlert alert, ref OperationEvents events) =>
            Raise(ref events, alert ?? throw new ArgumentNullException(nameof(alert)));

        /// <summary>Stamps this store's alerts with <paramref name="clock"/> (the monitor's), so that they line up with its usage history.</summary>
        internal void UseClock(UsageClock clock) => AlertFactory.Clock = clock;

        /// <inheritdoc />
        public override long[]? ReadAlertCounts() => _raised.Read();

        /// <summary>Queues an alert, counts it, and notes it for the operation's events.</summary>
        protected void Raise(ref OperationEvents events, ResourceAlert alert)
        {
            _raised.Count(alert.Type);
            AlertQueue.Enqueue(alert);
            events.Add(alert);
        }

        /// <summary>
        /// Queues the CleanupTriggered alert of a cleanup run. Nobody handling AlertRaised, it is queued as its values
        /// and made an object only when read, so an automatic cleanup nobody watches allocates nothing.
        /// </summary>
        protected void RaiseCleanupTriggered(ref OperationEvents events, long freed, int removed, bool automatic)
        {
            if (events.RecordsAlerts)
            {
                Raise(ref events, AlertFactory.CleanupTriggered(freed, removed, automatic));
                return;
            }

            _raised.Count(AlertType.CleanupTriggered);
            AlertQueue.EnqueueCleanupTriggered(AlertFactory.Clock.ExactUtcNow, freed, removed, automatic);
        }

        /// <summary>Empties the queue and its dropped count (part of <see cref="StateStore.Reset"/>).</summary>
        protected void ResetAlerts()
        {
            AlertQueue.Reset();
            _raised.Reset();
        }

        /// <summary>Puts restored alerts and the dropped count back (part of restoring a <see cref="StoreState"/>).</summary>
        protected void RestoreAlerts(StoreState state)
        {
            if (state == null)
            {
                throw new ArgumentNullException(nameof(state));
            }

            AlertQueue.Restore(state.Alerts, state.AlertsDropped);
            _raised.Restore(state.AlertsRaised);
        }

        /// <summary>How many alerts of each type this store raised (part of exporting a <see cref="StoreState"/>).</summary>
        protected AlertTypeCounts AlertsRaised => new AlertTypeCounts(_raised.Read());
    }
}
