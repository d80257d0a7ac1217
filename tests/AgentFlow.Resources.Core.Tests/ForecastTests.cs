using System;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.HistoryTests;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    public class ForecastTests
    {
        private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

        // 1000 bytes, cleanup at 800, no automatic cleanup: the forecast alone.
        private static (ManualClock Clock, StateMonitor Monitor) Growing(int seconds, long perSecond)
        {
            var clock = new ManualClock(T0);
            StateMonitor m = Watched(clock, Limits(state: 1000, value: 1000, auto: false));
            for (int t = 0; t < seconds; t++)
            {
                if (t > 0)
                {
                    clock.Advance(Second);
                }

                m.RecordAllocation("k" + t, perSecond);
            }

            return (clock, m);
        }

        [Fact]
        public void Needs_three_samples()
        {
            (ManualClock clock, StateMonitor m) = Growing(2, 50);
            ResourceStats stats = m.GetStats();
            Assert.Null(stats.GrowthRate);
            Assert.Null(stats.TimeToThreshold);
            Assert.Null(stats.TimeToLimit);

            clock.Advance(TimeSpan.FromSeconds(5)); // time alone adds no sample
            Assert.Null(m.GetStats().GrowthRate);
        }

        [Fact]
        public void Steady_growth_gives_the_exact_rate_and_times()
        {
            (_, StateMonitor m) = Growing(5, 50); // 50, 100, 150, 200, 250 at 0..4 s
            ResourceStats stats = m.GetStats();
            Assert.Equal(50.0, stats.GrowthRate!.Value, 9);
            Assert.Equal(TimeSpan.FromSeconds(11), stats.TimeToThreshold); // (800 - 250) / 50
            Assert.Equal(TimeSpan.FromSeconds(15), stats.TimeToLimit); // (1000 - 250) / 50
            Assert.Equal(5, m.GetForecast().Samples);
        }

        [Fact]
        public void Time_without_changes_is_a_plateau_that_slows_and_then_stops_the_forecast()
        {
            (ManualClock clock, StateMonitor m) = Growing(5, 50);
            clock.Advance(TimeSpan.FromSeconds(2)); // 6 s: intervals 5 and 6 held 250
            ResourceStats stats = m.GetStats();

            // Least squares over 0..6 s of 50, 100, 150, 200, 250, 250, 250: sum((x - 3) y) = 1000, sum((x - 3)^2) = 28.
            Assert.Equal(1000.0 / 28, stats.GrowthRate!.Value, 9);
            Assert.Equal(TimeSpan.FromMilliseconds(15400), stats.TimeToThreshold); // 550 / (1000 / 28) = 15.4 s

            clock.Advance(TimeSpan.FromSeconds(10)); // the whole window is a plateau
            stats = m.GetStats();
            Assert.Equal(0.0, stats.GrowthRate!.Value, 9);
            Assert.Null(stats.TimeToThreshold);
            Assert.Null(stats.TimeToLimit);
        }

        [Fact]
        public void Shrinking_usage_has_a_negative_rate_and_no_times()
        {
            (ManualClock clock, StateMonitor m) = Growing(4, 100);
            for (int t = 0; t < 4; t++)
            {
                clock.Advance(Second);
                m.RecordDeallocation("k" + t);
            }

            ResourceStats stats = m.GetStats();
            Assert.True(stats.GrowthRate < 0, $"rate {stats.GrowthRate}");
            Assert.Null(stats.TimeToThreshold);
            Assert.Null(stats.TimeToLimit);
        }

        [Fact]
        public void At_or_above_the_threshold_while_growing_the_time_is_zero()
        {
            var clock = new ManualClock(T0);
            StateMonitor m = Watched(clock, Limits(state: 1000, value: 1000, auto: false));
            foreach (long size in new long[] { 700, 100, 50 })
            {
                m.RecordAllocation("k" + size, size);
                clock.Advance(Second);
            }

            clock.Set(T0.AddSeconds(2)); // still in the interval of the last change
            ResourceStats stats = m.GetStats();
            Assert.Equal(TimeSpan.Zero, stats.TimeToThreshold); // 850 >= 800
            Assert.Equal(TimeSpan.FromMilliseconds(Math.Ceiling(150 / stats.GrowthRate!.Value * 1000)), stats.TimeToLimit);
        }
    }
}
