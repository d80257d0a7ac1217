using System.Linq;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>Limits as large as long.MaxValue: a sum of sizes must never wrap around into an admitted allocation.</summary>
    public class LargeLimitsTests
    {
        private const long Half = long.MaxValue / 2 + 1; // two of these add up past long.MaxValue

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Detailed_monitor_rejects_what_would_wrap_past_long_MaxValue(bool auto)
        {
            StateMonitor m = Monitor(state: long.MaxValue, value: long.MaxValue, entries: 10, auto: auto, chunk: 1);
            Assert.True(m.Allocate("a", Half, pin: true).Recorded);
            AllocationResult r = m.Allocate("b", Half);
            Assert.False(r.Recorded);
            Assert.Equal(LimitedResource.StateSize, r.RejectedResource);
            Assert.Equal(long.MaxValue, r.AttemptedValue); // saturated, not negative
            Assert.Equal(Half, m.CurrentSize);
            Assert.Equal(new[] { "a" }, Keys(m));
        }

        [Fact]
        public void Detailed_monitor_evicts_to_admit_a_large_value_without_wrapping()
        {
            StateMonitor m = Monitor(state: long.MaxValue, value: long.MaxValue, entries: 10, auto: true, threshold: 1.0, target: 0.9, chunk: 1);
            Assert.True(m.RecordAllocation("a", Half));
            AllocationResult r = m.Allocate("b", Half);
            Assert.True(r.Recorded);
            Assert.Equal(1, r.EntriesEvicted);
            Assert.Equal(new[] { "b" }, Keys(m));
            Assert.Equal(Half, m.CurrentSize);
        }

        [Fact]
        public void Fast_monitor_rejects_what_would_wrap_past_long_MaxValue()
        {
            StateMonitor m = StateMonitor.CreateFast(Limits(state: long.MaxValue, value: long.MaxValue, entries: 10, chunk: 1));
            Assert.True(m.RecordAllocation("a", Half));
            AllocationResult r = m.Allocate("b", Half);
            Assert.False(r.Recorded);
            Assert.Equal(long.MaxValue, r.AttemptedValue);
            Assert.Equal(Half, m.CurrentSize);
            Assert.Equal(1, m.ValueCount);
            Assert.Equal(new[] { AlertType.LimitExceeded }, Types(m.GetAlerts()));
        }

        [Theory]
        [InlineData(false, 50, false, 50)]    // not over MaxValueSize
        [InlineData(false, 51, false, 51)]    // over it, but streaming is off: rejected, never resident
        [InlineData(true, 50, false, 50)]
        [InlineData(true, 51, true, 10)]      // streamed: one 10-byte chunk is resident
        public void Limits_say_which_values_are_streamed_and_what_they_hold(bool streaming, long size, bool streamed, long resident)
        {
            ResourceLimits l = Limits(state: 100, value: 50, streaming: streaming, chunk: 10);
            Assert.Equal(streamed, l.IsStreamed(size));
            Assert.Equal(resident, l.ResidentSize(size));
        }

        [Fact]
        public void EvictedBytes_saturates_at_long_MaxValue()
        {
            StateMonitor m = Monitor(state: long.MaxValue, value: long.MaxValue, entries: 10, auto: true, threshold: 1.0, target: 0.9, chunk: 1);
            Assert.True(m.RecordAllocation("a", long.MaxValue));
            Assert.True(m.RecordAllocation("b", long.MaxValue)); // evicts a
            Assert.True(m.RecordAllocation("a", long.MaxValue)); // evicts b
            ResourceStats s = m.GetStats();
            Assert.Equal(2, s.TotalEvictions);
            Assert.Equal(long.MaxValue, s.EvictedBytes);
        }
    }
}
