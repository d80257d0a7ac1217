using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    public abstract class EventTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        [Fact]
        public void Evicted_fires_once_per_entry_with_the_entry_and_reason()
        {
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 0.8, target: 0.5, name: "ev");
            var events = new List<EvictedEventArgs>();
            m.Evicted += (sender, e) =>
            {
                Assert.Same(m, sender);
                events.Add(e);
            };
            m.RecordAllocation("a", 30);
            m.RecordAllocation("b", 30);
            m.RecordAllocation("c", 30); // 90: evict a, b
            Assert.Equal(2, events.Count);
            Assert.Equal(new[] { "a", "b" }, events.Select(e => e.Entry.Key));
            Assert.All(events, e => Assert.Equal(EvictionReason.Threshold, e.Reason));
            Assert.All(events, e => Assert.Equal(30, e.Entry.Size));
            Assert.All(events, e => Assert.Equal("ev", e.Entry.MonitorName));

            m.RecordAllocation("d", 20);
            m.Cleanup(0.2); // 50 -> evict c
            Assert.Equal(EvictionReason.Manual, events[^1].Reason);
            Assert.Equal("c", events[^1].Entry.Key);
        }

        [Fact]
        public void Events_fire_after_the_change_outside_the_lock()
        {
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 0.8, target: 0.5);
            var observed = new List<string>();
            m.Evicted += (_, e) =>
            {
                // Another thread can read the monitor: no lock is held while handlers run.
                Task<long> read = Task.Run(() => m.CurrentSize);
                Assert.True(read.Wait(TimeSpan.FromSeconds(30)), "the monitor was locked during the Evicted handler");
                observed.Add(e.Entry.Key + "@" + read.Result);
            };
            m.AlertRaised += (_, e) =>
            {
                Task<int> read = Task.Run(() => m.GetAllocations().Count);
                Assert.True(read.Wait(TimeSpan.FromSeconds(30)), "the monitor was locked during the AlertRaised handler");
                observed.Add(e.Alert.Type + "@" + m.CurrentSize + "/" + read.Result);
                m.RecordAccess("c"); // handlers may call back into the monitor
            };
            m.RecordAllocation("a", 30);
            m.RecordAllocation("b", 30);
            m.RecordAllocation("c", 30);
            Assert.Equal(new[] { "a@30", "b@30", "CleanupTriggered@30/1" }, observed);
        }

        [Fact]
        public void Throwing_handlers_are_counted_and_do_not_stop_the_operation()
        {
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 0.8, target: 0.5);
            int secondHandlerCalls = 0;
            m.Evicted += (_, _) => throw new InvalidOperationException("handler bug");
            m.Evicted += (_, _) => secondHandlerCalls++;
            m.AlertRaised += (_, _) => throw new ApplicationException("another bug");

            m.RecordAllocation("a", 30);
            m.RecordAllocation("b", 30);
            Assert.True(m.RecordAllocation("c", 30)); // evicts a, b; one CleanupTriggered

            Assert.Equal(2, secondHandlerCalls);
            Assert.Equal("c=30", Describe(m));
            Assert.Equal(30, m.CurrentSize);
            ResourceStats s = m.GetStats();
            Assert.Equal(3, s.EventHandlerErrors); // two evictions + one alert
            Assert.Equal(2, s.TotalEvictions);
            Assert.Single(m.GetAlerts());

            // The monitor keeps working normally.
            Assert.True(m.RecordAllocation("d", 10));
            Assert.Equal(40, m.CurrentSize);
            Assert.Equal(m.CurrentSize, m.GetAllocations().Sum(e => e.ResidentSize));

            Assert.False(m.RecordAllocation("e", 51)); // LimitExceeded: the throwing alert handler again
            Assert.Equal(4, m.GetStats().EventHandlerErrors);

            m.Reset();
            Assert.Equal(0, m.GetStats().EventHandlerErrors);
        }

        [Fact]
        public void A_throwing_handler_during_Cleanup_still_returns_the_result()
        {
            StateMonitor m = Monitor(auto: false);
            m.RecordAllocation("a", 10);
            m.RecordAllocation("b", 10);
            m.Evicted += (_, _) => throw new Exception("boom");
            m.AlertRaised += (_, _) => throw new Exception("boom");
            CleanupResult r = m.Cleanup(0);
            Assert.Equal(2, r.EntriesRemoved);
            Assert.Equal(0, m.CurrentSize);
            Assert.Equal(3, m.GetStats().EventHandlerErrors);
        }

        [Fact]
        public void Rejections_raise_alert_events_but_no_evictions()
        {
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 1.0, target: 0.9);
            var evicted = RecordEvictions(m);
            var alerts = new List<AlertType>();
            m.AlertRaised += (_, e) => alerts.Add(e.Alert.Type);
            m.Allocate("p", 50, pin: true);
            m.Allocate("q", 40, pin: true);
            Assert.False(m.RecordAllocation("r", 20));
            Assert.Empty(evicted);
            Assert.Equal(new[] { AlertType.CleanupFailed, AlertType.LimitExceeded }, alerts);
        }

        [Fact]
        public void Events_of_operations_made_inside_a_handler_are_delivered_after_it_returns_in_order()
        {
            // Two entries reach the threshold; cleanup keeps one: recording b evicts a, re-recording a evicts b, ...
            StateMonitor m = Monitor(state: 1000, value: 50, entries: 2, threshold: 1.0, target: 0.5);
            var log = new List<string>();
            int depth = 0;
            int deepest = 0;
            int rerecords = 0;
            m.Evicted += (_, e) =>
            {
                deepest = Math.Max(deepest, ++depth);
                log.Add("evicted " + e.Entry.Key);
                if (rerecords++ < 1000)
                {
                    Assert.True(m.RecordAllocation(e.Entry.Key, e.Entry.Size)); // evicts the other key
                    log.Add("recorded " + e.Entry.Key);
                }

                depth--;
            };
            m.AlertRaised += (_, e) => log.Add(e.Alert.Type.ToString());
            m.RecordAllocation("a", 1);
            m.RecordAllocation("b", 1);

            Assert.Equal(1, deepest);
            var expected = new List<string>();
            for (int i = 0; i <= 1000; i++)
            {
                string evicted = i % 2 == 0 ? "a" : "b";
                expected.Add("evicted " + evicted);
                if (i < 1000)
                {
                    expected.Add("recorded " + evicted);
                }

                expected.Add("CleanupTriggered");
            }

            Assert.Equal(expected, log.Where(l => l != "ApproachingLimit"));
            Assert.Equal(new[] { "b" }, Keys(m));
        }

        [Fact]
        public void A_handler_that_records_the_evicted_key_again_does_not_overflow_the_stack()
        {
            StateMonitor m = Monitor(state: 1000, value: 50, entries: 2, threshold: 1.0, target: 0.5);
            // Far more than the few thousand levels nested delivery would reach: 200,000 in process, a share of it for a
            // store with a round trip per operation.
            int depth = Scaled(200_000);
            int rerecords = 0;
            m.Evicted += (_, e) =>
            {
                if (rerecords++ < depth)
                {
                    m.RecordAllocation(e.Entry.Key, e.Entry.Size);
                }
            };

            // A small stack: nested delivery would overflow it within a few thousand levels.
            var thread = new System.Threading.Thread(
                () =>
                {
                    m.RecordAllocation("a", 1);
                    m.RecordAllocation("b", 1);
                },
                256 * 1024);
            thread.IsBackground = true;
            thread.Start();
            Assert.True(thread.Join(TimeSpan.FromMinutes(3)), "the re-recording handler did not finish within 3 minutes: it hangs");
            Assert.Equal(depth + 1, rerecords);
            Assert.Equal(depth + 1, m.GetStats().TotalEvictions);
        }
    }
}
