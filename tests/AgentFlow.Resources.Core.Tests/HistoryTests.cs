using System;
using System.Linq;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    public class HistoryTests
    {
        internal static readonly DateTime T0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        internal static StateMonitor Watched(ManualClock clock, ResourceLimits limits, int length = 3600, double intervalSeconds = 1, bool fast = false)
        {
            var history = new UsageHistorySettings(TimeSpan.FromSeconds(intervalSeconds), length, clock);
            return fast ? StateMonitor.CreateFast(limits, "h", 1000, history) : new StateMonitor(limits, "h", 1000, history);
        }

        private static string Show(StateMonitor m) =>
            string.Join(" ", m.GetHistory().Select(s => $"{(s.Timestamp - T0).TotalSeconds}s:{s.CurrentSize}/{s.ValueCount}"));

        [Fact]
        public void One_sample_per_interval_holds_the_latest_value_seen_in_it()
        {
            var clock = new ManualClock(T0);
            StateMonitor m = Watched(clock, Limits(state: 1000, value: 1000, auto: false));
            Assert.Empty(m.GetHistory());

            clock.Advance(TimeSpan.FromMilliseconds(100));
            m.RecordAllocation("a", 10);
            clock.Advance(TimeSpan.FromMilliseconds(400));
            m.RecordAllocation("b", 20);
            Assert.Equal("0s:30/2", Show(m));

            clock.Advance(TimeSpan.FromMilliseconds(400)); // 0.9 s
            m.RecordDeallocation("a");
            clock.Advance(TimeSpan.FromMilliseconds(300)); // 1.2 s: the first interval closes with its latest value
            m.RecordAllocation("c", 5);
            Assert.Equal("0s:20/1 1s:25/2", Show(m));

            clock.Advance(TimeSpan.FromSeconds(3)); // 4.2 s, no change: no sample
            Assert.Equal("0s:20/1 1s:25/2", Show(m));
            m.RecordAllocation("d", 5);
            Assert.Equal("0s:20/1 1s:25/2 4s:30/3", Show(m));

            UsageSample last = m.GetHistory().Last();
            Assert.Equal(T0.AddSeconds(4), last.Timestamp);
            Assert.Equal(DateTimeKind.Utc, last.Timestamp.Kind);
            Assert.Equal(0.03, last.UsagePercentage);
        }

        [Fact]
        public void Keeps_the_latest_samples_up_to_its_length()
        {
            var clock = new ManualClock(T0);
            StateMonitor m = Watched(clock, Limits(state: 1000, value: 1000, auto: false), length: 3);
            for (int i = 1; i <= 5; i++)
            {
                m.RecordAllocation("k" + i, 10);
                clock.Advance(TimeSpan.FromSeconds(1));
            }

            Assert.Equal("2s:30/3 3s:40/4 4s:50/5", Show(m));
        }

        [Fact]
        public void Intervals_follow_a_grid_of_the_clock_and_cleanups_and_rejections_count_as_changes()
        {
            var clock = new ManualClock(T0.AddMilliseconds(1500));
            StateMonitor m = Watched(clock, Limits(state: 100, value: 50, auto: false), intervalSeconds: 2);
            m.RecordAllocation("a", 40);
            m.RecordAllocation("b", 40);
            clock.Advance(TimeSpan.FromSeconds(1)); // 2.5 s: a new 2-second interval
            Assert.False(m.RecordAllocation("c", 40)); // rejected: nothing changed, but the interval rolled over
            clock.Advance(TimeSpan.FromSeconds(2)); // 4.5 s
            m.Cleanup(0.4);
            Assert.Equal("0s:80/2 2s:80/2 4s:40/1", Show(m));
        }

        [Fact]
        public void A_fast_monitor_keeps_history_too()
        {
            var clock = new ManualClock(T0);
            StateMonitor m = Watched(clock, Limits(state: 1000, value: 1000), fast: true);
            m.RecordAllocation("a", 10);
            clock.Advance(TimeSpan.FromSeconds(1));
            m.RecordAllocation("b", 20);
            m.RecordDeallocation("a", 10);
            Assert.Equal("0s:10/1 1s:20/1", Show(m));
        }

        [Fact]
        public void Reset_forgets_the_history_and_length_zero_keeps_none()
        {
            var clock = new ManualClock(T0);
            StateMonitor m = Watched(clock, Limits(state: 1000, value: 1000));
            m.RecordAllocation("a", 10);
            m.Reset();
            Assert.Empty(m.GetHistory());

            StateMonitor none = Watched(clock, Limits(state: 1000, value: 1000), length: 0);
            for (int i = 0; i < 5; i++)
            {
                none.RecordAllocation("k" + i, 10);
                clock.Advance(TimeSpan.FromSeconds(1));
            }

            Assert.Empty(none.GetHistory());
            Assert.Null(none.GetStats().GrowthRate);
        }

        [Fact]
        public void Settings_reject_what_cannot_work_and_say_what_is_accepted()
        {
            var interval = Assert.Throws<ArgumentOutOfRangeException>(() => new UsageHistorySettings(TimeSpan.Zero, 10));
            Assert.Contains("at least 1 millisecond", interval.Message);
            var length = Assert.Throws<ArgumentOutOfRangeException>(() => new UsageHistorySettings(TimeSpan.FromSeconds(1), -1));
            Assert.Contains("from 0 (no history) to 1000000", length.Message);
            Assert.Same(UsageClock.System, new UsageHistorySettings(TimeSpan.FromSeconds(1), 1).Clock);
            Assert.Throws<ArgumentOutOfRangeException>(() => new ManualClock(T0).Advance(TimeSpan.FromSeconds(-1)));
        }

        [Fact]
        public void The_system_clock_follows_real_time()
        {
            DateTime before = DateTime.UtcNow;
            DateTime seen = UsageClock.System.UtcNow;
            Assert.Equal(DateTimeKind.Utc, seen.Kind);
            Assert.InRange(seen, before.AddSeconds(-5), DateTime.UtcNow.AddSeconds(5));
        }
    }
}
