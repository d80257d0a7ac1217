using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using AgentFlow.Resources.Redis;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>The process-wide Meter when a shared budget's server is gone: each test starts its own redis-server.</summary>
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

        // Made in a method of its own, so that nothing on the test's stack keeps the monitor alive after it.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void StartSharedMonitor(RedisServer server, string name)
        {
            var options = new RedisStoreOptions($"{server.Configuration},syncTimeout=2000,connectTimeout=5000", name) { Limits = Limits(state: 1000, value: 500) };
            var monitor = new StateMonitor(new RedisStoreProvider().Open(options));
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
