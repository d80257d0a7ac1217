using System;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// The per-type alert counts (<see cref="ResourceStats.AlertsRaised"/>: the metrics' agentflow_alerts_total) of every
    /// detailed store: every alert raised counts, dropped or drained ones too; Reset zeroes them; a state keeps them.
    /// </summary>
    public abstract class AlertCountTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        /// <summary>50 bytes a second for 7 seconds: PredictedExhaustion at 6 s (350 of 1000 bytes, cleanup at 800, horizon 10 s).</summary>
        internal static StateMonitor Predicted(TStore factory, string name, int maxAlerts)
        {
            ResourceLimits limits = ResourceLimits.Builder().MaxStateSize(1000).MaxValueSize(1000).MaxCacheEntries(100).CleanupThreshold(0.8)
                .AutoCleanup(false).PredictionHorizon(TimeSpan.FromSeconds(10)).Build();
            var clock = new ManualClock(HistoryTests.T0);
            var m = new StateMonitor(factory.Create(limits, name, maxAlerts), new UsageHistorySettings(TimeSpan.FromSeconds(1), 60, clock));
            for (int t = 0; t <= 6; t++)
            {
                clock.Set(HistoryTests.T0.AddSeconds(t));
                m.RecordAllocation("k" + t, 50);
            }

            return m;
        }

        internal static string Counts(StateMonitor m) => m.GetStats().AlertsRaised.ToString();

        [Fact]
        public void A_published_PredictedExhaustion_is_queued_counted_drained_by_type_and_kept_by_a_state()
        {
            StateMonitor m = Predicted(new TStore(), "predicted", 10);
            var alert = Assert.IsType<PredictedExhaustionAlert>(Assert.Single(m.PeekAlerts()));
            Assert.Equal("[predicted] Usage grows by 50 B/s: 350 B reaches the cleanup threshold of 800 B in 9 s, within the prediction horizon of 10 s.", alert.ToString());
            Assert.Equal(HistoryTests.T0.AddSeconds(6), alert.Timestamp);
            Assert.Equal("ApproachingLimit 0, LimitExceeded 0, CleanupTriggered 0, CleanupFailed 0, PredictedExhaustion 1", Counts(m));

            StateMonitor copy = RoundTrip(m);
            var restored = Assert.IsType<PredictedExhaustionAlert>(Assert.Single(copy.PeekAlerts()));
            Assert.Equal(alert.ToString(), restored.ToString());
            Assert.Equal(alert.Timestamp, restored.Timestamp);
            Assert.Equal(alert.GrowthRate, restored.GrowthRate);
            Assert.Equal(alert.TimeToThreshold, restored.TimeToThreshold);
            Assert.Equal(Counts(m), Counts(copy));

            Assert.Empty(m.GetAlerts(AlertType.CleanupFailed));
            Assert.Same(alert, Assert.Single(m.GetAlerts(AlertType.PredictedExhaustion)));
            Assert.Empty(m.PeekAlerts());
            Assert.Equal(1, m.GetStats().AlertsRaised.PredictedExhaustion);
        }

        [Fact]
        public void Every_alert_raised_is_counted_by_type_and_a_state_keeps_the_counts_until_Reset()
        {
            StateMonitor m = Predicted(new TStore(), "counted", 4);            // PredictedExhaustion at 350 bytes
            m.Allocate("p", 300, pin: true);                                     // 650
            m.RecordAllocation("x", 200);                                        // 850: ApproachingLimit
            Assert.False(m.RecordAllocation("big", 200));                        // 1050 > 1000, no auto cleanup: LimitExceeded
            m.Cleanup(0.1);                                                      // evicts k0..k6 and x: CleanupTriggered; p (300) stays: CleanupFailed
            m.RecordAllocation("y", 500);                                        // 800: ApproachingLimit again (re-armed below)
            Assert.Equal(
                new[] { AlertType.LimitExceeded, AlertType.CleanupTriggered, AlertType.CleanupFailed, AlertType.ApproachingLimit },
                Types(m.PeekAlerts()));
            Assert.Equal(2, m.GetStats().AlertsDropped);

            // Dropped alerts count: the counts are of alerts raised, not of alerts queued.
            const string Raised = "ApproachingLimit 2, LimitExceeded 1, CleanupTriggered 1, CleanupFailed 1, PredictedExhaustion 1";
            Assert.Equal(Raised, Counts(m));
            ResourceStats stats = m.GetStats();
            Assert.Equal(2, stats.AlertsRaised.ApproachingLimit);
            Assert.Equal(1, stats.AlertsRaised[AlertType.LimitExceeded]);

            StoreState state = m.ExportState();
            Assert.Equal(Raised, state.AlertsRaised.ToString());
            StateMonitor copy = RoundTrip(m);
            Assert.Equal(Raised, Counts(copy));

            // Draining does not uncount; the copy counts on from the restored counts.
            Assert.Equal(4, m.GetAlerts().Count);
            Assert.Equal(Raised, Counts(m));
            Assert.False(copy.RecordAllocation("z", 2000));
            Assert.Equal("ApproachingLimit 2, LimitExceeded 2, CleanupTriggered 1, CleanupFailed 1, PredictedExhaustion 1", Counts(copy));

            m.Reset();
            copy.Reset();
            const string None = "ApproachingLimit 0, LimitExceeded 0, CleanupTriggered 0, CleanupFailed 0, PredictedExhaustion 0";
            Assert.Equal(None, Counts(m));
            Assert.Equal(None, Counts(copy));
            Assert.Equal(None, m.ExportState().AlertsRaised.ToString());
            Assert.False(m.RecordAllocation("again", 2000));
            Assert.Equal("ApproachingLimit 0, LimitExceeded 1, CleanupTriggered 0, CleanupFailed 0, PredictedExhaustion 0", Counts(m));
        }

        [Fact]
        public void Automatic_cleanup_counts_its_CleanupTriggered_and_CleanupFailed()
        {
            // Cleanup at 80 bytes down to 50; the pins hold 60.
            StateMonitor m = Monitor(state: 100, value: 100, entries: 100, threshold: 0.8, target: 0.5, name: "auto");
            m.Allocate("p", 60, pin: true);
            m.RecordAllocation("a", 15);                                         // 75
            m.RecordAllocation("b", 10);                                         // 85: evicts a (70); the pin holds it above 50: CleanupFailed
            Assert.Equal(
                new[] { AlertType.CleanupTriggered, AlertType.CleanupFailed },
                Types(m.PeekAlerts()));
            Assert.Equal("ApproachingLimit 0, LimitExceeded 0, CleanupTriggered 1, CleanupFailed 1, PredictedExhaustion 0", Counts(m));
        }
    }

    /// <summary>The per-type alert counts of every counters-only store.</summary>
    public abstract class FastAlertCountTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        [Fact]
        public void Every_alert_raised_is_counted_by_type_and_a_state_keeps_the_counts_until_Reset()
        {
            StateMonitor m = AlertCountTests<TStore>.Predicted(new TStore(), "fast-counted", 3); // PredictedExhaustion at 350 bytes
            Assert.True(m.IsFast);
            m.RecordAllocation("x", 500);                                        // 850: ApproachingLimit
            Assert.False(m.RecordAllocation("big", 200));                        // 1050 > 1000: LimitExceeded
            Assert.Throws<InvalidOperationException>(() => m.Cleanup(0.5));     // CleanupFailed: a fast monitor cannot clean up
            Assert.True(m.RecordDeallocation("x", 500));                         // 350
            m.RecordAllocation("y", 500);                                        // 850: ApproachingLimit again
            Assert.Equal(new[] { AlertType.LimitExceeded, AlertType.CleanupFailed, AlertType.ApproachingLimit }, Types(m.PeekAlerts()));
            Assert.Equal(2, m.GetStats().AlertsDropped);

            const string Raised = "ApproachingLimit 2, LimitExceeded 1, CleanupTriggered 0, CleanupFailed 1, PredictedExhaustion 1";
            Assert.Equal(Raised, AlertCountTests<TStore>.Counts(m));
            Assert.Equal(Raised, m.ExportState().AlertsRaised.ToString());
            StateMonitor copy = RoundTrip(m);
            Assert.Equal(Raised, AlertCountTests<TStore>.Counts(copy));
            Assert.False(copy.RecordAllocation("z", 2000));
            Assert.Equal("ApproachingLimit 2, LimitExceeded 2, CleanupTriggered 0, CleanupFailed 1, PredictedExhaustion 1", AlertCountTests<TStore>.Counts(copy));

            m.Reset();
            Assert.Equal("ApproachingLimit 0, LimitExceeded 0, CleanupTriggered 0, CleanupFailed 0, PredictedExhaustion 0", AlertCountTests<TStore>.Counts(m));
        }
    }
}
