using System;
using System.Collections.Generic;
using System.Linq;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// The monitor's own work around its store: every argument check with its sentence, the batch path's checks and
    /// delivery, the evicted entries returned only when asked for, a monitor without history, nested event delivery.
    /// </summary>
    public class StateMonitorTests
    {
        [Fact]
        public void Every_operation_on_a_key_refuses_a_blank_one()
        {
            StateMonitor m = Monitor();
            m.RecordAllocation("a", 10);
            var calls = new Action[]
            {
                () => m.Remove(" "),
                () => m.Remove(" ", 10),
                () => m.RecordDeallocation(" ", 10),
                () => m.TryGetAllocation(" ", out _),
                () => m.PlanAllocation(" ", 1),
            };
            foreach (Action call in calls)
            {
                Assert.Equal("key", Assert.Throws<ArgumentException>(call).ParamName);
            }

            var missing = Assert.Throws<ArgumentNullException>(() => m.Remove(null!));
            Assert.Equal("A key is required. (Parameter 'key')", missing.Message);
            Assert.Equal(10, m.CurrentSize);
        }

        [Fact]
        public void Negative_sizes_targets_and_counts_are_refused_with_what_is_accepted()
        {
            StateMonitor m = Monitor();
            Assert.StartsWith("An allocation size must be 0 or more bytes.", Assert.Throws<ArgumentOutOfRangeException>(() => m.PlanAllocation("a", -1)).Message);
            Assert.StartsWith("A deallocation size must be 0 or more bytes.", Assert.Throws<ArgumentOutOfRangeException>(() => m.RecordDeallocation("a", -1)).Message);
            Assert.StartsWith("The number of keys must be 0 or more.", Assert.Throws<ArgumentOutOfRangeException>(() => m.GetLruKeys(-1)).Message);
            Assert.StartsWith("The cleanup target must be a fraction from 0 to 1 (0.5 means 50 %).", Assert.Throws<ArgumentOutOfRangeException>(() => m.PlanCleanup(1.5)).Message);
        }

        [Fact]
        public void AllocateMany_checks_every_request_before_recording_any()
        {
            StateMonitor m = Monitor();
            Assert.Equal("requests", Assert.Throws<ArgumentNullException>(() => m.AllocateMany(null!)).ParamName);
            Assert.Equal("key", Assert.Throws<ArgumentException>(() => m.AllocateMany(new[] { new AllocationRequest("a", 1), new AllocationRequest(" ", 1) })).ParamName);
            var negative = Assert.Throws<ArgumentOutOfRangeException>(() => m.AllocateMany(new[] { new AllocationRequest("a", 1), new AllocationRequest("b", -1) }));
            Assert.StartsWith("An allocation size must be 0 or more bytes ('b').", negative.Message);
            Assert.Equal(0, m.ValueCount);

            AllocationResult[] results = m.AllocateMany(new[] { new AllocationRequest("zero", 0), new AllocationRequest("a", 5) });
            Assert.True(results.All(r => r.Recorded));
            Assert.Equal(2, m.ValueCount);
        }

        [Fact]
        public void AllocateMany_delivers_the_alerts_of_the_run()
        {
            StateMonitor m = Monitor(state: 100, value: 50, auto: false);
            var seen = new List<AlertType>();
            m.AlertRaised += (_, e) => seen.Add(e.Alert.Type);
            m.AllocateMany(new[] { new AllocationRequest("a", 50), new AllocationRequest("b", 30), new AllocationRequest("c", 30) });
            Assert.Equal(new[] { AlertType.ApproachingLimit, AlertType.LimitExceeded }, seen);
        }

        [Fact]
        public void The_evicted_entries_are_returned_only_when_asked_for_even_with_an_Evicted_handler()
        {
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 0.8, target: 0.5);
            int evictedEvents = 0;
            m.Evicted += (_, _) => evictedEvents++;
            m.RecordAllocation("a", 40);
            m.RecordAllocation("b", 30);
            AllocationResult r = m.Allocate("c", 20);   // 90 bytes: a goes, down to the target of 50
            Assert.Equal(1, r.EntriesEvicted);
            Assert.Equal(1, evictedEvents);
            Assert.Empty(r.Evicted);
        }

        [Fact]
        public void A_monitor_without_history_records_and_keeps_no_samples()
        {
            var m = new StateMonitor(Limits(), "nohistory", 10, new UsageHistorySettings(TimeSpan.FromSeconds(1), 0));
            Assert.True(m.RecordAllocation("a", 10));
            Assert.True(m.RecordDeallocation("a"));
            Assert.Empty(m.GetHistory());
            Assert.Empty(m.ExportHistory().ClosedSamples);
            Assert.Null(m.GetForecast().GrowthRate);
        }

        [Fact]
        public void A_history_with_another_interval_or_length_is_refused()
        {
            var m = new StateMonitor(Limits(), "h", 10, new UsageHistorySettings(TimeSpan.FromSeconds(1), 60));
            var otherInterval = new UsageHistoryState(TimeSpan.FromSeconds(2), 60, Array.Empty<UsageSample>(), null, false);
            var otherLength = new UsageHistoryState(TimeSpan.FromSeconds(1), 61, Array.Empty<UsageSample>(), null, false);
            Assert.StartsWith("The history's interval and length must be the monitor's.", Assert.Throws<ArgumentException>(() => m.RestoreHistory(otherInterval)).Message);
            Assert.StartsWith("The history's interval and length must be the monitor's.", Assert.Throws<ArgumentException>(() => m.RestoreHistory(otherLength)).Message);
        }

        [Fact]
        public void A_monitor_whose_store_cannot_export_says_which_store_and_monitor()
        {
            StateMonitor m = Monitor(name: "plain");
            var store = new NoSnapshotStore(m.Store);
            var wrapped = new StateMonitor(store);
            Assert.Equal("The Memory store of monitor 'plain' cannot export its state.", Assert.Throws<NotSupportedException>(() => wrapped.ExportState()).Message);
        }

        [Fact]
        public void Events_of_an_operation_made_inside_a_handler_are_delivered_after_it_in_order()
        {
            StateMonitor outer = Monitor(state: 100, value: 100, auto: false, name: "outer");
            StateMonitor inner = Monitor(state: 100, value: 100, auto: false, name: "inner");
            var seen = new List<string>();
            outer.AlertRaised += (_, e) =>
            {
                seen.Add("outer " + e.Alert.Type + " start");
                inner.RecordAllocation("x", 80);    // ApproachingLimit on the inner monitor, delivered after this handler
                seen.Add("outer " + e.Alert.Type + " end");
            };
            inner.AlertRaised += (_, e) => seen.Add("inner " + e.Alert.Type);
            outer.RecordAllocation("a", 80);
            Assert.Equal(new[] { "outer ApproachingLimit start", "outer ApproachingLimit end", "inner ApproachingLimit" }, seen);
        }

        [Fact]
        public void A_change_reads_the_store_counters_only_when_it_opens_an_interval_and_only_before_it_without_a_horizon()
        {
            // The update path reads the counters (a network round trip for a shared store) to close an interval before
            // the change, and after it only to predict: never with no history, never after it with no horizon.
            var clock = new ManualClock(HistoryTests.T0);
            var limits = Limits(state: 1000, value: 1000, auto: false);
            var watched = new CounterReadingStore(new MemoryStore("w", limits));
            var m = new StateMonitor(watched, new UsageHistorySettings(TimeSpan.FromSeconds(1), 60, clock));
            m.RecordAllocation("a", 10);   // 0 s: opens the first interval
            m.RecordAllocation("b", 10);
            m.RecordDeallocation("a");
            clock.Set(HistoryTests.T0.AddSeconds(1));
            m.RecordAllocation("c", 10);   // 1 s: closes 0 s
            m.Remove("b");
            Assert.Equal(2, watched.Reads);

            var unwatched = new CounterReadingStore(new MemoryStore("u", limits));
            var none = new StateMonitor(unwatched, new UsageHistorySettings(TimeSpan.FromSeconds(1), 0, clock));
            none.RecordAllocation("a", 10);
            clock.Set(HistoryTests.T0.AddSeconds(2));
            none.RecordAllocation("b", 10);
            none.RecordDeallocation("a");
            Assert.Equal(0, unwatched.Reads);
            Assert.Equal(10, none.CurrentSize);
        }

        [Fact]
        public void A_handler_that_unsubscribes_itself_gets_no_more_events_of_the_same_operation()
        {
            // The monitor looks at its handlers again for every event, so after the only one has gone the rest of the
            // operation's evictions go to nobody, and the operation still returns normally.
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 0.8, target: 0.3);
            m.RecordAllocation("a", 30);
            m.RecordAllocation("b", 30);
            var seen = new List<string>();
            EventHandler<EvictedEventArgs>? handler = null;
            handler = (_, e) =>
            {
                seen.Add(e.Entry.Key);
                m.Evicted -= handler;
            };
            m.Evicted += handler;
            AllocationResult r = m.Allocate("c", 25);   // 85 bytes: a and b go, down to the target of 30
            Assert.Equal(2, r.EntriesEvicted);
            Assert.Equal(new[] { "a" }, seen);
            Assert.Equal(0, m.GetStats().EventHandlerErrors);
            Assert.Equal(25, m.CurrentSize);
        }

        /// <summary>A store that counts how often its counters are read.</summary>
        private sealed class CounterReadingStore : ForwardingStore
        {
            public CounterReadingStore(StateStore inner)
                : base(inner)
            {
            }

            public int Reads { get; private set; }

            public override StoreCounters ReadCounters()
            {
                Reads++;
                return base.ReadCounters();
            }
        }

        /// <summary>A store that forwards to another but does not claim snapshots.</summary>
        private sealed class NoSnapshotStore : ForwardingStore
        {
            public NoSnapshotStore(StateStore inner)
                : base(inner)
            {
            }

            public override StoreCapabilities Capabilities => Inner.Capabilities & ~StoreCapabilities.Snapshots;
        }
    }
}
