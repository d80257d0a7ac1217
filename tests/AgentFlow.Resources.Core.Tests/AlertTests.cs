using System;
using System.Linq;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    public abstract class AlertTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        [Fact]
        public void ApproachingLimit_for_bytes_is_edge_triggered()
        {
            StateMonitor m = Monitor(state: 100, value: 60, auto: false);
            m.RecordAllocation("a", 50);
            Assert.Empty(m.GetAlerts());
            m.RecordAllocation("b", 30); // 80: at the threshold
            AssertApproaching(Assert.Single(m.GetAlerts()), LimitedResource.StateSize, 80, 100);

            m.RecordAllocation("c", 10); // 90: still above, no repeat
            m.RecordDeallocation("c"); // 80: still at
            m.RecordAllocation("c", 15); // 95
            Assert.Empty(m.GetAlerts());

            m.RecordDeallocation("c");
            m.RecordDeallocation("b"); // 50: below, re-armed
            Assert.Empty(m.GetAlerts());
            m.RecordAllocation("b", 40); // 90
            AssertApproaching(Assert.Single(m.GetAlerts()), LimitedResource.StateSize, 90, 100);
        }

        [Fact]
        public void ApproachingLimit_for_entries_is_edge_triggered()
        {
            StateMonitor m = Monitor(state: 1000, value: 10, entries: 10, auto: false);
            for (int i = 0; i < 8; i++)
            {
                m.RecordAllocation("k" + i, 1);
            }

            AssertApproaching(Assert.Single(m.GetAlerts()), LimitedResource.CacheEntries, 8, 10);
            m.RecordAllocation("k8", 1);
            m.RecordAllocation("k9", 1);
            Assert.Empty(m.GetAlerts());
            m.RecordDeallocation("k9");
            m.RecordDeallocation("k8");
            m.RecordDeallocation("k7"); // 7: below
            Assert.Empty(m.GetAlerts());
            m.RecordAllocation("k7", 1);
            AssertApproaching(Assert.Single(m.GetAlerts()), LimitedResource.CacheEntries, 8, 10);
        }

        [Fact]
        public void Both_resources_can_warn_in_one_operation_bytes_first()
        {
            StateMonitor m = Monitor(state: 100, value: 100, entries: 5, auto: false);
            for (int i = 0; i < 3; i++)
            {
                m.RecordAllocation("k" + i, 10);
            }

            m.RecordAllocation("big", 50); // 80 bytes and 4 entries (threshold 4)
            var alerts = m.GetAlerts();
            Assert.Equal(2, alerts.Count);
            AssertApproaching(alerts[0], LimitedResource.StateSize, 80, 100);
            AssertApproaching(alerts[1], LimitedResource.CacheEntries, 4, 5);
        }

        [Fact]
        public void With_AutoCleanup_working_users_see_CleanupTriggered_not_warnings()
        {
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 0.8, target: 0.5);
            for (int i = 0; i < 100; i++)
            {
                m.RecordAllocation("k" + i, 10);
            }

            var alerts = m.GetAlerts();
            Assert.All(alerts, a => Assert.Equal(AlertType.CleanupTriggered, a.Type));
            Assert.Equal(31, alerts.Count); // 1000 bytes through, each run frees 30 after the first 80
        }

        [Fact]
        public void Every_alert_carries_time_monitor_name_and_a_one_line_message()
        {
            StateMonitor m = Monitor(state: 100, value: 50, auto: false, name: "alerts");
            DateTime before = DateTime.UtcNow;
            m.RecordAllocation("a", 45);
            m.RecordAllocation("b", 45);          // ApproachingLimit
            m.RecordAllocation("c", 20);          // LimitExceeded
            m.Pin("b");
            m.Cleanup(0.1);                       // CleanupTriggered, CleanupFailed
            DateTime after = DateTime.UtcNow;

            var alerts = m.GetAlerts();
            Assert.Equal(new[] { AlertType.ApproachingLimit, AlertType.LimitExceeded, AlertType.CleanupTriggered, AlertType.CleanupFailed }, Types(alerts));
            foreach (ResourceAlert a in alerts)
            {
                Assert.Equal("alerts", a.MonitorName);
                Assert.Equal(DateTimeKind.Utc, a.Timestamp.Kind);
                Assert.InRange(a.Timestamp, before, after);
                Assert.StartsWith("[alerts] ", a.ToString());
                Assert.DoesNotContain("\n", a.ToString());
                Assert.False(string.IsNullOrWhiteSpace(a.Message));
            }

            Assert.Equal("StateSize at 90.0 %: 90 B of 100 B.", alerts[0].Message);
            Assert.Equal("StateSize limit exceeded by 'c': 110 B would exceed 100 B.", alerts[1].Message);
            Assert.Equal("Manual cleanup freed 45 B by evicting 1 entry.", alerts[2].Message);
            Assert.Equal("Cleanup to 10 % (10 B) stopped at 45 B: 45 B is pinned in 1 entry.", alerts[3].Message);
        }

        [Fact]
        public void Entry_alerts_speak_in_entries()
        {
            StateMonitor m = Monitor(entries: 2, auto: false, name: "e");
            m.RecordAllocation("a", 1);
            m.RecordAllocation("b", 1);
            m.RecordAllocation("c", 1);
            var alerts = m.GetAlerts();
            Assert.Equal("CacheEntries at 100.0 %: 2 entries of 2 entries.", alerts[0].Message);
            Assert.Equal("CacheEntries limit exceeded by 'c': 3 entries would exceed 2 entries.", alerts[1].Message);
        }

        [Fact]
        public void The_queue_is_bounded_dropping_the_oldest_and_counting_them()
        {
            StateMonitor m = Monitor(state: 10, value: 10, auto: false, maxAlerts: 3);
            Assert.Equal(3, m.MaxAlerts);
            m.RecordAllocation("base", 5);
            for (int i = 1; i <= 5; i++)
            {
                Assert.False(m.RecordAllocation("k" + i, 6));
            }

            var queued = m.PeekAlerts();
            Assert.Equal(new[] { "k3", "k4", "k5" }, queued.Cast<LimitExceededAlert>().Select(a => a.Key));
            Assert.Equal(2, m.GetStats().AlertsDropped);
            Assert.Equal(5, m.GetStats().RejectedAllocations);

            m.ClearAlerts();
            Assert.Empty(m.PeekAlerts());
            Assert.Equal(2, m.GetStats().AlertsDropped); // clearing is not dropping
        }

        [Fact]
        public void Default_queue_keeps_a_thousand_alerts()
        {
            StateMonitor m = Monitor(state: 10, value: 10, auto: false);
            Assert.Equal(1000, m.MaxAlerts);
            for (int i = 0; i < 1005; i++)
            {
                m.RecordAllocation("k" + i, 10);
                m.RecordDeallocation("k" + i);
            }

            // each pair raised one ApproachingLimit (10 >= 8) and re-armed on the way back to 0
            Assert.Equal(1000, m.PeekAlerts().Count);
            Assert.Equal(5, m.GetStats().AlertsDropped);
        }

        [Fact]
        public void GetAlerts_drains_PeekAlerts_copies_ClearAlerts_empties()
        {
            StateMonitor m = Monitor(state: 100, value: 100, auto: false);
            m.RecordAllocation("a", 90);
            m.RecordAllocation("b", 20);
            var peek1 = m.PeekAlerts();
            var peek2 = m.PeekAlerts();
            Assert.Equal(2, peek1.Count);
            Assert.Equal(peek1, peek2);
            Assert.NotSame(peek1, peek2);

            var drained = m.GetAlerts();
            Assert.Equal(peek1, drained); // the same alert objects, oldest first
            Assert.Empty(m.GetAlerts());
            Assert.Empty(m.PeekAlerts());

            m.RecordAllocation("c", 20);
            Assert.Single(m.PeekAlerts());
            m.ClearAlerts();
            Assert.Empty(m.GetAlerts());
        }

        [Fact]
        public void GetAlerts_of_some_types_drains_only_those()
        {
            StateMonitor m = Monitor(state: 100, value: 100, auto: false);
            m.RecordAllocation("a", 50);
            m.RecordAllocation("b", 40);   // ApproachingLimit
            m.RecordAllocation("x", 20);   // LimitExceeded
            m.Pin("b");
            m.Cleanup(0.1);                // CleanupTriggered, CleanupFailed
            m.RecordAllocation("y", 70);   // LimitExceeded
            Assert.Equal(
                new[] { AlertType.ApproachingLimit, AlertType.LimitExceeded, AlertType.CleanupTriggered, AlertType.CleanupFailed, AlertType.LimitExceeded },
                Types(m.PeekAlerts()));

            var limits = m.GetAlerts(AlertType.LimitExceeded);
            Assert.Equal(new[] { "x", "y" }, limits.Cast<LimitExceededAlert>().Select(a => a.Key));
            Assert.Equal(new[] { AlertType.ApproachingLimit, AlertType.CleanupTriggered, AlertType.CleanupFailed }, Types(m.PeekAlerts()));

            var two = m.GetAlerts(AlertType.CleanupFailed, AlertType.ApproachingLimit);
            Assert.Equal(new[] { AlertType.ApproachingLimit, AlertType.CleanupFailed }, Types(two));
            Assert.Equal(new[] { AlertType.CleanupTriggered }, Types(m.PeekAlerts()));

            Assert.Empty(m.GetAlerts(AlertType.LimitExceeded));
            Assert.Single(m.GetAlerts(Array.Empty<AlertType>())); // no types: everything
            Assert.Empty(m.PeekAlerts());
            m.RecordAllocation("z", 95);
            Assert.Single(m.GetAlerts((AlertType[])null!)); // null: everything too
            Assert.Empty(m.PeekAlerts());
        }

        [Fact]
        public void AlertRaised_delivers_each_queued_alert()
        {
            StateMonitor m = Monitor(state: 100, value: 100, auto: false);
            var seen = new System.Collections.Generic.List<ResourceAlert>();
            m.AlertRaised += (sender, e) =>
            {
                Assert.Same(m, sender);
                seen.Add(e.Alert);
            };
            m.RecordAllocation("a", 85);
            m.RecordAllocation("b", 20);
            Assert.Equal(m.GetAlerts(), seen);
            Assert.Equal(2, seen.Count);
        }

        // The words of a CleanupFailed alert come from one place (CleanupFailureReasons): a Redis budget's script records
        // only a code and numbers, so every store must read the same, word for word, for the same situation.
        [Fact]
        public void CleanupFailed_alerts_read_the_same_in_every_store()
        {
            StateMonitor admission = Monitor(state: 100, value: 50, entries: 100, threshold: 1.0, target: 0.9);
            admission.RecordAllocation("a", 30);
            admission.Allocate("b", 30, pin: true);
            admission.Allocate("c", 30, pin: true);
            Assert.False(admission.RecordAllocation("d", 50)); // pinned 60 + 50 = 110 over 100 even with a evicted
            Assert.Equal(
                "Cannot make room for 'd': even evicting every unpinned entry leaves 110 B in 3 entries, over the limits of 100 B and 100 entries; 60 B is pinned in 2 entries.",
                Assert.Single(admission.GetAlerts(AlertType.CleanupFailed)).Message);

            StateMonitor manual = Monitor(state: 100, value: 50, entries: 100, auto: false);
            manual.Allocate("p", 40, pin: true);
            manual.RecordAllocation("a", 20);
            manual.Cleanup(0.25); // target 25: a goes, p (40) stays
            Assert.Equal(
                "Cleanup to 25 % (25 B) stopped at 40 B: 40 B is pinned in 1 entry.",
                Assert.Single(manual.GetAlerts(AlertType.CleanupFailed)).Message);

            StateMonitor automatic = Monitor(state: 100, value: 50, entries: 100, threshold: 0.8, target: 0.5);
            automatic.Allocate("p1", 30, pin: true);
            automatic.Allocate("p2", 30, pin: true);
            automatic.RecordAllocation("a", 25); // 85 over the threshold 80: nothing but the key just recorded is unpinned
            Assert.Equal(
                "Automatic cleanup stopped at 85 B in 3 entries, above its target of 50 B and 50 entries: 60 B is pinned in 2 entries.",
                Assert.Single(automatic.GetAlerts(AlertType.CleanupFailed)).Message);
        }

        [Fact]
        public void Monitors_are_named()
        {
            Assert.Equal("x", Monitor(name: "x").Name);
            StateMonitor unnamed = new StateMonitor(ResourceLimits.Default);
            Assert.StartsWith("Monitor", unnamed.Name);
            Assert.NotEqual(unnamed.Name, new StateMonitor(ResourceLimits.Default).Name);
        }
    }
}
