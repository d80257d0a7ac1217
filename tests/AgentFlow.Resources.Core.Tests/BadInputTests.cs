using System;
using System.Collections.Generic;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>Caller mistakes throw the documented exception with a clear message, and change nothing.</summary>
    public class BadInputTests
    {
        private static StateMonitor Populated(bool fast)
        {
            ResourceLimits limits = Limits(state: 100, value: 20, entries: 10, streaming: true, chunk: 5, auto: false);
            StateMonitor m = fast ? StateMonitor.CreateFast(limits, "bad") : new StateMonitor(limits, "bad");
            m.RecordAllocation("a", 10);
            m.Allocate("p", 20, pin: true);
            m.RecordAllocation("s", 300);
            m.RecordAllocation("b", 50);  // streamed too
            m.RecordAllocation("c", 20);
            m.RecordAllocation("d", 20);  // 10 + 20 + 5 + 5 + 20 + 20 = 80: ApproachingLimit queued
            Assert.Single(m.PeekAlerts());
            return m;
        }

        public static IEnumerable<object[]> KeyedCalls()
        {
            var calls = new Dictionary<string, Action<StateMonitor, string>>
            {
                ["RecordAllocation"] = (m, k) => m.RecordAllocation(k, 1),
                ["Allocate"] = (m, k) => m.Allocate(k, 1, pin: true),
                ["RecordDeallocation"] = (m, k) => m.RecordDeallocation(k),
                ["RecordDeallocation(size)"] = (m, k) => m.RecordDeallocation(k, 1),
                ["RecordAccess"] = (m, k) => m.RecordAccess(k),
                ["Pin"] = (m, k) => m.Pin(k),
                ["Unpin"] = (m, k) => m.Unpin(k),
                ["TryGetAllocation"] = (m, k) => m.TryGetAllocation(k, out _),
            };
            foreach (bool fast in new[] { false, true })
            {
                foreach (KeyValuePair<string, Action<StateMonitor, string>> call in calls)
                {
                    yield return new object[] { call.Key, fast, call.Value };
                }
            }
        }

        [Theory]
        [MemberData(nameof(KeyedCalls))]
        public void Null_key_throws_ArgumentNullException_and_changes_nothing(string name, bool fast, Action<StateMonitor, string> call)
        {
            StateMonitor m = Populated(fast);
            string before = Fingerprint(m);
            var ex = Assert.Throws<ArgumentNullException>(() => call(m, null!));
            Assert.Equal("key", ex.ParamName);
            Assert.Contains("key is required", ex.Message);
            Assert.Equal(before, Fingerprint(m));
            Assert.NotNull(name);
        }

        [Theory]
        [MemberData(nameof(KeyedCalls))]
        public void Empty_key_throws_ArgumentException_and_changes_nothing(string name, bool fast, Action<StateMonitor, string> call)
        {
            StateMonitor m = Populated(fast);
            string before = Fingerprint(m);
            var ex = Assert.Throws<ArgumentException>(() => call(m, string.Empty));
            Assert.Equal("key", ex.ParamName);
            Assert.Contains("must not be empty", ex.Message);
            Assert.Equal(before, Fingerprint(m));
            Assert.NotNull(name);
        }

        [Theory]
        [MemberData(nameof(KeyedCalls))]
        public void Blank_key_throws_ArgumentException_with_a_plain_message_and_changes_nothing(string name, bool fast, Action<StateMonitor, string> call)
        {
            foreach (string blank in new[] { " ", "   ", "\t", " \t\r\n" })
            {
                StateMonitor m = Populated(fast);
                string before = Fingerprint(m);
                var ex = Assert.Throws<ArgumentException>(() => call(m, blank));
                Assert.Equal("key", ex.ParamName);
                Assert.StartsWith("A key must contain a visible character; a key of only white space is not accepted.", ex.Message);
                Assert.Equal(before, Fingerprint(m));
                Assert.NotNull(name);
            }
        }

        [Theory]
        [InlineData(false, -1L)]
        [InlineData(false, long.MinValue)]
        [InlineData(true, -1L)]
        [InlineData(true, -1000L)]
        public void Negative_sizes_throw_and_change_nothing(bool fast, long size)
        {
            StateMonitor m = Populated(fast);
            string before = Fingerprint(m);

            var a = Assert.Throws<ArgumentOutOfRangeException>(() => m.RecordAllocation("a", size));
            Assert.Equal("size", a.ParamName);
            Assert.Equal(size, a.ActualValue);
            Assert.Contains("0 or more bytes", a.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => m.Allocate("new", size, pin: true));
            var d = Assert.Throws<ArgumentOutOfRangeException>(() => m.RecordDeallocation("a", size));
            Assert.Equal("size", d.ParamName);
            Assert.Equal(before, Fingerprint(m));
        }

        [Theory]
        [InlineData(double.NaN)]
        [InlineData(-0.01)]
        [InlineData(1.01)]
        [InlineData(-1.0)]
        [InlineData(2.0)]
        [InlineData(double.PositiveInfinity)]
        [InlineData(double.NegativeInfinity)]
        public void Bad_cleanup_targets_throw_ArgumentOutOfRange_and_change_nothing(double target)
        {
            foreach (bool fast in new[] { false, true })
            {
                StateMonitor m = Populated(fast);
                string before = Fingerprint(m);
                var c = Assert.Throws<ArgumentOutOfRangeException>(() => m.Cleanup(target));
                Assert.Equal("targetPercentage", c.ParamName);
                Assert.Contains("fraction from 0 to 1", c.Message);
                var p = Assert.Throws<ArgumentOutOfRangeException>(() => m.PlanCleanup(target));
                Assert.Equal("targetPercentage", p.ParamName);
                Assert.Equal(before, Fingerprint(m)); // no CleanupFailed either: the call was a mistake, not a failed cleanup
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Negative_lru_count_throws_and_changes_nothing(bool fast)
        {
            StateMonitor m = Populated(fast);
            string before = Fingerprint(m);
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => m.GetLruKeys(-1));
            Assert.Equal("count", ex.ParamName);
            Assert.Contains("0 or more", ex.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => m.GetLruKeys(int.MinValue));
            Assert.Equal(before, Fingerprint(m));
        }

        [Fact]
        public void Fast_deallocation_below_zero_throws_and_changes_nothing()
        {
            StateMonitor m = StateMonitor.CreateFast(Limits(state: 100, value: 50, entries: 10, auto: false), "bad");
            m.RecordAllocation("a", 40);
            m.RecordAllocation("b", 40); // ApproachingLimit queued
            m.RecordAllocation("c", 40); // rejected: LimitExceeded queued
            string before = Fingerprint(m);

            var bytes = Assert.Throws<ArgumentException>(() => m.RecordDeallocation("a", 81));
            Assert.Equal("size", bytes.ParamName);
            Assert.Contains("'a'", bytes.Message);
            Assert.Contains("holds only 80 bytes", bytes.Message);
            Assert.Contains("below zero", bytes.Message);
            Assert.Equal(before, Fingerprint(m));

            m.RecordDeallocation("a", 40);
            m.RecordDeallocation("b", 40);
            before = Fingerprint(m);
            var count = Assert.Throws<ArgumentException>(() => m.RecordDeallocation("a", 0));
            Assert.Equal("key", count.ParamName);
            Assert.Contains("no entries", count.Message);
            Assert.Equal(before, Fingerprint(m));
        }

        [Fact]
        public void Bad_monitor_arguments()
        {
            ResourceLimits limits = ResourceLimits.Default;
            var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new StateMonitor(limits, "m", 0));
            Assert.Equal("maxAlerts", zero.ParamName);
            Assert.Throws<ArgumentOutOfRangeException>(() => StateMonitor.CreateFast(limits, "m", -5));
            var blank = Assert.Throws<ArgumentException>(() => new StateMonitor(limits, "  "));
            Assert.Equal("name", blank.ParamName);
            Assert.Throws<ArgumentException>(() => StateMonitor.CreateFast(limits, string.Empty));
        }

        [Fact]
        public void Invalid_limits_each_refused_with_every_problem_listed()
        {
            var cases = new Func<ResourceLimitsBuilder, ResourceLimitsBuilder>[]
            {
                b => b.MaxStateSize(0),
                b => b.MaxValueSize(0),
                b => b.MaxValueSize(ResourceLimits.MiB * 101),
                b => b.MaxCacheEntries(0),
                b => b.CleanupThreshold(0).CleanupTarget(0),
                b => b.CleanupThreshold(1.01).CleanupTarget(0.5),
                b => b.CleanupThreshold(double.NaN).CleanupTarget(0.5),
                b => b.CleanupTarget(-0.5),
                b => b.CleanupTarget(0.8),
                b => b.CleanupTarget(double.NaN),
                b => b.StreamChunkSize(0),
                b => b.StreamChunkSize(ResourceLimits.MiB * 11),
            };
            foreach (var change in cases)
            {
                ResourceLimits l = change(ResourceLimits.Builder()).Build();
                IReadOnlyList<string> problems = l.Validate();
                Assert.NotEmpty(problems);
                var ex = Assert.Throws<ArgumentException>(() => new StateMonitor(l));
                Assert.StartsWith("The resource limits are invalid: ", ex.Message);
                Assert.Contains(string.Join(" ", problems), ex.Message);
            }
        }
    }
}
