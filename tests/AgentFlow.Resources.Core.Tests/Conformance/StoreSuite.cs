using System;
using AgentFlow.Resources;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>Makes the store a conformance suite runs against. One implementation per store.</summary>
    public interface IStoreFactory
    {
        StateStore Create(ResourceLimits limits, string name, int maxAlerts);

        /// <summary>A store rebuilt from a state (stores with <see cref="StoreCapabilities.Snapshots"/>).</summary>
        StateStore Restore(ResourceLimits limits, string name, int maxAlerts, StoreState state);

        /// <summary>
        /// The share of the long suites' iterations (model-based sequences, race rounds, re-entrant events) run against
        /// this store: 1 for the in-process stores. A store that pays a network round trip per operation runs every case
        /// of those suites, each with fewer iterations (<see cref="StoreSuite{TStore}.Scaled"/>).
        /// </summary>
        double Effort => 1.0;
    }

    /// <summary>The in-memory detailed store.</summary>
    public sealed class MemoryStores : IStoreFactory
    {
        public StateStore Create(ResourceLimits limits, string name, int maxAlerts) => new MemoryStore(name, limits, maxAlerts);

        public StateStore Restore(ResourceLimits limits, string name, int maxAlerts, StoreState state) => MemoryStore.Restore(name, limits, maxAlerts, state);
    }

    /// <summary>The in-memory counters-only (fast) store.</summary>
    public sealed class CountingStores : IStoreFactory
    {
        public StateStore Create(ResourceLimits limits, string name, int maxAlerts) => new CountingStore(name, limits, maxAlerts);

        public StateStore Restore(ResourceLimits limits, string name, int maxAlerts, StoreState state) => CountingStore.Restore(name, limits, maxAlerts, state);
    }

    /// <summary>
    /// Base of every conformance suite: the behaviour tests make their monitors through it, so the same tests run
    /// unchanged against every store (one sealed subclass per store and suite, in <c>*Conformance.cs</c>).
    /// </summary>
    public abstract class StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        private static int s_unnamed;

        /// <summary>The store's <see cref="IStoreFactory.Effort"/>; a quarter of it under a mutation run (<see cref="TestSupport.MutationRun"/>).</summary>
        protected static double Effort { get; } = new TStore().Effort * (TestSupport.MutationRun ? 0.25 : 1.0);

        /// <summary>The store's share of <paramref name="iterations"/> (at least 1): all of them for the in-process stores.</summary>
        protected static int Scaled(int iterations) => Math.Max(1, (int)Math.Round(iterations * Effort));

        /// <summary>A monitor over a new store of the kind under test.</summary>
        protected static StateMonitor NewMonitor(ResourceLimits limits, string? name = null, int maxAlerts = StateMonitor.DefaultMaxAlerts) =>
            new StateMonitor(new TStore().Create(limits, name ?? "suite" + System.Threading.Interlocked.Increment(ref s_unnamed), maxAlerts));

        /// <summary>A monitor over a store of the kind under test rebuilt from <paramref name="monitor"/>'s exported state.</summary>
        protected static StateMonitor RoundTrip(StateMonitor monitor) =>
            new StateMonitor(new TStore().Restore(monitor.Limits, monitor.Name, monitor.MaxAlerts, monitor.ExportState()));

        /// <summary>As <see cref="TestSupport.Monitor"/>, over a store of the kind under test.</summary>
        protected static StateMonitor Monitor(
            long state = 100,
            long value = 50,
            long entries = 100,
            double threshold = 0.8,
            double? target = null,
            bool auto = true,
            bool streaming = false,
            long chunk = 10,
            string? name = null,
            int maxAlerts = StateMonitor.DefaultMaxAlerts) =>
            NewMonitor(TestSupport.Limits(state, value, entries, threshold, target, auto, streaming, chunk), name, maxAlerts);
    }
}
