using System.Collections.Generic;
using AgentFlow.Resources;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// A store that forwards every abstract member to another store, for tests of what the <see cref="StateStore"/> base
    /// class and the monitor do themselves (the base's defaults are not overridden); a subclass changes one thing.
    /// </summary>
    public class ForwardingStore : StateStore
    {
        public ForwardingStore(StateStore inner)
            : base(inner.Name, inner.Limits, inner.MaxAlerts)
        {
            Inner = inner;
        }

        protected StateStore Inner { get; }

        public override StoreCapabilities Capabilities => Inner.Capabilities;

        public override string Kind => Inner.Kind;

        public override bool IsReachable => Inner.IsReachable;

        public override long CurrentSize => Inner.CurrentSize;

        public override long ValueCount => Inner.ValueCount;

        public override long AlertsDropped => Inner.AlertsDropped;

        public override AllocationResult Allocate(string key, long size, AllocationOptions options, ref OperationEvents events) => Inner.Allocate(key, size, options, ref events);

        public override bool Remove(string key, bool returnEntry, out AllocationEntry? removed, ref OperationEvents events) => Inner.Remove(key, returnEntry, out removed, ref events);

        public override bool Remove(string key, long size, bool returnEntry, out AllocationEntry? removed, ref OperationEvents events) => Inner.Remove(key, size, returnEntry, out removed, ref events);

        public override bool Touch(string key) => Inner.Touch(key);

        public override bool SetPinned(string key, bool pinned) => Inner.SetPinned(key, pinned);

        public override AllocationEntry? Find(string key) => Inner.Find(key);

        public override CleanupResult Cleanup(double targetPercentage, ref OperationEvents events) => Inner.Cleanup(targetPercentage, ref events);

        public override CleanupPlan PlanCleanup(double targetPercentage) => Inner.PlanCleanup(targetPercentage);

        public override IReadOnlyList<string> GetLruKeys(int count) => Inner.GetLruKeys(count);

        public override IReadOnlyList<AllocationEntry> GetAllocations() => Inner.GetAllocations();

        public override StoreCounters ReadCounters() => Inner.ReadCounters();

        public override IReadOnlyList<ResourceAlert> DrainAlerts(IReadOnlyCollection<AlertType>? types) => Inner.DrainAlerts(types);

        public override IReadOnlyList<ResourceAlert> PeekAlerts() => Inner.PeekAlerts();

        public override void ClearAlerts() => Inner.ClearAlerts();

        public override void Reset() => Inner.Reset();

        public override StoreState ExportState() => Inner.ExportState();
    }
}
