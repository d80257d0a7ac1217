using System;
using System.Collections.Generic;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// <see cref="StoreState.Validate"/> rule by rule: every counter that must not be negative, every total that must be
    /// the entries' sum, the limits at exactly their value, and the exception a restore throws.
    /// </summary>
    public class StoreStateTests
    {
        private static readonly ResourceLimits Streaming = Limits(state: 100, value: 50, entries: 3, streaming: true, chunk: 10);

        private static StoreState State(StoreCounters counters, IReadOnlyList<StoreEntry>? entries = null, IReadOnlyList<ResourceAlert>? alerts = null, long dropped = 0, AlertTypeCounts? raised = null) =>
            new StoreState(entries ?? Array.Empty<StoreEntry>(), counters, default, alerts ?? Array.Empty<ResourceAlert>(), dropped, raised);

        [Fact]
        public void Every_negative_counter_is_named_in_declaration_order()
        {
            var counters = new StoreCounters
            {
                CurrentSize = -1,
                ValueCount = -2,
                PeakSize = -3,
                PinnedSize = -4,
                PinnedCount = -5,
                StreamedCount = -6,
                StreamedBytes = -7,
                TotalEvictions = -8,
                EvictedBytes = -9,
                RejectedAllocations = -10,
                RecordedAllocations = -11,
            };
            var raised = new AlertTypeCounts(new long[] { 0, -12, 0, -13, 0 });
            StoreState state = State(counters, dropped: -14, raised: raised);

            Assert.Equal(
                new[]
                {
                    "CurrentSize is negative (-1).",
                    "ValueCount is negative (-2).",
                    "PeakSize is negative (-3).",
                    "PinnedSize is negative (-4).",
                    "PinnedCount is negative (-5).",
                    "StreamedCount is negative (-6).",
                    "StreamedBytes is negative (-7).",
                    "TotalEvictions is negative (-8).",
                    "EvictedBytes is negative (-9).",
                    "RejectedAllocations is negative (-10).",
                    "RecordedAllocations is negative (-11).",
                    "AlertsDropped is negative (-14).",
                    "AlertsRaised.LimitExceeded is negative (-12).",
                    "AlertsRaised.CleanupFailed is negative (-13).",
                    "PeakSize -3 is below CurrentSize -1.",
                    "A store without per-key data holds no pinned entries.",
                },
                state.Validate(Streaming, 10, StoreCapabilities.Snapshots));
        }

        [Fact]
        public void Usage_at_exactly_the_limits_and_a_zero_size_entry_are_consistent()
        {
            var entries = new[] { new StoreEntry("a", 50, false), new StoreEntry("b", 50, true), new StoreEntry("empty", 0, false) };
            var counters = new StoreCounters { CurrentSize = 100, ValueCount = 3, PeakSize = 100, PinnedSize = 50, PinnedCount = 1 };
            Assert.Empty(State(counters, entries).Validate(Streaming, 10, StoreCapabilities.Detailed | StoreCapabilities.Snapshots));
            Assert.Empty(State(new StoreCounters { CurrentSize = 100, ValueCount = 3, PeakSize = 100 }).Validate(Streaming, 10, StoreCapabilities.Snapshots));
        }

        [Fact]
        public void Pinned_and_streamed_totals_must_be_the_entries_sums()
        {
            // "s" is streamed: 70 bytes, charged one chunk of 10; "p" is pinned.
            var entries = new[] { new StoreEntry("p", 20, true), new StoreEntry("s", 70, false) };
            var counters = new StoreCounters { CurrentSize = 30, ValueCount = 2, PeakSize = 30, PinnedSize = 21, PinnedCount = 1, StreamedCount = 2, StreamedBytes = 71 };
            Assert.Equal(
                new[]
                {
                    "PinnedSize is 21, but the entries add up to 20.",
                    "StreamedCount is 2, but the entries add up to 1.",
                    "StreamedBytes is 71, but the entries add up to 70.",
                },
                State(counters, entries).Validate(Streaming, 10, StoreCapabilities.Detailed));
        }

        [Fact]
        public void A_store_without_entries_refuses_a_pinned_count_or_a_pinned_size_alone()
        {
            Assert.Equal(
                new[] { "A store without per-key data holds no pinned entries." },
                State(new StoreCounters { PinnedCount = 1 }).Validate(Streaming, 10, StoreCapabilities.Snapshots));
            Assert.Equal(
                new[] { "A store without per-key data holds no pinned entries." },
                State(new StoreCounters { PinnedSize = 1 }).Validate(Streaming, 10, StoreCapabilities.Snapshots));
        }

        [Fact]
        public void A_missing_alert_is_named_by_its_position()
        {
            var alert = new CleanupFailedAlert("m", DateTime.UtcNow, "x");
            StoreState state = State(default, alerts: new ResourceAlert[] { alert, null!, alert, null! });
            Assert.Equal(new[] { "Alert 1 is missing.", "Alert 3 is missing." }, state.Validate(Streaming, 10, StoreCapabilities.Snapshots));
        }

        [Fact]
        public void EnsureValid_checks_the_keys_and_throws_every_problem_in_one_message()
        {
            // The totals are the sums of both entries, so only the key check can find the repeated key.
            var entries = new[] { new StoreEntry("a", 10, false), new StoreEntry("a", 10, false) };
            StoreState state = State(new StoreCounters { CurrentSize = 20, ValueCount = 2, PeakSize = 20 }, entries);
            var ex = Assert.Throws<InconsistentStateException>(() => state.EnsureValid(Streaming, 10, StoreCapabilities.Detailed));
            Assert.Equal("state", ex.ParamName);
            Assert.Equal(new[] { "The key 'a' is listed more than once.", "CurrentSize is 20, but the entries add up to 10.", "ValueCount is 2, but the entries add up to 1." }, ex.Problems);
            Assert.Equal(
                "The state cannot be restored: The key 'a' is listed more than once. CurrentSize is 20, but the entries add up to 10. ValueCount is 2, but the entries add up to 1. (Parameter 'state')",
                ex.Message);
        }

        [Fact]
        public void Validate_without_limits_throws()
        {
            var ex = Assert.Throws<ArgumentNullException>(() => State(default).Validate(null!, 10, StoreCapabilities.Snapshots));
            Assert.Equal("limits", ex.ParamName);
        }
    }
}
