using System;
using AgentFlow.Resources;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>What an operation notes for its event handlers: only what someone will see, in order, never a null.</summary>
    public class OperationEventsTests
    {
        private static readonly ResourceAlert Alert = new CleanupFailedAlert("m", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), "x");
        private static readonly AllocationEntry Entry = new AllocationEntry("m", "k", 5, 5, false, false);

        [Fact]
        public void Events_that_record_nothing_note_nothing()
        {
            var events = new OperationEvents(recordEvictions: false, recordAlerts: false);
            events.Add(Alert);
            events.AddEviction(Entry, EvictionReason.Manual);
            Assert.Empty(events.Alerts);
            Assert.Empty(events.Evictions);
        }

        [Fact]
        public void Each_kind_is_noted_only_when_it_is_recorded()
        {
            var alertsOnly = new OperationEvents(recordEvictions: false, recordAlerts: true);
            alertsOnly.Add(Alert);
            alertsOnly.AddEviction(Entry, EvictionReason.Manual);
            Assert.Same(Alert, Assert.Single(alertsOnly.Alerts));
            Assert.Empty(alertsOnly.Evictions);

            var evictionsOnly = new OperationEvents(recordEvictions: true, recordAlerts: false);
            evictionsOnly.Add(Alert);
            evictionsOnly.AddEviction(Entry, EvictionReason.Threshold);
            Assert.Empty(evictionsOnly.Alerts);
            EvictedEventArgs evicted = Assert.Single(evictionsOnly.Evictions);
            Assert.Same(Entry, evicted.Entry);
            Assert.Equal(EvictionReason.Threshold, evicted.Reason);
        }

        [Fact]
        public void A_null_alert_or_entry_is_refused_even_when_nothing_is_recorded()
        {
            var events = default(OperationEvents);
            Assert.Equal("alert", Assert.Throws<ArgumentNullException>(() => events.Add(null!)).ParamName);
            Assert.Equal("entry", Assert.Throws<ArgumentNullException>(() => events.AddEviction(null!, EvictionReason.Manual)).ParamName);
        }
    }
}
