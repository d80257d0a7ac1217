using System;
using System.Collections.Generic;
using System.Linq;
using AgentFlow.Resources;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>The bounded alert FIFO directly: order, the oldest dropped and counted, growth, typed drains, restore.</summary>
    public class AlertQueueTests
    {
        private static readonly DateTime At = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        // Alerts told apart by their Freed value.
        private static ResourceAlert Numbered(int n) => new CleanupTriggeredAlert("q", At, n, 1, automatic: false);

        private static ResourceAlert Limit(int n) => new LimitExceededAlert("q", At, LimitedResource.StateSize, n, 100, "k" + n);

        private static string Show(IEnumerable<ResourceAlert> alerts) => string.Join(",", alerts.Select(a => a switch
        {
            CleanupTriggeredAlert c => "c" + c.Freed,
            LimitExceededAlert l => "l" + l.Current,
            _ => "?",
        }));

        [Fact]
        public void The_bound_must_be_at_least_one_and_the_name_given()
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AlertQueue(0, "q"));
            Assert.Equal("capacity", e.ParamName);
            Assert.StartsWith("The alert queue must hold at least 1 alert.", e.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentNullException>(() => new AlertQueue(1, null!));
            Assert.Throws<ArgumentNullException>(() => new AlertQueue(1, "q").Enqueue(null!));
            Assert.Equal(1, new AlertQueue(1, "q").Capacity);
        }

        [Fact]
        public void A_queue_of_one_keeps_the_newest_alert_and_counts_every_drop()
        {
            var q = new AlertQueue(1, "q");
            for (int i = 1; i <= 5; i++)
            {
                q.Enqueue(Numbered(i));
                Assert.Equal(1, q.Count);
                Assert.Equal("c" + i, Show(q.Peek()));
            }

            Assert.Equal(4, q.Dropped);
            Assert.Equal("c5", Show(q.Drain()));
            Assert.Equal(0, q.Count);
            Assert.Equal(4, q.Dropped);
        }

        [Fact]
        public void The_ring_grows_to_its_bound_keeping_order_then_drops_the_oldest()
        {
            var q = new AlertQueue(6, "q");
            for (int i = 1; i <= 6; i++)
            {
                q.Enqueue(Numbered(i));
            }

            Assert.Equal(0, q.Dropped);
            Assert.Equal(6, q.Count);
            Assert.Equal("c1,c2,c3,c4,c5,c6", Show(q.Peek()));

            // Full: each new alert drops the oldest, and the ring wraps around.
            for (int i = 7; i <= 15; i++)
            {
                q.Enqueue(Numbered(i));
            }

            Assert.Equal(9, q.Dropped);
            Assert.Equal(6, q.Count);
            Assert.Equal("c10,c11,c12,c13,c14,c15", Show(q.Peek()));
            Assert.Equal("c10,c11,c12,c13,c14,c15", Show(q.Drain()));
            Assert.Empty(q.Peek());

            // After a drain the ring starts again from its first slot.
            q.Enqueue(Numbered(16));
            q.Enqueue(Numbered(17));
            Assert.Equal("c16,c17", Show(q.Peek()));
        }

        [Fact]
        public void Growth_past_the_initial_ring_keeps_every_alert_in_order()
        {
            var q = new AlertQueue(100, "q");
            for (int i = 1; i <= 37; i++)
            {
                q.Enqueue(Numbered(i));
            }

            Assert.Equal(37, q.Count);
            Assert.Equal(0, q.Dropped);
            Assert.Equal(string.Join(",", Enumerable.Range(1, 37).Select(i => "c" + i)), Show(q.Drain()));
        }

        [Fact]
        public void A_typed_drain_takes_those_types_in_order_and_keeps_the_rest_in_order()
        {
            var q = new AlertQueue(5, "q");
            q.Enqueue(Numbered(1));
            q.Enqueue(Limit(2));
            q.Enqueue(Numbered(3));
            q.Enqueue(Limit(4));
            q.Enqueue(Numbered(5));
            q.Enqueue(Limit(6)); // drops c1: the ring has wrapped
            q.Enqueue(Numbered(7)); // drops l2

            Assert.Equal(2, q.Dropped);
            Assert.Equal("l4,l6", Show(q.Drain(new[] { AlertType.LimitExceeded })));
            Assert.Equal(3, q.Count);
            Assert.Equal("c3,c5,c7", Show(q.Peek()));

            // The kept alerts are queued as before: new ones go after them, and the bound still holds.
            q.Enqueue(Limit(8));
            q.Enqueue(Limit(9));
            q.Enqueue(Limit(10));
            Assert.Equal(3, q.Dropped);
            Assert.Equal("c5,c7,l8,l9,l10", Show(q.Peek()));
            Assert.Empty(q.Drain(new[] { AlertType.ApproachingLimit }));
            Assert.Equal("c5,c7", Show(q.Drain(new[] { AlertType.CleanupTriggered, AlertType.CleanupFailed })));
            Assert.Equal("l8,l9,l10", Show(q.Drain()));
        }

        [Fact]
        public void A_cleanup_alert_queued_as_values_becomes_one_object_with_those_values()
        {
            var q = new AlertQueue(3, "watched");
            q.EnqueueCleanupTriggered(At, freed: 1234, removed: 7, automatic: true);
            q.EnqueueCleanupTriggered(At.AddSeconds(1), freed: 5, removed: 1, automatic: false);

            IReadOnlyList<ResourceAlert> first = q.Peek();
            var a = Assert.IsType<CleanupTriggeredAlert>(first[0]);
            Assert.Equal("watched", a.MonitorName);
            Assert.Equal(At, a.Timestamp);
            Assert.Equal(1234, a.Freed);
            Assert.Equal(7, a.EntriesRemoved);
            Assert.True(a.Automatic);
            var b = Assert.IsType<CleanupTriggeredAlert>(first[1]);
            Assert.Equal(At.AddSeconds(1), b.Timestamp);
            Assert.Equal(5, b.Freed);
            Assert.Equal(1, b.EntriesRemoved);
            Assert.False(b.Automatic);

            // Read again (by a peek, a typed drain that keeps it, a drain): the same objects.
            Assert.Same(a, q.Peek()[0]);
            Assert.Empty(q.Drain(new[] { AlertType.LimitExceeded }));
            IReadOnlyList<ResourceAlert> drained = q.Drain();
            Assert.Same(a, drained[0]);
            Assert.Same(b, drained[1]);
        }

        [Fact]
        public void Clear_keeps_the_drop_count_and_reset_zeroes_it()
        {
            var q = new AlertQueue(2, "q");
            for (int i = 1; i <= 5; i++)
            {
                q.Enqueue(Numbered(i));
            }

            q.Clear();
            Assert.Equal(0, q.Count);
            Assert.Equal(3, q.Dropped);
            q.Enqueue(Numbered(6));
            Assert.Equal("c6", Show(q.Peek()));

            q.Reset();
            Assert.Equal(0, q.Count);
            Assert.Equal(0, q.Dropped);
            Assert.Empty(q.Drain());
        }

        [Fact]
        public void Restore_replaces_the_content_and_the_drop_count()
        {
            var q = new AlertQueue(3, "q");
            q.Enqueue(Numbered(1));
            q.Enqueue(Numbered(2));
            q.Restore(new[] { Limit(10), Numbered(11) }, dropped: 42);
            Assert.Equal(2, q.Count);
            Assert.Equal(42, q.Dropped);
            Assert.Equal("l10,c11", Show(q.Peek()));

            // More restored alerts than the bound: the newest stay, and the count restored is the one given.
            q.Restore(new[] { Numbered(1), Numbered(2), Numbered(3), Numbered(4) }, dropped: 7);
            Assert.Equal("c2,c3,c4", Show(q.Peek()));
            Assert.Equal(7, q.Dropped);
        }
    }
}
