using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    public class LimitsTests
    {
        private static void AssertValues(ResourceLimits l, long state, long value, long entries, double threshold, double target, bool auto, bool streaming, long chunk)
        {
            Assert.Equal(state, l.MaxStateSize);
            Assert.Equal(value, l.MaxValueSize);
            Assert.Equal(entries, l.MaxCacheEntries);
            Assert.Equal(threshold, l.CleanupThreshold);
            Assert.Equal(target, l.CleanupTarget);
            Assert.Equal(auto, l.AutoCleanup);
            Assert.Equal(streaming, l.EnableStreaming);
            Assert.Equal(chunk, l.StreamChunkSize);
            Assert.Empty(l.Validate());
            Assert.True(l.IsValid);
        }

        [Fact]
        public void Defaults_match_the_table()
        {
            foreach (ResourceLimits l in new[] { ResourceLimits.Default, ResourceLimits.Builder().Build(), ResourceLimits.FromPreset(LimitsPreset.Default) })
            {
                AssertValues(l, 100 * MiB, 10 * MiB, 1000, 0.8, 0.7, auto: true, streaming: false, chunk: MiB);
                Assert.Equal(83886080, l.CleanupThresholdBytes);   // floor(104857600 * 0.8)
                Assert.Equal(73400320, l.CleanupTargetBytes);      // floor(104857600 * 0.7)
                Assert.Equal(800, l.CleanupThresholdEntries);
                Assert.Equal(700, l.CleanupTargetEntries);
            }
        }

        [Theory]
        [InlineData(0.8, 0.7)]
        [InlineData(0.75, 0.65)]
        [InlineData(0.9, 0.8)]
        [InlineData(0.7, 0.6)]
        [InlineData(1.0, 0.9)]
        [InlineData(0.3, 0.2)]
        [InlineData(0.1, 0.0)]
        [InlineData(0.05, 0.0)]
        public void CleanupTarget_defaults_to_threshold_minus_a_tenth_not_below_zero(double threshold, double expectedTarget)
        {
            ResourceLimits l = ResourceLimits.Builder().CleanupThreshold(threshold).Build();
            Assert.Equal(expectedTarget, l.CleanupTarget);
            Assert.Empty(l.Validate());
        }

        [Fact]
        public void An_explicit_CleanupTarget_wins_whatever_the_order_of_calls()
        {
            Assert.Equal(0.25, ResourceLimits.Builder().CleanupTarget(0.25).CleanupThreshold(0.9).Build().CleanupTarget);
            Assert.Equal(0.25, ResourceLimits.Builder().CleanupThreshold(0.9).CleanupTarget(0.25).Build().CleanupTarget);
        }

        [Fact]
        public void Presets_have_the_exact_values_of_the_seed_profiles()
        {
            AssertValues(ResourceLimits.FromPreset(LimitsPreset.MemoryConstrained), 25 * MiB, 2 * MiB, 250, 0.7, 0.6, auto: true, streaming: false, chunk: MiB);
            AssertValues(ResourceLimits.FromPreset(LimitsPreset.HighThroughput), 500 * MiB, 50 * MiB, 5000, 0.9, 0.8, auto: false, streaming: false, chunk: MiB);
            AssertValues(ResourceLimits.FromPreset(LimitsPreset.Streaming), 100 * MiB, 10 * MiB, 1000, 0.8, 0.7, auto: true, streaming: true, chunk: 5 * MiB);
            AssertValues(ResourceLimits.FromPreset(LimitsPreset.Development), 1024 * MiB, 100 * MiB, 10000, 0.8, 0.7, auto: true, streaming: false, chunk: MiB);
            AssertValues(ResourceLimits.FromPreset(LimitsPreset.Default), 100 * MiB, 10 * MiB, 1000, 0.8, 0.7, auto: true, streaming: false, chunk: MiB);
        }

        [Fact]
        public void Builder_from_a_preset_starts_from_its_values()
        {
            ResourceLimits l = ResourceLimits.Builder(LimitsPreset.MemoryConstrained).MaxCacheEntries(42).Build();
            AssertValues(l, 25 * MiB, 2 * MiB, 42, 0.7, 0.6, auto: true, streaming: false, chunk: MiB);
        }

        [Fact]
        public void Unknown_preset_is_rejected()
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ResourceLimits.FromPreset((LimitsPreset)99));
            Assert.Contains("MemoryConstrained", ex.Message);
        }

        [Fact]
        public void ToBuilder_round_trips_every_value()
        {
            ResourceLimits original = Limits(state: 1234, value: 567, entries: 89, threshold: 0.6, target: 0.125, auto: false, streaming: true, chunk: 7);
            ResourceLimits copy = original.ToBuilder().Build();
            AssertValues(copy, 1234, 567, 89, 0.6, 0.125, auto: false, streaming: true, chunk: 7);
            ResourceLimits changed = original.ToBuilder().MaxStateSize(2000).Build();
            Assert.Equal(2000, changed.MaxStateSize);
            Assert.Equal(1234, original.MaxStateSize);
        }

        [Fact]
        public void Limits_are_immutable()
        {
            foreach (PropertyInfo p in typeof(ResourceLimits).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                Assert.True(p.SetMethod == null || !p.SetMethod.IsPublic, p.Name + " has a public setter");
            }

            Assert.DoesNotContain(typeof(ResourceLimits).GetFields(BindingFlags.Public | BindingFlags.Instance), f => !f.IsInitOnly);
        }

        [Theory]
        [InlineData(100, 0.8, 80)]
        [InlineData(10, 0.75, 7)]        // 7.5 floors to 7
        [InlineData(1000, 0.8555, 855)]  // 855.5 floors to 855
        [InlineData(3, 0.5, 1)]
        [InlineData(104857600, 0.8, 83886080)]
        [InlineData(268435456, 0.8, 214748364)]          // 214748364.8: a real fraction, not rounding noise
        [InlineData(1099511627776, 0.3, 329853488332)]   // 329853488332.8 at 1 TiB
        [InlineData(1, 1.0, 1)]
        public void CleanupThresholdBytes_is_the_floor_of_the_product(long state, double threshold, long expected)
        {
            ResourceLimits l = Limits(state: state, value: state, threshold: threshold, target: 0, chunk: 1);
            Assert.Equal(expected, l.CleanupThresholdBytes);
            Assert.True(l.ShouldCleanup(expected));
            Assert.False(l.ShouldCleanup(expected - 1));
        }

        [Fact]
        public void Exceeds_checks_are_strictly_greater()
        {
            ResourceLimits l = Limits(state: 100, value: 50, entries: 10);
            Assert.False(l.ExceedsStateLimit(100));
            Assert.True(l.ExceedsStateLimit(101));
            Assert.False(l.ExceedsStateLimit(0));
            Assert.False(l.ExceedsValueLimit(50));
            Assert.True(l.ExceedsValueLimit(51));
            Assert.False(l.ExceedsCacheLimit(10));
            Assert.True(l.ExceedsCacheLimit(11));
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void ShouldCleanup_is_at_or_above_the_threshold_bytes_whatever_AutoCleanup_says(bool auto)
        {
            ResourceLimits l = Limits(state: 100, threshold: 0.8, auto: auto);
            Assert.Equal(80, l.CleanupThresholdBytes);
            Assert.False(l.ShouldCleanup(79));
            Assert.True(l.ShouldCleanup(80));
            Assert.True(l.ShouldCleanup(100));
            Assert.True(l.ShouldCleanup(1000));
        }

        public static IEnumerable<object[]> SingleProblems()
        {
            // builder change, property named, value shown
            yield return new object[] { "MaxStateSize=0", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.MaxStateSize(0).MaxValueSize(0 + 1).StreamChunkSize(1)), new[] { "MaxStateSize", "0" }, 2 };
            yield return new object[] { "MaxStateSize=-5", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.MaxStateSize(-5)), new[] { "MaxStateSize", "-5" }, 2 };
            yield return new object[] { "MaxValueSize=0", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.MaxValueSize(0)), new[] { "MaxValueSize", "0" }, 1 };
            yield return new object[] { "MaxValueSize=-1", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.MaxValueSize(-1)), new[] { "MaxValueSize", "-1" }, 1 };
            yield return new object[] { "MaxValueSize>MaxStateSize", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.MaxStateSize(100).MaxValueSize(101).StreamChunkSize(10)), new[] { "MaxValueSize", "101", "MaxStateSize", "100" }, 1 };
            yield return new object[] { "MaxCacheEntries=0", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.MaxCacheEntries(0)), new[] { "MaxCacheEntries", "0" }, 1 };
            yield return new object[] { "MaxCacheEntries=-3", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.MaxCacheEntries(-3)), new[] { "MaxCacheEntries", "-3" }, 1 };
            yield return new object[] { "CleanupThreshold=0", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.CleanupThreshold(0).CleanupTarget(0)), new[] { "CleanupThreshold", "0" }, 1 };
            yield return new object[] { "CleanupThreshold=-0.5", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.CleanupThreshold(-0.5).CleanupTarget(0)), new[] { "CleanupThreshold", "-0.5" }, 1 };
            yield return new object[] { "CleanupThreshold=1.5", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.CleanupThreshold(1.5).CleanupTarget(0.5)), new[] { "CleanupThreshold", "1.5" }, 1 };
            yield return new object[] { "CleanupThreshold=NaN", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.CleanupThreshold(double.NaN).CleanupTarget(0.5)), new[] { "CleanupThreshold", "NaN" }, 1 };
            yield return new object[] { "CleanupTarget=-0.1", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.CleanupTarget(-0.1)), new[] { "CleanupTarget", "-0.1" }, 1 };
            yield return new object[] { "CleanupTarget=1", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.CleanupThreshold(1).CleanupTarget(1)), new[] { "CleanupTarget", "1" }, 1 };
            yield return new object[] { "CleanupTarget=NaN", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.CleanupTarget(double.NaN)), new[] { "CleanupTarget", "NaN" }, 1 };
            yield return new object[] { "CleanupTarget=threshold", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.CleanupThreshold(0.8).CleanupTarget(0.8)), new[] { "CleanupTarget", "0.8", "CleanupThreshold" }, 1 };
            yield return new object[] { "CleanupTarget>threshold", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.CleanupThreshold(0.5).CleanupTarget(0.75)), new[] { "CleanupTarget", "0.75", "CleanupThreshold", "0.5" }, 1 };
            yield return new object[] { "StreamChunkSize=0", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.StreamChunkSize(0)), new[] { "StreamChunkSize", "0" }, 1 };
            yield return new object[] { "StreamChunkSize=-7", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.StreamChunkSize(-7)), new[] { "StreamChunkSize", "-7" }, 1 };
            yield return new object[] { "StreamChunkSize>MaxValueSize", (Func<ResourceLimitsBuilder, ResourceLimitsBuilder>)(b => b.MaxValueSize(100).StreamChunkSize(101)), new[] { "StreamChunkSize", "101", "MaxValueSize", "100" }, 1 };
        }

        [Theory]
        [MemberData(nameof(SingleProblems))]
        public void Validate_names_the_property_and_the_value_of_each_problem(string name, Func<ResourceLimitsBuilder, ResourceLimitsBuilder> change, string[] mentions, int expectedProblems)
        {
            ResourceLimits l = change(ResourceLimits.Builder()).Build(); // Build never throws
            IReadOnlyList<string> problems = l.Validate();
            Assert.False(l.IsValid, name);
            Assert.Equal(expectedProblems, problems.Count);
            string first = problems[0];
            foreach (string m in mentions)
            {
                Assert.Contains(m, first);
            }

            Assert.EndsWith(".", first);

            var ex = Assert.Throws<ArgumentException>(() => new StateMonitor(l));
            Assert.Equal("limits", ex.ParamName);
            foreach (string p in problems)
            {
                Assert.Contains(p, ex.Message);
            }

            var fast = Assert.Throws<ArgumentException>(() => StateMonitor.CreateFast(l));
            foreach (string p in problems)
            {
                Assert.Contains(p, fast.Message);
            }
        }

        [Fact]
        public void A_non_positive_state_size_also_reports_the_value_size_above_it()
        {
            // MaxStateSize -5 with the default MaxValueSize: two problems, both named.
            IReadOnlyList<string> problems = ResourceLimits.Builder().MaxStateSize(-5).Build().Validate();
            Assert.Equal(2, problems.Count);
            Assert.Contains("MaxStateSize must be greater than 0, but is -5.", problems);
            Assert.Contains(problems, p => p.StartsWith("MaxValueSize (10485760) must not be greater than MaxStateSize (-5)", StringComparison.Ordinal));
        }

        [Fact]
        public void Validate_returns_every_problem_at_once()
        {
            ResourceLimits l = ResourceLimits.Builder()
                .MaxStateSize(-1)
                .MaxValueSize(0)
                .MaxCacheEntries(0)
                .CleanupThreshold(double.NaN)
                .CleanupTarget(2)
                .StreamChunkSize(0)
                .Build();
            IReadOnlyList<string> problems = l.Validate();
            Assert.Equal(6, problems.Count);
            string[] properties = { "MaxStateSize", "MaxValueSize", "MaxCacheEntries", "CleanupThreshold", "CleanupTarget", "StreamChunkSize" };
            for (int i = 0; i < properties.Length; i++)
            {
                Assert.StartsWith(properties[i], problems[i]);
            }

            Assert.Contains("-1", problems[0]);
            Assert.Contains("NaN", problems[3]);
            Assert.Contains("2", problems[4]);

            var ex = Assert.Throws<ArgumentException>(() => new StateMonitor(l, "m"));
            foreach (string p in problems)
            {
                Assert.Contains(p, ex.Message);
            }
        }

        [Fact]
        public void Monitor_refuses_null_limits()
        {
            Assert.Throws<ArgumentNullException>(() => new StateMonitor((ResourceLimits)null!));
            Assert.Throws<ArgumentNullException>(() => StateMonitor.CreateFast(null!));
        }

        [Fact]
        public void ToString_reads_well()
        {
            Assert.Equal("State 100 MB, value 10 MB, 1000 entries, cleanup at 80 % to 70 % (automatic)", ResourceLimits.Default.ToString());
            Assert.Equal(
                "State 100 MB, value 10 MB, 1000 entries, cleanup at 80 % to 70 % (automatic), streaming in 5 MB chunks",
                ResourceLimits.FromPreset(LimitsPreset.Streaming).ToString());
            Assert.EndsWith("(manual)", ResourceLimits.FromPreset(LimitsPreset.HighThroughput).ToString());
        }

        [Fact]
        public void Entry_thresholds_follow_the_fractions()
        {
            ResourceLimits l = Limits(entries: 10, threshold: 0.75, target: 0.25);
            Assert.Equal(8, l.CleanupThresholdEntries);  // 7.5 entries: at or above means 8
            Assert.Equal(2, l.CleanupTargetEntries);     // 2.5 entries: at or below means 2
        }
    
        [Theory]
        [InlineData(9223372036854775808.0, long.MaxValue)] // 2^63: a plain cast gives long.MinValue on .NET Framework
        [InlineData(1e300, long.MaxValue)]
        [InlineData(9223372036854774784.0, 9223372036854774784)] // the largest double below 2^63 is kept
        [InlineData(-1.0, 0)]
        [InlineData(double.NaN, 0)]
        [InlineData(12.0, 12)]
        public void The_long_conversion_caps_at_long_MaxValue_and_never_goes_negative(double product, long expected)
        {
            Assert.Equal(expected, ResourceLimits.Clamp(product));
        }

        [Theory]
        [InlineData(100, 0.07, 7, 7)]      // 0.07 × 100 is 7.000000000000001 in binary floating point
        [InlineData(1000, 0.7, 700, 700)]
        [InlineData(250, 0.7, 175, 175)]
        [InlineData(10, 0.29, 3, 2)]       // 2.9: not whole, so ceiling 3 and floor 2
        [InlineData(100, 0.29, 29, 29)]    // 28.999999999999996 in binary floating point: noise below a whole number
        public void Whole_products_are_not_pushed_off_by_rounding_noise(long entries, double fraction, long thresholdEntries, long targetEntries)
        {
            ResourceLimits l = Limits(entries: entries, threshold: fraction, target: fraction / 2);
            Assert.Equal(thresholdEntries, l.CleanupThresholdEntries);
            Assert.Equal(targetEntries, ResourceLimits.Builder().MaxCacheEntries(entries).CleanupThreshold(1).CleanupTarget(fraction).Build().CleanupTargetEntries);
        }

        [Theory]
        [InlineData(1.5)]
        [InlineData(double.NaN)]
        [InlineData(-0.2)]
        public void An_invalid_threshold_is_reported_once_not_again_through_its_default_target(double threshold)
        {
            IReadOnlyList<string> problems = ResourceLimits.Builder().CleanupThreshold(threshold).Build().Validate();
            string problem = Assert.Single(problems);
            Assert.StartsWith("CleanupThreshold must be", problem, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(100 * 1024, 100 * 1024, 100 * 1024)]          // 100 KiB state: the value limit and chunk shrink to it
        [InlineData(5 * MiB, 5 * MiB, MiB)]                        // 5 MiB state: value 5 MiB, chunk still 1 MiB
        [InlineData(512 * 1024, 512 * 1024, 512 * 1024)]
        [InlineData(100 * MiB, 10 * MiB, MiB)]                     // the documented defaults
        public void Unset_value_limit_and_chunk_shrink_to_fit_a_small_state(long state, long expectedValue, long expectedChunk)
        {
            ResourceLimits l = ResourceLimits.Builder().MaxStateSize(state).Build();
            Assert.Equal(expectedValue, l.MaxValueSize);
            Assert.Equal(expectedChunk, l.StreamChunkSize);
            Assert.Empty(l.Validate());
        }

        [Fact]
        public void A_chunk_shrinks_to_an_explicit_small_value_limit_but_explicit_values_are_kept_as_given()
        {
            Assert.Equal(64 * 1024, ResourceLimits.Builder().MaxValueSize(64 * 1024).Build().StreamChunkSize);

            ResourceLimits explicitBad = ResourceLimits.Builder().MaxStateSize(100 * 1024).MaxValueSize(10 * MiB).StreamChunkSize(MiB).Build();
            Assert.Equal(10 * MiB, explicitBad.MaxValueSize);
            Assert.Equal(new[] { "MaxValueSize (10485760) must not be greater than MaxStateSize (102400)." }, explicitBad.Validate());
        }
}
}
