using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>The snapshot file format: exact round trips, the checksum, and one clear problem for each kind of bad file.</summary>
    public class SnapshotFormatTests
    {
        private const string Header = "{\"format\":\"AgentFlow.Resources.StateSnapshot\",\"version\":1,\"state\":";

        /// <summary>A detailed monitor with pins, a streamed entry, all four alert types and raised edge triggers.</summary>
        private static StateMonitor BusyMonitor(string name = "busy")
        {
            StateMonitor m = Monitor(state: 100, value: 30, entries: 8, threshold: 0.8, target: 0.5, auto: false, streaming: true, chunk: 5, name: name);
            m.Allocate("pinned", 20, pin: true);
            m.RecordAllocation("a", 10);
            m.RecordAllocation("stream", 40);
            m.RecordAllocation("b", 25);
            m.RecordAllocation("c", 25);      // 85: ApproachingLimit
            m.RecordAllocation("huge", 30);   // 115 > 100: LimitExceeded
            m.RecordAccess("a");
            m.Cleanup(0.7);                   // evicts stream and b: CleanupTriggered
            m.Allocate("stream2", 40, pin: true);
            m.Pin("c");
            m.Pin("a");
            m.Cleanup(0.1);                   // everything pinned: CleanupFailed
            m.Unpin("c");
            m.RecordAllocation("d", 2);
            m.RecordAllocation("e", 20);      // 82: ApproachingLimit again, trigger raised
            Assert.Equal("pinned=20!, c=25, a=10!, stream2=40/5!~, d=2, e=20", Describe(m));
            Assert.True(m.ExportState().Triggers.StateAtThreshold);
            return m;
        }

        private static byte[] Write(StateMonitor monitor)
        {
            using (var stream = new MemoryStream())
            {
                SnapshotWriter.Write(StateSnapshot.Capture(monitor), stream);
                return stream.ToArray();
            }
        }

        private static StateSnapshot Read(byte[] bytes, int blockSize = int.MaxValue)
        {
            using (var stream = new TrickleStream(bytes, blockSize))
            {
                return SnapshotReader.Read(stream, "test.json");
            }
        }

        private static StateMonitor RoundTrip(StateMonitor monitor, int blockSize = int.MaxValue) => Read(Write(monitor), blockSize).Restore();

        [Fact]
        public void A_detailed_monitor_comes_back_exactly_with_entries_pins_counters_alerts_and_triggers()
        {
            StateMonitor m = BusyMonitor();
            Assert.Equal(new[] { AlertType.ApproachingLimit, AlertType.LimitExceeded, AlertType.CleanupTriggered, AlertType.CleanupFailed }, Types(m.PeekAlerts()).Distinct().OrderBy(t => t));
            StateMonitor copy = RoundTrip(m);
            Assert.Equal(Fingerprint(m), Fingerprint(copy));
            Assert.Equal("busy", copy.Name);
            Assert.Equal(m.Limits.ToString(), copy.Limits.ToString());
            Assert.Equal(m.MaxAlerts, copy.MaxAlerts);
            Assert.False(copy.IsFast);
            AssertSameState(m.ExportState(), copy.ExportState());
        }

        [Theory]
        [InlineData(1)]
        [InlineData(7)]
        [InlineData(4096)]
        public void A_stream_that_arrives_in_small_blocks_reads_the_same(int blockSize)
        {
            StateMonitor m = BusyMonitor();
            Assert.Equal(Fingerprint(m), Fingerprint(RoundTrip(m, blockSize)));
        }

        [Fact]
        public void The_next_eviction_and_the_next_alert_are_the_ones_the_original_would_have_made()
        {
            StateMonitor m = Monitor(state: 100, value: 50, entries: 10, threshold: 0.8, target: 0.5, auto: true, name: "next");
            m.Allocate("keep", 10, pin: true);
            m.RecordAllocation("old", 20);
            m.RecordAllocation("mid", 20);
            m.RecordAllocation("new", 20);
            m.RecordAccess("old");
            m.ClearAlerts();
            StateMonitor copy = RoundTrip(m);
            var evictedOriginal = RecordEvictions(m);
            var evictedCopy = RecordEvictions(copy);

            m.RecordAllocation("next", 15);
            copy.RecordAllocation("next", 15);

            Assert.Equal(new[] { "mid:Threshold", "new:Threshold" }, evictedOriginal);
            Assert.Equal(evictedOriginal, evictedCopy);
            Assert.Equal(m.PeekAlerts().Select(a => a.Message), copy.PeekAlerts().Select(a => a.Message));
            Assert.Equal(Fingerprint(m), Fingerprint(copy));
        }

        [Fact]
        public void An_ApproachingLimit_already_raised_is_not_raised_again()
        {
            StateMonitor m = Monitor(state: 100, value: 50, threshold: 0.8, auto: false);
            m.RecordAllocation("a", 45);
            m.RecordAllocation("b", 40);
            Assert.Single(m.GetAlerts(AlertType.ApproachingLimit));
            StateMonitor copy = RoundTrip(m);
            copy.RecordAllocation("c", 5);
            Assert.Empty(copy.GetAlerts(AlertType.ApproachingLimit));
        }

        [Fact]
        public void A_fast_monitor_keeps_its_counters_only()
        {
            StateMonitor m = StateMonitor.CreateFast(Limits(state: 100, value: 50, entries: 10), "fast");
            m.RecordAllocation("a", 30);
            m.RecordAllocation("b", 30);
            m.RecordAllocation("c", 60);
            string text = Encoding.UTF8.GetString(Write(m));
            Assert.Contains("\"store\":\"Counters\"", text);
            Assert.Contains("\"entries\":[]", text);
            StateMonitor copy = RoundTrip(m);
            Assert.True(copy.IsFast);
            Assert.Equal(Fingerprint(m), Fingerprint(copy));
            Assert.Equal(60, copy.CurrentSize);
            Assert.Equal(1, copy.GetStats().RejectedAllocations);
        }

        [Fact]
        public void The_usage_history_the_prediction_and_the_alert_counts_come_back_so_the_next_prediction_and_cleanup_are_the_same()
        {
            var clock = new ManualClock(HistoryTests.T0);
            ResourceLimits limits = ResourceLimits.Builder().MaxStateSize(1000).MaxValueSize(1000).MaxCacheEntries(100).CleanupThreshold(0.8).CleanupTarget(0.5)
                .PredictionHorizon(TimeSpan.FromSeconds(10)).PredictiveCleanup(true).Build();
            StateMonitor m = HistoryTests.Watched(clock, limits, length: 20);
            for (int t = 0; t <= 7; t++)
            {
                clock.Set(HistoryTests.T0.AddSeconds(t));
                m.RecordAllocation("k" + t, 50); // 50 B/s: exhaustion predicted from 6 s on, predictive cleanup to 500 B
            }

            Assert.Equal(1, m.GetStats().AlertsRaised.PredictedExhaustion);
            Assert.Contains(m.PeekAlerts(), a => a is PredictedExhaustionAlert);

            StateMonitor copy = Read(Write(m)).Restore(null, clock);
            Assert.Equal(m.Limits, copy.Limits);
            Assert.Equal(TimeSpan.FromSeconds(10), copy.Limits.PredictionHorizon);
            Assert.True(copy.Limits.PredictiveCleanup);
            Assert.Equal(TimeSpan.FromSeconds(1), copy.History.Interval);
            Assert.Equal(20, copy.History.Length);
            Assert.Equal(m.GetStats().AlertsRaised.ToString(), copy.GetStats().AlertsRaised.ToString());
            Assert.Equal(Samples(m), Samples(copy));
            Assert.Equal(m.GetForecast().GrowthRate, copy.GetForecast().GrowthRate);
            Assert.Equal(m.GetForecast().TimeToThreshold, copy.GetForecast().TimeToThreshold);
            AssertSameState(m.ExportState(), copy.ExportState());

            var evictedOriginal = RecordEvictions(m);
            var evictedCopy = RecordEvictions(copy);
            m.GetAlerts();
            copy.GetAlerts();
            for (int t = 8; t <= 14; t++)
            {
                clock.Set(HistoryTests.T0.AddSeconds(t));
                m.RecordAllocation("k" + t, 50);
                copy.RecordAllocation("k" + t, 50);
            }

            Assert.NotEmpty(evictedOriginal);
            Assert.Equal(evictedOriginal, evictedCopy);
            Assert.Equal(m.GetAlerts().Select(a => a.Message), copy.GetAlerts().Select(a => a.Message));
            Assert.Equal(m.GetStats().AlertsRaised.ToString(), copy.GetStats().AlertsRaised.ToString());
            Assert.Equal(Samples(m), Samples(copy));
            Assert.Equal(Fingerprint(m), Fingerprint(copy));
        }

        [Fact]
        public void History_settings_of_a_monitor_that_keeps_no_history_come_back()
        {
            var clock = new ManualClock(HistoryTests.T0);
            StateMonitor m = HistoryTests.Watched(clock, Limits(state: 100, value: 50, entries: 10), length: 0, intervalSeconds: 5);
            m.RecordAllocation("a", 10);
            StateMonitor copy = Read(Write(m)).Restore();
            Assert.Equal(TimeSpan.FromSeconds(5), copy.History.Interval);
            Assert.Equal(0, copy.History.Length);
            Assert.Empty(copy.GetHistory());
        }

        [Theory]
        [InlineData("\"interval\":\"00:00:01\"", "\"interval\":\"00:00:00\"", "at least 1 millisecond")]
        [InlineData("\"length\":3", "\"length\":2", "more than its length of 2 keeps (1)")]
        [InlineData("\"size\":100,\"count\":1", "\"size\":-100,\"count\":1", "History sample 0 has a negative size or count.")]
        [InlineData("\"timestamp\":\"2026-01-01T00:00:01Z\"", "\"timestamp\":\"2026-01-01T00:00:00Z\"", "History sample 0 (2026-01-01T00:00:00.0000000Z) is not older than the one after it.")]
        [InlineData("\"openInterval\":\"2026-01-01T00:00:02Z\"", "\"openInterval\":null", "A history with closed samples must also have an open interval")]
        public void An_inconsistent_history_is_named(string find, string replace, string detail)
        {
            var clock = new ManualClock(HistoryTests.T0);
            StateMonitor m = HistoryTests.Watched(clock, Limits(state: 1000, value: 500, entries: 10), length: 3);
            for (int t = 0; t <= 2; t++)
            {
                clock.Set(HistoryTests.T0.AddSeconds(t));
                m.RecordAllocation("k" + t, 100);
            }

            string state = StateOf(m);
            Assert.Contains(find, state);
            StateSnapshot snapshot = Read(WithState(ReplaceFirst(state, find, replace)));
            var ex = Assert.Throws<InvalidSnapshotException>(() => snapshot.Restore());
            Assert.Equal(SnapshotProblem.InconsistentState, ex.Problem);
            Assert.Contains(detail, ex.Message);
        }

        [Fact]
        public void Restoring_under_another_name_gives_the_queued_alerts_that_name()
        {
            StateMonitor copy = Read(Write(BusyMonitor())).Restore("renamed");
            Assert.Equal("renamed", copy.Name);
            Assert.All(copy.PeekAlerts(), a => Assert.Equal("renamed", a.MonitorName));
            Assert.Equal(BusyMonitor().PeekAlerts().Count, copy.PeekAlerts().Count);
        }

        [Fact]
        public void The_file_states_its_format_and_version_and_the_SHA256_of_the_state_bytes()
        {
            string text = Encoding.UTF8.GetString(Write(BusyMonitor()));
            Assert.StartsWith(Header, text);
            int checksumAt = text.LastIndexOf(",\"sha256\":\"", StringComparison.Ordinal);
            string state = text.Substring(Header.Length, checksumAt - Header.Length);
            string stated = text.Substring(checksumAt + 11, 64);
            Assert.Equal(Sha256(state), stated);
            Assert.EndsWith(stated + "\"}", text);
        }

        [Fact]
        public void A_key_longer_than_the_read_buffer_and_keys_with_any_characters_come_back()
        {
            StateMonitor m = Monitor(state: 1000, value: 100, entries: 10, name: "keys");
            string longKey = new string('k', 200_000);
            string[] keys = { longKey, "C:\\temp\\a \"quoted\" file.txt", "é/ü/日本/🚀", "tab\tnew\nline", "<html>&+'" };
            foreach (string key in keys)
            {
                m.RecordAllocation(key, 7);
            }

            StateMonitor copy = RoundTrip(m);
            Assert.Equal(keys, Keys(copy));
            Assert.Equal(Fingerprint(m), Fingerprint(copy));
        }

        [Fact]
        public void An_empty_file_is_truncated()
        {
            AssertProblem(Array.Empty<byte>(), SnapshotProblem.Truncated, "the file is empty.");
        }

        [Fact]
        public void Every_cut_of_a_snapshot_is_a_truncated_file()
        {
            byte[] whole = Write(BusyMonitor());
            for (int length = 1; length < whole.Length; length++)
            {
                byte[] cut = whole.Take(length).ToArray();
                var ex = Assert.Throws<InvalidSnapshotException>(() => Read(cut, 97));
                Assert.True(ex.Problem == SnapshotProblem.Truncated, $"A cut at {length} bytes gave {ex.Problem}: {ex.Message}");
                Assert.Contains("before the snapshot is complete", ex.Message);
            }
        }

        [Theory]
        [InlineData("hello")]
        [InlineData("{\"format\": nope}")]
        [InlineData("\u0000\u0001binary")]
        [InlineData("<?xml version=\"1.0\"?><Objs/>")]
        public void Text_that_is_not_JSON_says_so(string text)
        {
            AssertProblem(Encoding.UTF8.GetBytes(text), SnapshotProblem.NotJson, "it is not valid JSON: ");
        }

        [Fact]
        public void Content_after_the_snapshot_is_not_JSON()
        {
            byte[] bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Write(BusyMonitor())) + " {}");
            AssertProblem(bytes, SnapshotProblem.NotJson, "more follows the snapshot's closing '}'");
        }

        [Fact]
        public void A_changed_byte_is_a_checksum_mismatch()
        {
            string text = Encoding.UTF8.GetString(Write(BusyMonitor()));
            string changed = text.Replace("\"key\":\"a\",\"size\":10", "\"key\":\"a\",\"size\":11");
            Assert.NotEqual(text, changed);
            AssertProblem(Encoding.UTF8.GetBytes(changed), SnapshotProblem.ChecksumMismatch, "the checksum does not match the content");
        }

        [Theory]
        [InlineData("[1,2,3]", "this JSON begins with an array")]
        [InlineData("{\"name\":\"x\"}", "it does not begin with \"format\": \"AgentFlow.Resources.StateSnapshot\"")]
        [InlineData("{\"format\":\"Other.Format\",\"version\":1}", "its format is 'Other.Format', not 'AgentFlow.Resources.StateSnapshot'")]
        [InlineData("{\"format\":\"AgentFlow.Resources.StateSnapshot\",\"version\":0}", "\"version\" must be a whole number from 1")]
        public void Other_JSON_is_an_unknown_format(string text, string detail)
        {
            AssertProblem(Encoding.UTF8.GetBytes(text), SnapshotProblem.UnknownFormat, detail);
        }

        [Fact]
        public void A_newer_version_asks_for_a_newer_module()
        {
            string text = Encoding.UTF8.GetString(Write(BusyMonitor())).Replace("\"version\":1,", "\"version\":2,");
            AssertProblem(Encoding.UTF8.GetBytes(text), SnapshotProblem.NewerVersion, "it is format version 2, newer than this module reads (versions 1 to 1)");
        }

        [Fact]
        public void Invalid_limits_are_listed()
        {
            string state = StateOf(BusyMonitor()).Replace("\"maxValueSize\":30", "\"maxValueSize\":300").Replace("\"cleanupThreshold\":0.8", "\"cleanupThreshold\":1.5");
            AssertProblem(WithState(state), SnapshotProblem.InvalidLimits,
                "its limits are invalid: MaxValueSize (300) must not be greater than MaxStateSize (100). CleanupThreshold must be a fraction greater than 0 and at most 1 (0.8 means 80 %), but is 1.5.");
        }

        [Theory]
        [InlineData("\"key\":\"c\",", "\"key\":\"a\",", "The key 'a' is listed more than once.")]
        [InlineData("\"key\":\"a\",\"size\":10", "\"key\":\"a\",\"size\":-10", "The entry 'a' has a negative size (-10).")]
        [InlineData("\"currentSize\":", "\"currentSize\":1", "but the entries add up to")]
        public void A_state_that_disagrees_with_itself_is_inconsistent(string find, string replace, string detail)
        {
            string original = StateOf(BusyMonitor());
            string state = original.Replace(find, replace);
            Assert.NotEqual(original, state);
            StateSnapshot snapshot = Read(WithState(state));
            var ex = Assert.Throws<InvalidSnapshotException>(() => snapshot.Restore());
            Assert.Equal(SnapshotProblem.InconsistentState, ex.Problem);
            Assert.Contains(detail, ex.Message);
            Assert.StartsWith("The file 'test.json' is not a valid state snapshot: ", ex.Message);
        }

        [Theory]
        [InlineData("\"store\":\"Memory\"", "\"store\":\"Redis\"", "\"state.store\" is 'Redis'; it must be 'Memory' or 'Counters'.")]
        [InlineData("\"maxAlerts\":1000", "\"maxAlerts\":0", "\"state.maxAlerts\" is 0; a monitor keeps at least 1 alert.")]
        [InlineData("\"maxAlerts\":1000,", "", "\"state\" lacks \"maxAlerts\"")]
        [InlineData("\"maxAlerts\":1000,", "\"maxAlerts\":1000,\"colour\":1,", "\"state\" has an unknown property \"colour\"")]
        [InlineData("\"peakSize\":", "\"peakSize\":\"many\",\"x\":", "\"counters.peakSize\" must be a whole number, but is a string")]
        [InlineData("\"pinned\":true", "\"pinned\":1", "\"entries[0].pinned\" must be true or false, but is a number")]
        [InlineData("\"type\":\"CleanupFailed\"", "\"type\":\"Panic\"", "is 'Panic'; it must be one of ApproachingLimit, LimitExceeded, CleanupTriggered, CleanupFailed, PredictedExhaustion")]
        [InlineData("\"resource\":\"StateSize\"", "\"resource\":\"1\"", "it must be one of StateSize, ValueSize, CacheEntries")]
        [InlineData("\"interval\":\"00:00:01\"", "\"interval\":\"soon\"", "\"history.interval\" must be a time span such as \"00:10:00\"")]
        [InlineData("\"predictionHorizon\":\"00:00:00\"", "\"predictionHorizon\":600", "\"limits.predictionHorizon\" must be a time span")]
        [InlineData("\"CleanupFailed\":1,", "", "\"alertsRaised\" lacks \"CleanupFailed\"")]
        public void A_missing_unknown_or_mistyped_property_is_named(string find, string replace, string detail)
        {
            string original = StateOf(BusyMonitor());
            int at = original.IndexOf(find, StringComparison.Ordinal);
            Assert.True(at >= 0, find);
            string state = original.Substring(0, at) + replace + original.Substring(at + find.Length);
            var ex = Assert.Throws<InvalidSnapshotException>(() => Read(WithState(state)).Restore());
            Assert.Equal(SnapshotProblem.InvalidContent, ex.Problem);
            Assert.Contains(detail, ex.Message);
        }

        [Fact]
        public void A_file_is_written_atomically_and_NoClobber_keeps_an_existing_file()
        {
            InTemporaryFolder(folder =>
            {
                string path = Path.Combine(folder, "state.json");
                SnapshotWriter.WriteFile(StateSnapshot.Capture(BusyMonitor("first")), path);
                SnapshotWriter.WriteFile(StateSnapshot.Capture(BusyMonitor("second")), path);
                Assert.Equal("second", SnapshotReader.ReadFile(path).Name);

                Assert.Throws<IOException>(() => SnapshotWriter.WriteFile(StateSnapshot.Capture(BusyMonitor("third")), path, noClobber: true));
                Assert.Equal("second", SnapshotReader.ReadFile(path).Name);
                Assert.Equal(new[] { "state.json" }, Directory.GetFiles(folder).Select(Path.GetFileName));
            });
        }

        private static string[] Samples(StateMonitor monitor) =>
            monitor.GetHistory().Select(x => $"{x.Timestamp:o} {x.CurrentSize} {x.ValueCount} {x.UsagePercentage}").ToArray();

        private static string ReplaceFirst(string text, string find, string replace)
        {
            int at = text.IndexOf(find, StringComparison.Ordinal);
            return text.Substring(0, at) + replace + text.Substring(at + find.Length);
        }

        private static void InTemporaryFolder(Action<string> test)
        {
            string folder = Path.Combine(Path.GetTempPath(), "snapshot-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                test(folder);
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        private static void AssertSameState(StoreState expected, StoreState actual)
        {
            Assert.Equal(expected.Entries.Select(e => (e.Key, e.Size, e.IsPinned)), actual.Entries.Select(e => (e.Key, e.Size, e.IsPinned)));
            Assert.Equal(expected.Counters, actual.Counters);
            Assert.Equal(expected.Triggers, actual.Triggers);
            Assert.Equal(expected.AlertsDropped, actual.AlertsDropped);
            Assert.Equal(expected.Alerts.Count, actual.Alerts.Count);
            for (int i = 0; i < expected.Alerts.Count; i++)
            {
                ResourceAlert e = expected.Alerts[i];
                ResourceAlert a = actual.Alerts[i];
                Assert.Equal(e.GetType(), a.GetType());
                Assert.Equal(e.Timestamp, a.Timestamp);
                Assert.Equal(e.Timestamp.Kind, a.Timestamp.Kind);
                Assert.Equal(e.MonitorName, a.MonitorName);
                Assert.Equal(e.Message, a.Message);
                foreach (var property in e.GetType().GetProperties())
                {
                    Assert.Equal(property.GetValue(e), property.GetValue(a));
                }
            }
        }

        private static void AssertProblem(byte[] bytes, SnapshotProblem problem, string detail)
        {
            var ex = Assert.Throws<InvalidSnapshotException>(() => Read(bytes));
            Assert.Equal(problem, ex.Problem);
            Assert.Contains(detail, ex.Message);
            Assert.Equal("test.json", ex.Path);
        }

        /// <summary>The exact text of the "state" value of a monitor's snapshot.</summary>
        private static string StateOf(StateMonitor monitor)
        {
            string text = Encoding.UTF8.GetString(Write(monitor));
            int checksumAt = text.LastIndexOf(",\"sha256\":\"", StringComparison.Ordinal);
            return text.Substring(Header.Length, checksumAt - Header.Length);
        }

        /// <summary>A snapshot with this state text and its correct checksum: gets past the checksum to what follows.</summary>
        private static byte[] WithState(string state) =>
            Encoding.UTF8.GetBytes(Header + state + ",\"sha256\":\"" + Sha256(state) + "\"}");

        private static string Sha256(string text)
        {
            using (var sha = SHA256.Create())
            {
                return string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(text)).Select(b => b.ToString("x2")));
            }
        }

        /// <summary>A read-only stream that returns at most <c>blockSize</c> bytes per read, like a slow pipe.</summary>
        private sealed class TrickleStream : MemoryStream
        {
            private readonly int _blockSize;

            public TrickleStream(byte[] bytes, int blockSize)
                : base(bytes, writable: false)
            {
                _blockSize = blockSize;
            }

            public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, _blockSize));
        }
    }
}
