using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Writes a <see cref="StateSnapshot"/> in the snapshot file format (docs/design/snapshot-format.md), streaming:
    /// the JSON goes to the stream in small blocks, hashed on the way, and is never held whole in memory.
    /// </summary>
    public static class SnapshotWriter
    {
        // Flushing the writer's buffer at this size keeps memory flat however many entries there are.
        private const int FlushThreshold = 64 * 1024;

        // Compact, and only what JSON requires escaped: keys are often paths, and the HTML-safe default would escape
        // every non-ASCII letter and '+', '<', '&'. Private: no System.Text.Json type is part of Core's public surface.
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Indented = false,
        };

        /// <summary>Writes the snapshot to <paramref name="stream"/> (which stays open).</summary>
        public static void Write(StateSnapshot snapshot, Stream stream)
        {
            if (snapshot == null)
            {
                throw new ArgumentNullException(nameof(snapshot));
            }

            if (stream == null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            using (var hashing = new HashingWriteStream(stream, hash))
            using (var writer = new Utf8JsonWriter(hashing, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString(SnapshotFormat.Format, SnapshotFormat.Name);
                writer.WriteNumber(SnapshotFormat.VersionProperty, SnapshotFormat.Version);
                writer.WritePropertyName(SnapshotFormat.State);

                // The checksum covers exactly the bytes of the "state" value, from its '{' to its '}'.
                writer.Flush();
                hashing.Hashing = true;
                WriteState(writer, snapshot);
                writer.Flush();
                hashing.Hashing = false;

                writer.WriteString(SnapshotFormat.Sha256, Hex(hash.GetHashAndReset()));
                writer.WriteEndObject();
                writer.Flush();
            }
        }

        /// <summary>
        /// Writes the snapshot to <paramref name="path"/> atomically: a crash at any moment leaves the old file or
        /// the new one, never a torn one (see <see cref="Files.AtomicFile"/>).
        /// </summary>
        /// <exception cref="IOException">With <paramref name="noClobber"/>, the file exists; or the file cannot be written.</exception>
        public static void WriteFile(StateSnapshot snapshot, string path, bool noClobber = false)
        {
            if (snapshot == null)
            {
                throw new ArgumentNullException(nameof(snapshot));
            }

            Files.AtomicFile.Write(path, stream => Write(snapshot, stream), noClobber);
        }

        private static void WriteState(Utf8JsonWriter writer, StateSnapshot snapshot)
        {
            StoreState state = snapshot.State;
            writer.WriteStartObject();
            writer.WriteString(SnapshotFormat.MonitorName, snapshot.Name);
            writer.WriteString(SnapshotFormat.Store, snapshot.StoreKind);
            writer.WriteNumber(SnapshotFormat.MaxAlerts, snapshot.MaxAlerts);
            WriteLimits(writer, snapshot.Limits);
            WriteCounters(writer, state.Counters, state.AlertsDropped);
            WriteAlertsRaised(writer, state.AlertsRaised);
            WriteTriggers(writer, state.Triggers);
            WriteHistory(writer, snapshot.History);
            WriteAlerts(writer, state.Alerts);
            WriteEntries(writer, state.Entries);
            writer.WriteEndObject();
        }

        private static void WriteLimits(Utf8JsonWriter writer, ResourceLimits limits)
        {
            writer.WriteStartObject(SnapshotFormat.Limits);
            writer.WriteNumber(SnapshotFormat.MaxStateSize, limits.MaxStateSize);
            writer.WriteNumber(SnapshotFormat.MaxValueSize, limits.MaxValueSize);
            writer.WriteNumber(SnapshotFormat.MaxCacheEntries, limits.MaxCacheEntries);
            writer.WriteNumber(SnapshotFormat.CleanupThreshold, limits.CleanupThreshold);
            writer.WriteNumber(SnapshotFormat.CleanupTarget, limits.CleanupTarget);
            writer.WriteBoolean(SnapshotFormat.AutoCleanup, limits.AutoCleanup);
            writer.WriteBoolean(SnapshotFormat.EnableStreaming, limits.EnableStreaming);
            writer.WriteNumber(SnapshotFormat.StreamChunkSize, limits.StreamChunkSize);
            writer.WriteString(SnapshotFormat.PredictionHorizon, TimeSpanText(limits.PredictionHorizon));
            writer.WriteBoolean(SnapshotFormat.PredictiveCleanup, limits.PredictiveCleanup);
            writer.WriteEndObject();
        }

        private static void WriteAlertsRaised(Utf8JsonWriter writer, AlertTypeCounts raised)
        {
            writer.WriteStartObject(SnapshotFormat.AlertsRaised);
            foreach (KeyValuePair<AlertType, long> count in raised.ByType())
            {
                writer.WriteNumber(count.Key.ToString(), count.Value);
            }

            writer.WriteEndObject();
        }

        private static void WriteHistory(Utf8JsonWriter writer, UsageHistoryState history)
        {
            writer.WriteStartObject(SnapshotFormat.History);
            writer.WriteString(SnapshotFormat.Interval, TimeSpanText(history.Interval));
            writer.WriteNumber(SnapshotFormat.Length, history.Length);
            writer.WriteBoolean(SnapshotFormat.ExhaustionPredicted, history.ExhaustionPredicted);
            if (history.OpenInterval.HasValue)
            {
                writer.WriteString(SnapshotFormat.OpenInterval, history.OpenInterval.Value);
            }
            else
            {
                writer.WriteNull(SnapshotFormat.OpenInterval);
            }

            writer.WriteStartArray(SnapshotFormat.Samples);
            foreach (UsageSample sample in history.ClosedSamples)
            {
                writer.WriteStartObject();
                writer.WriteString(SnapshotFormat.Timestamp, sample.Timestamp);
                writer.WriteNumber(SnapshotFormat.Size, sample.CurrentSize);
                writer.WriteNumber(SnapshotFormat.Count, sample.ValueCount);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        /// <summary>A time span as the reader takes it back exactly: the invariant "c" form, 100 ns precision.</summary>
        internal static string TimeSpanText(TimeSpan span) => span.ToString("c", CultureInfo.InvariantCulture);

        private static void WriteCounters(Utf8JsonWriter writer, StoreCounters counters, long alertsDropped)
        {
            writer.WriteStartObject(SnapshotFormat.Counters);
            writer.WriteNumber(SnapshotFormat.CurrentSize, counters.CurrentSize);
            writer.WriteNumber(SnapshotFormat.ValueCount, counters.ValueCount);
            writer.WriteNumber(SnapshotFormat.PeakSize, counters.PeakSize);
            writer.WriteNumber(SnapshotFormat.PinnedSize, counters.PinnedSize);
            writer.WriteNumber(SnapshotFormat.PinnedCount, counters.PinnedCount);
            writer.WriteNumber(SnapshotFormat.StreamedCount, counters.StreamedCount);
            writer.WriteNumber(SnapshotFormat.StreamedBytes, counters.StreamedBytes);
            writer.WriteNumber(SnapshotFormat.TotalEvictions, counters.TotalEvictions);
            writer.WriteNumber(SnapshotFormat.EvictedBytes, counters.EvictedBytes);
            writer.WriteNumber(SnapshotFormat.RejectedAllocations, counters.RejectedAllocations);
            writer.WriteNumber(SnapshotFormat.RecordedAllocations, counters.RecordedAllocations);
            writer.WriteNumber(SnapshotFormat.AlertsDropped, alertsDropped);
            writer.WriteEndObject();
        }

        private static void WriteTriggers(Utf8JsonWriter writer, AlertTriggers triggers)
        {
            writer.WriteStartObject(SnapshotFormat.Triggers);
            writer.WriteBoolean(SnapshotFormat.StateAtThreshold, triggers.StateAtThreshold);
            writer.WriteBoolean(SnapshotFormat.EntriesAtThreshold, triggers.EntriesAtThreshold);
            writer.WriteBoolean(SnapshotFormat.AutomaticCleanupFailing, triggers.AutomaticCleanupFailing);
            writer.WriteEndObject();
        }

        private static void WriteAlerts(Utf8JsonWriter writer, IReadOnlyList<ResourceAlert> alerts)
        {
            writer.WriteStartArray(SnapshotFormat.Alerts);
            for (int i = 0; i < alerts.Count; i++)
            {
                ResourceAlert alert = alerts[i];
                writer.WriteStartObject();
                writer.WriteString(SnapshotFormat.AlertType, alert.Type.ToString());
                writer.WriteString(SnapshotFormat.Timestamp, alert.Timestamp);
                writer.WriteString(SnapshotFormat.AlertMonitorName, alert.MonitorName);
                switch (alert)
                {
                    case ApproachingLimitAlert a:
                        writer.WriteString(SnapshotFormat.Resource, a.Resource.ToString());
                        writer.WriteNumber(SnapshotFormat.Percentage, a.Percentage);
                        writer.WriteNumber(SnapshotFormat.Current, a.Current);
                        writer.WriteNumber(SnapshotFormat.Limit, a.Limit);
                        break;
                    case LimitExceededAlert a:
                        writer.WriteString(SnapshotFormat.Resource, a.Resource.ToString());
                        writer.WriteNumber(SnapshotFormat.Current, a.Current);
                        writer.WriteNumber(SnapshotFormat.Limit, a.Limit);
                        writer.WriteString(SnapshotFormat.Key, a.Key);
                        break;
                    case CleanupTriggeredAlert a:
                        writer.WriteNumber(SnapshotFormat.Freed, a.Freed);
                        writer.WriteNumber(SnapshotFormat.EntriesRemoved, a.EntriesRemoved);
                        writer.WriteBoolean(SnapshotFormat.Automatic, a.Automatic);
                        break;
                    case CleanupFailedAlert a:
                        writer.WriteString(SnapshotFormat.Reason, a.Reason);
                        break;
                    case PredictedExhaustionAlert a:
                        writer.WriteNumber(SnapshotFormat.GrowthRate, a.GrowthRate);
                        writer.WriteString(SnapshotFormat.TimeToThreshold, TimeSpanText(a.TimeToThreshold));
                        writer.WriteString(SnapshotFormat.Horizon, TimeSpanText(a.Horizon));
                        writer.WriteNumber(SnapshotFormat.Current, a.Current);
                        writer.WriteNumber(SnapshotFormat.ThresholdBytes, a.ThresholdBytes);
                        break;
                    default:
                        throw new ArgumentException($"Alert {i} is of a kind the snapshot format does not know: {alert.GetType().Name}.", nameof(alerts));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        private static void WriteEntries(Utf8JsonWriter writer, IReadOnlyList<StoreEntry> entries)
        {
            writer.WriteStartArray(SnapshotFormat.Entries);
            for (int i = 0; i < entries.Count; i++)
            {
                StoreEntry entry = entries[i];
                writer.WriteStartObject();
                writer.WriteString(EntryNames.Key, entry.Key);
                writer.WriteNumber(EntryNames.Size, entry.Size);
                writer.WriteBoolean(EntryNames.Pinned, entry.IsPinned);
                writer.WriteEndObject();
                if (writer.BytesPending >= FlushThreshold)
                {
                    writer.Flush();
                }
            }

            writer.WriteEndArray();
        }

        private static string Hex(byte[] bytes)
        {
            var chars = new char[bytes.Length * 2];
            const string digits = "0123456789abcdef";
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = digits[bytes[i] >> 4];
                chars[(2 * i) + 1] = digits[bytes[i] & 0xF];
            }

            return new string(chars);
        }

        internal static string HexOf(byte[] bytes) => Hex(bytes);

        /// <summary>Passes writes through to the file and, while <see cref="Hashing"/>, into the checksum.</summary>
        private sealed class HashingWriteStream : Stream
        {
            private readonly Stream _inner;
            private readonly IncrementalHash _hash;

            public HashingWriteStream(Stream inner, IncrementalHash hash)
            {
                _inner = inner;
                _hash = hash;
            }

            public bool Hashing { get; set; }

            public override bool CanRead => false;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => throw new NotSupportedException();

            public override long Position
            {
                get => throw new NotSupportedException();
                set => throw new NotSupportedException();
            }

            public override void Write(byte[] buffer, int offset, int count)
            {
                if (Hashing)
                {
                    _hash.AppendData(buffer, offset, count);
                }

                _inner.Write(buffer, offset, count);
            }

            public override void Flush() => _inner.Flush();

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            // The file stream belongs to the caller.
            protected override void Dispose(bool disposing)
            {
            }
        }
    }
}
