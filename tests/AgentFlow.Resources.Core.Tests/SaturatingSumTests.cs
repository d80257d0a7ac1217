using AgentFlow.Resources;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>The sums behind every byte counter: exact below long.MaxValue, saturated at it, never negative.</summary>
    public class SaturatingSumTests
    {
        [Theory]
        [InlineData(0L, 0L, 0L)]
        [InlineData(5L, 0L, 5L)]
        [InlineData(0L, 7L, 7L)]
        [InlineData(40L, 2L, 42L)]
        [InlineData(long.MaxValue - 3, 3L, long.MaxValue)]           // exactly the maximum: no saturation needed
        [InlineData(long.MaxValue - 3, 4L, long.MaxValue)]           // one past it
        [InlineData(long.MaxValue, long.MaxValue, long.MaxValue)]    // would wrap to -2
        [InlineData(long.MaxValue, 0L, long.MaxValue)]
        [InlineData(10L, -4L, 6L)]                                   // a negative other (a shrinking replace) is a plain sum
        [InlineData(long.MaxValue, -1L, long.MaxValue - 1)]
        public void Saturating_add_is_exact_below_the_maximum_and_stops_at_it(long nonNegative, long other, long expected)
        {
            Assert.Equal(expected, Saturating.Add(nonNegative, other));
        }

        [Fact]
        public void A_wide_sum_is_exact_below_the_maximum()
        {
            var sum = WideSum.Of(5);
            Assert.Equal(5, sum.Value);
            sum.Add(37);
            Assert.Equal(42, sum.Value);
            sum.Subtract(40);
            Assert.Equal(2, sum.Value);
            Assert.True(sum.AtLeast(2));
            Assert.False(sum.AtLeast(3));
            Assert.True(sum.AtLeast(0));
        }

        [Fact]
        public void Adding_or_subtracting_zero_leaves_a_wide_sum_as_it_was()
        {
            var sum = WideSum.Of(9);
            sum.Add(0); // no carry: the low word did not wrap
            Assert.Equal(9, sum.Value);
            Assert.False(sum.AtLeast(10));
            sum.Subtract(0);
            Assert.Equal(9, sum.Value);
            sum.Subtract(9);
            Assert.Equal(0, sum.Value);
            Assert.False(sum.AtLeast(1));
        }

        [Fact]
        public void A_wide_sum_reports_long_MaxValue_exactly_and_saturates_past_it()
        {
            var sum = WideSum.Of(long.MaxValue - 1);
            sum.Add(1);
            Assert.Equal(long.MaxValue, sum.Value);
            Assert.True(sum.AtLeast(long.MaxValue));

            sum.Add(1); // 2^63: in the low word, above long.MaxValue
            Assert.Equal(long.MaxValue, sum.Value);
            Assert.True(sum.AtLeast(long.MaxValue));

            sum.Subtract(2);
            Assert.Equal(long.MaxValue - 1, sum.Value);
            Assert.False(sum.AtLeast(long.MaxValue));
        }

        [Fact]
        public void A_wide_sum_carries_into_its_high_word_and_comes_back_exactly()
        {
            // Three values of long.MaxValue: 3 * (2^63 - 1) = 2^64 + 2^63 - 3, past 64 bits.
            var sum = default(WideSum);
            Assert.Equal(0, sum.Value);
            Assert.False(sum.AtLeast(1));
            sum.Add(long.MaxValue);
            sum.Add(long.MaxValue);
            Assert.Equal(long.MaxValue, sum.Value);
            sum.Add(long.MaxValue); // carries
            Assert.Equal(long.MaxValue, sum.Value);
            Assert.True(sum.AtLeast(long.MaxValue));
            Assert.True(sum.AtLeast(1));

            sum.Subtract(long.MaxValue); // borrows back: 2^64 - 2, still above the maximum
            Assert.Equal(long.MaxValue, sum.Value);
            sum.Subtract(long.MaxValue); // 2^63 - 1 exactly
            Assert.Equal(long.MaxValue, sum.Value);
            sum.Subtract(long.MaxValue - 10);
            Assert.Equal(10, sum.Value);
            Assert.True(sum.AtLeast(10));
            Assert.False(sum.AtLeast(11));
        }

        [Fact]
        public void A_wide_sum_in_its_high_word_is_at_least_any_long_even_with_a_small_low_word()
        {
            // 2^64 + 4: the low word (4) alone is below the values asked about.
            var sum = WideSum.Of(long.MaxValue);
            sum.Add(long.MaxValue);
            sum.Add(6); // 2^64 - 2 + 6 = 2^64 + 4
            Assert.True(sum.AtLeast(5));
            Assert.True(sum.AtLeast(long.MaxValue));
            Assert.Equal(long.MaxValue, sum.Value);

            sum.Subtract(6); // back to 2^64 - 2: a borrow from the high word
            sum.Subtract(long.MaxValue);
            Assert.Equal(long.MaxValue, sum.Value);
            Assert.True(sum.AtLeast(long.MaxValue));
            sum.Subtract(long.MaxValue);
            Assert.Equal(0, sum.Value);
            Assert.False(sum.AtLeast(1));
        }
    }
}
