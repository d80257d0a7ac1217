using System;
using System.Collections.Generic;
using System.Linq;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading;
using AgentFlow.Resources.Redis;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>The process-wide Meter when a shared budget's server is gone: each test starts its own redis-server.</summary>
    [Collection("Meter")]
    public sealed class RedisMeterTests
    {
        [Fact]
        public void A_listener_still_reads_every_other_monitor_when_a_shared_budgets_server_is_gone()
        {
            string survivor = "meter-survivor-" + Guid.NewGuid().ToString("N");
            var memory = new StateMonitor(Limits(state: 1000, value: 500), survivor);
            memory.RecordAllocation("a", 123);
            string shared = "meter-lost-" + Guid.NewGuid().ToString("N");
            using (RedisServer server = RedisServer.Start())
            {
                StartSharedMonitor(server, shared);
                server.Kill();

                Dictionary<string, double> sizes = CollectStateSizes();

                Assert.Equal(123, sizes[survivor]);
                Assert.False(sizes.ContainsKey(shared)); // nothing to report while its server is gone: a gap, not an error
            }

            GC.KeepAlive(memory);
            // The shared monitor is unreferenced: collected, it leaves the meter's list for the other tests.
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        [Fact]
        public void Budgets_whose_server_is_gone_are_not_read_at_all_by_a_collection()
        {
            // A process may hold many budgets on a server that is gone (here five; the test suite itself leaves hundreds
            // behind on its servers once they stop): a read of each would only wait for its timeout, one after another.
            string name = "meter-gone-" + Guid.NewGuid().ToString("N");
            var stores = new List<ReadCountingStore>();
            var monitors = new List<StateMonitor>();
            using (RedisServer server = RedisServer.Start())
            {
                for (int i = 0; i < 5; i++)
                {
                    var store = new ReadCountingStore(Open(server, name + "-" + i));
                    var monitor = new StateMonitor(store);
                    Assert.True(monitor.RecordAllocation("b", 77));
                    stores.Add(store);
                    monitors.Add(monitor);
                }

                Assert.True(stores.TrueForAll(s => s.IsReachable));
                server.Kill();
                // The client sees the closed connection at once; bounded, so that a client that never does fails here.
                Assert.True(SpinWait.SpinUntil(() => !stores[0].IsReachable, TimeSpan.FromSeconds(20)), "the client still reports a connection 20 s after the server died");

                int before = stores.Sum(s => s.Reads);
                Dictionary<string, int> seen = CollectEveryInstrument(name + "-0");

                Assert.Empty(seen);
                Assert.Equal(before, stores.Sum(s => s.Reads)); // none read: a gap at once, not five timeouts per instrument
            }

            GC.KeepAlive(monitors);
        }

        [Fact]
        public void A_stopped_shared_budget_costs_a_collection_of_every_instrument_one_read_not_one_per_instrument()
        {
            string name = "meter-once-" + Guid.NewGuid().ToString("N");
            using (RedisServer server = RedisServer.Start())
            {
                // A collection just before, and the budget made (quickly: the client is warm) while that collection's
                // readings are still fresh. Stopped (SIGSTOP), its server lets every read wait the whole timeout: the
                // collection must neither read it once per instrument (8) nor read it alone and then again in a new
                // pass once that read's timeout has aged the readings (2: seen before the fix).
                // While the collection runs, another budget is made (as another thread of the process might): it must
                // be read alone, not start a pass that reads the stopped one again (the full suite once saw 2 reads of
                // it while other tests made budgets in parallel).
                using RedisServer other = RedisServer.Start();
                ReadCountingStore warm = StartCountedMonitor(server, name + "-warm");
                CollectStateSizes();
                ReadCountingStore store = StartCountedMonitor(server, name);
                server.Signal("STOP");

                int before = store.Reads;
                var measured = new StateMonitor(Limits(state: 1000, value: 500), name + "-in-process"); // measured at once: the collection is under way
                StateMonitor? madeDuring = null;
                Dictionary<string, int> seen = CollectEveryInstrument(name, () => madeDuring ??= MakeMonitor(other, name + "-during"));

                Assert.Empty(seen); // a gap in every series
                Assert.Equal(before + 1, store.Reads); // one timeout for the whole collection
                Assert.NotNull(madeDuring);
                GC.KeepAlive(warm);
                GC.KeepAlive(measured);
                GC.KeepAlive(madeDuring);
            }

            Held = null;
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        [Fact]
        public void A_live_shared_budget_is_read_once_per_collection_and_afresh_for_the_next()
        {
            string name = "meter-fresh-" + Guid.NewGuid().ToString("N");
            using (RedisServer server = RedisServer.Start())
            {
                ReadCountingStore store = StartCountedMonitor(server, name);

                int before = store.Reads;
                Dictionary<string, int> first = CollectEveryInstrument(name);
                Assert.Equal(8, first.Count); // every instrument measured it...
                Assert.Equal(before + 1, store.Reads); // ...from one read of its server

                Assert.True(Held!.RecordAllocation("c", 100));
                Thread.Sleep(TimeSpan.FromSeconds(1.2)); // past the readings' one-second lifetime
                before = store.Reads;
                Dictionary<string, double> sizes = CollectStateSizes();
                Assert.Equal(177, sizes[name]);
                Assert.Equal(before + 1, store.Reads);
            }

            Held = null;
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ReadCountingStore StartCountedMonitor(RedisServer server, string name)
        {
            var store = new ReadCountingStore(Open(server, name));
            var monitor = new StateMonitor(store);
            Assert.True(monitor.RecordAllocation("b", 77));
            Held = monitor;
            return store;
        }

        // A budget on the server, with timeouts short enough for a test that waits for them.
        private static StateStore Open(RedisServer server, string name) =>
            new RedisStoreProvider().Open(new RedisStoreOptions($"{server.Configuration},syncTimeout=2000,connectTimeout=5000", name) { Limits = Limits(state: 1000, value: 500) });

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static StateMonitor MakeMonitor(RedisServer server, string name)
        {
            var monitor = new StateMonitor(Open(server, name));
            Assert.True(monitor.RecordAllocation("d", 5));
            return monitor;
        }

        // Every instrument of the meter, collected once: how many measurements each gave for the monitor.
        // duringCollection runs at each measurement of any monitor (a collection in progress).
        private static Dictionary<string, int> CollectEveryInstrument(string monitorName, Action? duringCollection = null)
        {
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            using var listener = new MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ResourceMeter.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
            {
                duringCollection?.Invoke();
                foreach (KeyValuePair<string, object?> tag in tags)
                {
                    if (tag.Key == "monitor" && (string)tag.Value! == monitorName)
                    {
                        seen[instrument.Name] = seen.TryGetValue(instrument.Name, out int n) ? n + 1 : 1;
                    }
                }
            }

            listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
            listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
            listener.Start();
            listener.RecordObservableInstruments();
            return seen;
        }

        /// <summary>A shared store that counts how often its counters are read (every stats read starts there).</summary>
        private sealed class ReadCountingStore : ForwardingStore
        {
            private int _reads;

            public ReadCountingStore(StateStore inner)
                : base(inner)
            {
            }

            public int Reads => Volatile.Read(ref _reads);

            public override StoreCounters ReadCounters()
            {
                Interlocked.Increment(ref _reads);
                return Inner.ReadCounters();
            }
        }

        // Made in a method of its own, so that nothing on the test's stack keeps the monitor alive after it.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void StartSharedMonitor(RedisServer server, string name)
        {
            var monitor = new StateMonitor(Open(server, name));
            Assert.True(monitor.RecordAllocation("b", 77));
            Held = monitor;
        }

        // Keeps the shared monitor alive (registered with the meter) until the collection has run.
        private static StateMonitor? Held { get; set; }

        private static Dictionary<string, double> CollectStateSizes()
        {
            var sizes = new Dictionary<string, double>(StringComparer.Ordinal);
            using var listener = new MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ResourceMeter.MeterName && instrument.Name == "agentflow.state.size")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                foreach (KeyValuePair<string, object?> tag in tags)
                {
                    if (tag.Key == "monitor")
                    {
                        sizes[(string)tag.Value!] = value;
                    }
                }
            });
            listener.Start();
            listener.RecordObservableInstruments();
            Held = null;
            return sizes;
        }
    }
}
