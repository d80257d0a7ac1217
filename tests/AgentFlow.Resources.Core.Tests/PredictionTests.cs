using System;
using System.Collections.Generic;
using System.Linq;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.HistoryTests;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// PredictedExhaustion and predictive cleanup driven by a manual clock, one step per second. Limits: 1000 bytes,
    /// cleanup at 800; the horizon is 10 s. The forecast is the least-squares slope over the latest 10 intervals.
    /// </summary>
    public class PredictionTests
    {
        private static readonly TimeSpan Horizon = TimeSpan.FromSeconds(10);

        private static ResourceLimits Limits(bool predictiveCleanup = false, double target = 0.7, bool auto = true) =>
            ResourceLimits.Builder().MaxStateSize(1000).MaxValueSize(1000).MaxCacheEntries(100).CleanupThreshold(0.8).CleanupTarget(target)
                .AutoCleanup(auto).PredictionHorizon(Horizon).PredictiveCleanup(predictiveCleanup).Build();

        private sealed class Run
        {
            public Run(ResourceLimits limits)
            {
                Clock = new ManualClock(T0);
                Monitor = Watched(Clock, limits);
                Monitor.AlertRaised += (_, e) => Alerts.Add((Second, e.Alert));
                Monitor.Evicted += (_, e) => Evictions.Add($"{Second}:{e.Entry.Key}:{e.Reason}");
            }

            public ManualClock Clock { get; }

            public StateMonitor Monitor { get; }

            public List<(int Second, ResourceAlert Alert)> Alerts { get; } = new List<(int, ResourceAlert)>();

            public List<string> Evictions { get; } = new List<string>();

            public int Second => (int)(Clock.UtcNow - T0).TotalSeconds;

            public void At(int second, Action<StateMonitor> change)
            {
                Clock.Set(T0.AddSeconds(second));
                change(Monitor);
            }

            public int[] SecondsOf(AlertType type) => Alerts.Where(a => a.Alert.Type == type).Select(a => a.Second).ToArray();
        }

        [Fact]
        public void Steady_growth_raises_PredictedExhaustion_once_when_the_threshold_comes_within_the_horizon()
        {
            var run = new Run(Limits());
            for (int t = 0; t <= 12; t++)
            {
                run.At(t, m => m.RecordAllocation("k" + t, 50)); // 50 bytes a second: 50 (t + 1) bytes
            }

            // At 6 s: 350 bytes, 50 B/s, (800 - 350) / 50 = 9 s < 10 s. Not at 5 s (10 s is not below the horizon).
            var alert = Assert.IsType<PredictedExhaustionAlert>(Assert.Single(run.Alerts).Alert);
            Assert.Equal(new[] { 6 }, run.SecondsOf(AlertType.PredictedExhaustion));
            Assert.Equal(50.0, alert.GrowthRate, 9);
            Assert.Equal(TimeSpan.FromSeconds(9), alert.TimeToThreshold);
            Assert.Equal(350, alert.Current);
            Assert.Equal(800, alert.ThresholdBytes);
            Assert.Equal(Horizon, alert.Horizon);
            Assert.Equal(T0.AddSeconds(6), alert.Timestamp);
            Assert.Equal("[h] Usage grows by 50 B/s: 350 B reaches the cleanup threshold of 800 B in 9 s, within the prediction horizon of 10 s.", alert.ToString());
            Assert.Equal(1, run.Monitor.GetStats().AlertsRaised[AlertType.PredictedExhaustion]);
            Assert.Empty(run.Evictions);
        }

        [Fact]
        public void A_plateau_rearms_it_and_renewed_growth_raises_it_again()
        {
            var run = new Run(Limits());
            for (int t = 0; t <= 8; t++)
            {
                run.At(t, m => m.RecordAllocation("k" + t, 50)); // 450 bytes at 8 s, alert at 6 s
            }

            // Idle until 30 s; a same-size replacement closes the plateau: the last 10 intervals all held 450.
            run.At(30, m => m.RecordAllocation("k0", 50));
            Assert.Equal(0.0, run.Monitor.GetStats().GrowthRate!.Value, 9);

            for (int t = 31; t <= 35; t++)
            {
                run.At(t, m => m.RecordAllocation("n" + t, 50));
            }

            // At 34 s the window holds 450 x 6, then 500, 550, 600, 650: slope 1750 / 82.5, (800 - 650) / slope = 7.07 s.
            // At 33 s it was 1150 / 82.5 and (800 - 600) / slope = 14.3 s: not yet.
            Assert.Equal(new[] { 6, 34 }, run.SecondsOf(AlertType.PredictedExhaustion));
            var second = (PredictedExhaustionAlert)run.Alerts.Last(a => a.Alert.Type == AlertType.PredictedExhaustion).Alert;
            Assert.Equal(1750 / 82.5, second.GrowthRate, 9);
            Assert.Equal(650, second.Current);
        }

        [Fact]
        public void A_burst_raises_it_while_it_dominates_the_window_and_rearms_when_it_has_left()
        {
            var run = new Run(Limits());
            run.At(0, m => m.RecordAllocation("base", 100));
            for (int t = 1; t <= 27; t++)
            {
                run.At(t, m =>
                {
                    if (t == 11)
                    {
                        m.RecordAllocation("burst", 350); // first change of the interval: the one that is evaluated
                    }

                    m.RecordAllocation("k" + t, 10);
                });
            }

            // 10 B/s alone predicts the threshold in 15 s or more until 25 s: (800 - 710) / 10 = 9 s at 26 s.
            // The burst at 11 s (550 bytes when evaluated): slope (825 + 340 * 4.5) / 82.5 = 28.5 B/s, 8.76 s.
            // It stays predicted while the burst is inside the window (through 19 s) and re-arms at 20 s, when
            // every interval of the window holds the burst and the slope is 10 B/s again.
            Assert.Equal(new[] { 11, 26 }, run.SecondsOf(AlertType.PredictedExhaustion));
            var burst = (PredictedExhaustionAlert)run.Alerts.First(a => a.Alert.Type == AlertType.PredictedExhaustion).Alert;
            Assert.Equal((825 + (340 * 4.5)) / 82.5, burst.GrowthRate, 9);
            Assert.Equal(550, burst.Current);
            Assert.Empty(run.Evictions); // 720 bytes at most: below the threshold
            Assert.Equal(new[] { AlertType.PredictedExhaustion, AlertType.PredictedExhaustion }, run.Alerts.Select(a => a.Alert.Type).ToArray());
        }

        [Fact]
        public void Shrinking_usage_rearms_it()
        {
            var run = new Run(Limits());
            for (int t = 0; t <= 7; t++)
            {
                run.At(t, m => m.RecordAllocation("k" + t, 50)); // alert at 6 s
            }

            for (int t = 8; t <= 15; t++)
            {
                run.At(t, m => m.RecordDeallocation("k" + (t - 8))); // down to 0 at 15 s
            }

            Assert.True(run.Monitor.GetStats().GrowthRate < 0);
            Assert.Null(run.Monitor.GetStats().TimeToThreshold);
            for (int t = 16; t <= 30; t++)
            {
                run.At(t, m => m.RecordAllocation("g" + t, 50));
            }

            // Growing again from 0 at 50 B/s: at 23 s the window (14..23 s: 50, 0, 50 ... 400) has the slope
            // 44.5 B/s and (800 - 400) / 44.5 = 8.98 s; at 22 s it was 34.8 B/s and 12.9 s.
            Assert.Equal(new[] { 6, 23 }, run.SecondsOf(AlertType.PredictedExhaustion));
            Assert.Equal(490 / 11.0, ((PredictedExhaustionAlert)run.Alerts.Last().Alert).GrowthRate, 9);
        }

        [Theory]
        [InlineData("RecordDeallocation")]
        [InlineData("RecordDeallocation with size")]
        [InlineData("Remove")]
        [InlineData("Remove with size")]
        [InlineData("Cleanup")]
        public void A_change_that_is_not_an_allocation_is_evaluated_when_it_opens_an_interval(string change)
        {
            // Every second the first change is the one given (it removes the empty marker of the second before, or
            // cleans down to 100 %, which evicts nothing), then 50 bytes and a new empty marker are recorded. Only
            // the first change of an interval is evaluated, so the allocations never are: a prediction comes from the
            // given change or not at all. At t s it sees the intervals closed at 50, 100, ... 50 t bytes and 50 t
            // bytes now (the allocations of t come after it). At 7 s that is 50 (1..7), 350 over 0..7 s: slope
            // 1925 / 42 = 45.83 B/s, and (800 - 350) / 45.83 = 9.819 s, inside the 10 s horizon; at 6 s it was 11.2 s.
            var run = new Run(Limits());
            for (int t = 0; t <= 9; t++)
            {
                run.At(t, m =>
                {
                    if (t > 0)
                    {
                        string marker = "z" + (t - 1);
                        switch (change)
                        {
                            case "RecordDeallocation": Assert.True(m.RecordDeallocation(marker)); break;
                            case "RecordDeallocation with size": Assert.True(m.RecordDeallocation(marker, 0)); break;
                            case "Remove": Assert.Equal(marker, m.Remove(marker)!.Key); break;
                            case "Remove with size": Assert.Equal(marker, m.Remove(marker, 0)!.Key); break;
                            case "Cleanup": Assert.Equal(0, m.Cleanup(1.0).EntriesRemoved); break;
                            default: throw new ArgumentOutOfRangeException(nameof(change), change, null);
                        }
                    }

                    m.RecordAllocation("k" + t, 50);
                    m.RecordAllocation("z" + t, 0);
                });
            }

            // Seen by the AlertRaised handler at 7 s, so it was delivered by the change that raised it.
            var alert = Assert.IsType<PredictedExhaustionAlert>(Assert.Single(run.Alerts).Alert);
            Assert.Equal(new[] { 7 }, run.SecondsOf(AlertType.PredictedExhaustion));
            Assert.Equal(1925 / 42.0, alert.GrowthRate, 9);
            Assert.Equal(TimeSpan.FromMilliseconds(9819), alert.TimeToThreshold);
            Assert.Equal(350, alert.Current);
            Assert.Equal(T0.AddSeconds(7), alert.Timestamp);
            Assert.Single(run.Monitor.GetAlerts(AlertType.PredictedExhaustion));
        }

        [Fact]
        public void Without_a_horizon_nothing_is_predicted_but_the_forecast_is_shown()
        {
            var clock = new ManualClock(T0);
            StateMonitor m = Watched(clock, ResourceLimits.Builder().MaxStateSize(1000).MaxValueSize(1000).Build());
            for (int t = 0; t <= 12; t++)
            {
                clock.Set(T0.AddSeconds(t));
                m.RecordAllocation("k" + t, 50);
            }

            Assert.Empty(m.GetAlerts(AlertType.PredictedExhaustion));
            Assert.Equal(50.0, m.GetStats().GrowthRate!.Value, 9);
        }

        [Fact]
        public void Reset_rearms_it()
        {
            var run = new Run(Limits());
            for (int t = 0; t <= 6; t++)
            {
                run.At(t, m => m.RecordAllocation("k" + t, 50));
            }

            run.Monitor.Reset();
            for (int t = 10; t <= 16; t++)
            {
                run.At(t, m => m.RecordAllocation("k" + t, 50));
            }

            Assert.Equal(new[] { 6, 16 }, run.SecondsOf(AlertType.PredictedExhaustion));
        }
        [Fact]
        public void Predictive_cleanup_evicts_down_to_the_target_before_the_threshold_is_reached()
        {
            // Cleanup target 50 % (500 bytes); 50 bytes a second. Exhaustion is predicted from 6 s (350 bytes); from
            // 10 s, while it is predicted, each step evicts the least recently used entries down to 500 bytes, so usage
            // never reaches the threshold of 800. A run evicts; the slope then falls until the prediction clears,
            // and renewed growth raises PredictedExhaustion again.
            var run = new Run(Limits(predictiveCleanup: true, target: 0.5));
            for (int t = 0; t <= 30; t++)
            {
                run.At(t, m => m.RecordAllocation("k" + t, 50));
            }

            Assert.Equal(new[] { 6, 15, 19, 23, 28 }, run.SecondsOf(AlertType.PredictedExhaustion));
            Assert.Equal(
                new[]
                {
                    "10:k0:Predicted", "11:k1:Predicted", "12:k2:Predicted", "13:k3:Predicted", "15:k4:Predicted", "15:k5:Predicted",
                    "19:k6:Predicted", "19:k7:Predicted", "19:k8:Predicted", "19:k9:Predicted",
                    "23:k10:Predicted", "23:k11:Predicted", "23:k12:Predicted", "23:k13:Predicted",
                    "28:k14:Predicted", "28:k15:Predicted", "28:k16:Predicted", "28:k17:Predicted", "28:k18:Predicted",
                },
                run.Evictions);
            Assert.Empty(run.SecondsOf(AlertType.ApproachingLimit));
            Assert.Equal(700, run.Monitor.GetHistory().Max(s => s.CurrentSize));
            Assert.Equal(600, run.Monitor.CurrentSize);

            var firstRun = (CleanupTriggeredAlert)run.Alerts.First(a => a.Alert.Type == AlertType.CleanupTriggered).Alert;
            Assert.True(firstRun.Automatic);
            Assert.Equal(50, firstRun.Freed);
            Assert.Equal(10, run.Alerts.First(a => a.Alert.Type == AlertType.CleanupTriggered).Second);
            Assert.Equal(19, run.Monitor.GetStats().TotalEvictions);
        }

        [Fact]
        public void Without_predictive_cleanup_the_same_growth_is_cleaned_at_the_threshold()
        {
            var run = new Run(Limits(predictiveCleanup: false, target: 0.5));
            for (int t = 0; t <= 15; t++)
            {
                run.At(t, m => m.RecordAllocation("k" + t, 50));
            }

            Assert.Equal(new[] { 6 }, run.SecondsOf(AlertType.PredictedExhaustion));
            Assert.Equal(new[] { "15:k0:Threshold", "15:k1:Threshold", "15:k2:Threshold", "15:k3:Threshold", "15:k4:Threshold", "15:k5:Threshold" }, run.Evictions);
        }

        [Fact]
        public void Predictive_cleanup_never_evicts_the_entry_just_recorded_and_a_fast_monitor_only_alerts()
        {
            var run = new Run(Limits(predictiveCleanup: true, target: 0.1));
            run.At(0, m => m.Allocate("pinned", 300, pin: true));
            for (int t = 1; t <= 6; t++)
            {
                run.At(t, m => m.RecordAllocation("k" + t, 60));
            }

            // 100 bytes is the target: the pinned 300 bytes stay, and so does the entry each step just recorded,
            // even when it is the only unpinned one left (as at 2 s: k1 is evicted, k2 stays).
            Assert.Equal("2:k1:Predicted", run.Evictions[0]);
            Assert.All(run.Evictions, e => Assert.DoesNotContain(":pinned:", e));
            Assert.All(run.Evictions, e => Assert.NotEqual("k" + e.Split(':')[0], e.Split(':')[1]));
            Assert.Contains("pinned", run.Monitor.GetAllocations().Select(e => e.Key));

            var clock = new ManualClock(T0);
            StateMonitor fast = StateMonitor.CreateFast(Limits(predictiveCleanup: true), "fast", 100, new UsageHistorySettings(TimeSpan.FromSeconds(1), 60, clock));
            for (int t = 0; t <= 7; t++)
            {
                clock.Set(T0.AddSeconds(t));
                fast.RecordAllocation("k" + t, 50);
            }

            Assert.Single(fast.GetAlerts(AlertType.PredictedExhaustion));
            Assert.Equal(400, fast.CurrentSize);
        }
    }
}
