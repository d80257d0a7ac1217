using System;
using AgentFlow.Resources;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>The limits' rules at exactly their bounds, the sentences that name each problem, and the text of the prediction settings.</summary>
    public class LimitsBoundaryTests
    {
        [Fact]
        public void A_threshold_of_exactly_0_is_refused_as_a_threshold()
        {
            ResourceLimits l = ResourceLimits.Builder().CleanupThreshold(0).CleanupTarget(0).Build();
            Assert.Equal(new[] { "CleanupThreshold must be a fraction greater than 0 and at most 1 (0.8 means 80 %), but is 0." }, l.Validate());
        }

        [Fact]
        public void A_target_of_exactly_1_is_refused_as_a_target_even_with_a_threshold_of_1()
        {
            ResourceLimits l = ResourceLimits.Builder().CleanupThreshold(1).CleanupTarget(1).Build();
            Assert.Equal(new[] { "CleanupTarget must be a fraction from 0 up to (not including) 1, but is 1." }, l.Validate());
        }

        [Fact]
        public void A_fraction_is_shown_with_at_most_three_decimals()
        {
            ResourceLimits l = ResourceLimits.Builder().CleanupThreshold(1.23456).CleanupTarget(0.5).Build();
            Assert.Equal(new[] { "CleanupThreshold must be a fraction greater than 0 and at most 1 (0.8 means 80 %), but is 1.235." }, l.Validate());
        }

        [Fact]
        public void A_negative_prediction_horizon_is_refused()
        {
            ResourceLimits l = ResourceLimits.Builder().PredictionHorizon(TimeSpan.FromSeconds(-1)).Build();
            Assert.Equal(new[] { "PredictionHorizon must be 0 (off) or a positive time span, but is -00:00:01." }, l.Validate());
        }

        [Fact]
        public void Predictive_cleanup_without_automatic_cleanup_is_refused()
        {
            ResourceLimits l = ResourceLimits.Builder().AutoCleanup(false).PredictionHorizon(TimeSpan.FromMinutes(1)).PredictiveCleanup(true).Build();
            Assert.Equal(new[] { "PredictiveCleanup needs AutoCleanup: it starts the automatic cleanup early." }, l.Validate());
        }

        [Fact]
        public void The_text_names_the_prediction_horizon_and_predictive_cleanup_only_when_set()
        {
            ResourceLimitsBuilder withHorizon = ResourceLimits.Default.ToBuilder().PredictionHorizon(TimeSpan.FromMinutes(5));
            Assert.Equal(
                "State 100 MB, value 10 MB, 1000 entries, cleanup at 80 % to 70 % (automatic), prediction horizon 00:05:00",
                withHorizon.Build().ToString());
            Assert.Equal(
                "State 100 MB, value 10 MB, 1000 entries, cleanup at 80 % to 70 % (automatic), prediction horizon 00:05:00 (predictive cleanup)",
                withHorizon.PredictiveCleanup(true).Build().ToString());
        }

        [Fact]
        public void A_product_exactly_1e15_from_a_whole_number_snaps_to_it()
        {
            // 1 × 1e-15 is 1e-15 away from 0, exactly the noise bound for products below 1: it counts as 0 entries, not 1.
            ResourceLimits l = ResourceLimits.Builder().MaxCacheEntries(1).CleanupThreshold(1e-15).CleanupTarget(0).Build();
            Assert.Empty(l.Validate());
            Assert.Equal(0, l.CleanupThresholdEntries);
        }
    }
}
