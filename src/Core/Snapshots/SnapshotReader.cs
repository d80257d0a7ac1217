using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Reads the snapshot file format (docs/design/snapshot-format.md), streaming, and checks all of it: that it is
    /// JSON and complete, the format name and version, every property and its type, the SHA-256 checksum and the
    /// limits. Whether the state agrees with itself is checked when it is restored (<see cref="StateSnapshot.Restore(string, UsageClock)"/>).
    /// Every problem is an <see cref="InvalidSnapshotException"/> naming the file and what is wrong.
    /// </summary>
    public sealed class SnapshotReader
    {
        private readonly SnapshotInput _input;
        private readonly string _source;

        private SnapshotReader(Stream stream, string source)
        {
            _input = new SnapshotInput(stream, source);
            _source = source;
        }

        /// <summary>Reads the snapshot file at <paramref name="path"/>.</summary>
        /// <exception cref="InvalidSnapshotException">The file is not a valid state snapshot.</exception>
        /// <exception cref="FileNotFoundException">There is no such file.</exception>
        public static StateSnapshot ReadFile(string path)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan))
            {
                return Read(stream, path);
            }
        }

        /// <summary>Reads a snapshot from <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
        /// <exception cref="InvalidSnapshotException">The content is not a valid state snapshot.</exception>
        public static StateSnapshot Read(Stream stream, string source)
        {
            if (stream == null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            var reader = new SnapshotReader(stream, source ?? throw new ArgumentNullException(nameof(source)));
            try
            {
                return reader.ReadDocument();
            }
            catch (JsonException exception)
            {
                throw new InvalidSnapshotException(source, SnapshotProblem.NotJson, "it is not valid JSON: " + exception.Message, exception);
            }
            finally
            {
                reader._input.Dispose();
            }
        }

        private StateSnapshot ReadDocument()
        {
            Utf8JsonReader json = _input.Start();
            _input.Next(ref json);
            if (json.TokenType != JsonTokenType.StartObject)
            {
                throw Problem(SnapshotProblem.UnknownFormat, $"a state snapshot is a JSON object that begins with \"{SnapshotFormat.Format}\": \"{SnapshotFormat.Name}\", but this JSON begins with {Describe(json.TokenType)}.");
            }

            ReadFormatName(ref json);
            ReadVersion(ref json);
            ExpectProperty(ref json, SnapshotFormat.State);
            _input.Next(ref json);
            Expect(ref json, JsonTokenType.StartObject, SnapshotFormat.State);
            _input.StartHashing(ref json);
            var state = new StateReading();
            ReadState(ref json, state);
            byte[] contentHash = _input.StopHashing(ref json);

            ExpectProperty(ref json, SnapshotFormat.Sha256);
            string statedHash = ReadString(ref json, SnapshotFormat.Sha256);
            _input.Next(ref json);
            if (json.TokenType != JsonTokenType.EndObject)
            {
                throw Problem(SnapshotProblem.InvalidContent, $"nothing may follow \"{SnapshotFormat.Sha256}\", but {Describe(json.TokenType)} does at byte {_input.PositionOf(ref json)}.");
            }

            if (!_input.OnlyWhitespaceFollows(ref json))
            {
                throw Problem(SnapshotProblem.NotJson, "it is not valid JSON: more follows the snapshot's closing '}'.");
            }

            string actualHash = SnapshotWriter.HexOf(contentHash);
            if (!string.Equals(statedHash, actualHash, StringComparison.OrdinalIgnoreCase))
            {
                throw Problem(SnapshotProblem.ChecksumMismatch, $"the checksum does not match the content, so the file was changed or damaged after it was written (\"{SnapshotFormat.Sha256}\" says {statedHash}; the content hashes to {actualHash}).");
            }

            return state.ToSnapshot(this, _source);
        }

        private void ReadFormatName(ref Utf8JsonReader json)
        {
            _input.Next(ref json);
            if (json.TokenType != JsonTokenType.PropertyName || !json.ValueTextEquals(SnapshotFormat.Format))
            {
                throw Problem(SnapshotProblem.UnknownFormat, $"it does not begin with \"{SnapshotFormat.Format}\": \"{SnapshotFormat.Name}\".");
            }

            _input.Next(ref json);
            string? name = json.TokenType == JsonTokenType.String ? json.GetString() : null;
            if (name != SnapshotFormat.Name)
            {
                throw Problem(SnapshotProblem.UnknownFormat, $"its format is {(name == null ? Describe(json.TokenType) : "'" + name + "'")}, not '{SnapshotFormat.Name}'.");
            }
        }

        private void ReadVersion(ref Utf8JsonReader json)
        {
            ExpectProperty(ref json, SnapshotFormat.VersionProperty);
            _input.Next(ref json);
            if (json.TokenType != JsonTokenType.Number || !json.TryGetInt32(out int version) || version < 1)
            {
                throw Problem(SnapshotProblem.UnknownFormat, $"\"{SnapshotFormat.VersionProperty}\" must be a whole number from 1 (this module reads versions 1 to {SnapshotFormat.Version}).");
            }

            if (version > SnapshotFormat.Version)
            {
                throw Problem(SnapshotProblem.NewerVersion, $"it is format version {version}, newer than this module reads (versions 1 to {SnapshotFormat.Version}). Update AgentFlow.Resources to read it.");
            }
        }

        private void ReadState(ref Utf8JsonReader json, StateReading state)
        {
            var properties = new ObjectProperties(this, SnapshotFormat.State, SnapshotFormat.MonitorName, SnapshotFormat.Store, SnapshotFormat.MaxAlerts,
                SnapshotFormat.Limits, SnapshotFormat.Counters, SnapshotFormat.AlertsRaised, SnapshotFormat.Triggers, SnapshotFormat.History, SnapshotFormat.Alerts, SnapshotFormat.Entries);
            while (NextProperty(ref json, properties, out string name))
            {
                switch (name)
                {
                    case SnapshotFormat.MonitorName:
                        state.Name = ReadString(ref json, name);
                        break;
                    case SnapshotFormat.Store:
                        state.StoreKind = ReadString(ref json, name);
                        break;
                    case SnapshotFormat.MaxAlerts:
                        state.MaxAlerts = ReadInt32(ref json, name);
                        break;
                    case SnapshotFormat.Limits:
                        ReadLimits(ref json, state);
                        break;
                    case SnapshotFormat.Counters:
                        ReadCounters(ref json, state);
                        break;
                    case SnapshotFormat.AlertsRaised:
                        ReadAlertsRaised(ref json, state);
                        break;
                    case SnapshotFormat.Triggers:
                        ReadTriggers(ref json, state);
                        break;
                    case SnapshotFormat.History:
                        ReadHistory(ref json, state);
                        break;
                    case SnapshotFormat.Alerts:
                        ReadAlerts(ref json, state);
                        break;
                    default:
                        ReadEntries(ref json, state);
                        break;
                }
            }
        }

        private void ReadLimits(ref Utf8JsonReader json, StateReading state)
        {
            ResourceLimitsBuilder builder = ResourceLimits.Builder();
            StartObject(ref json, SnapshotFormat.Limits);
            var properties = new ObjectProperties(this, SnapshotFormat.Limits, SnapshotFormat.MaxStateSize, SnapshotFormat.MaxValueSize, SnapshotFormat.MaxCacheEntries,
                SnapshotFormat.CleanupThreshold, SnapshotFormat.CleanupTarget, SnapshotFormat.AutoCleanup, SnapshotFormat.EnableStreaming, SnapshotFormat.StreamChunkSize,
                SnapshotFormat.PredictionHorizon, SnapshotFormat.PredictiveCleanup);
            while (NextProperty(ref json, properties, out string name))
            {
                switch (name)
                {
                    case SnapshotFormat.MaxStateSize: builder.MaxStateSize(ReadInt64(ref json, properties.PathOf(name))); break;
                    case SnapshotFormat.MaxValueSize: builder.MaxValueSize(ReadInt64(ref json, properties.PathOf(name))); break;
                    case SnapshotFormat.MaxCacheEntries: builder.MaxCacheEntries(ReadInt64(ref json, properties.PathOf(name))); break;
                    case SnapshotFormat.CleanupThreshold: builder.CleanupThreshold(ReadDouble(ref json, properties.PathOf(name))); break;
                    case SnapshotFormat.CleanupTarget: builder.CleanupTarget(ReadDouble(ref json, properties.PathOf(name))); break;
                    case SnapshotFormat.AutoCleanup: builder.AutoCleanup(ReadBoolean(ref json, properties.PathOf(name))); break;
                    case SnapshotFormat.EnableStreaming: builder.EnableStreaming(ReadBoolean(ref json, properties.PathOf(name))); break;
                    case SnapshotFormat.PredictionHorizon: builder.PredictionHorizon(ReadTimeSpan(ref json, properties.PathOf(name))); break;
                    case SnapshotFormat.PredictiveCleanup: builder.PredictiveCleanup(ReadBoolean(ref json, properties.PathOf(name))); break;
                    default: builder.StreamChunkSize(ReadInt64(ref json, properties.PathOf(name))); break;
                }
            }

            state.Limits = builder.Build();
        }

        private void ReadCounters(ref Utf8JsonReader json, StateReading state)
        {
            StartObject(ref json, SnapshotFormat.Counters);
            var properties = new ObjectProperties(this, SnapshotFormat.Counters, SnapshotFormat.CurrentSize, SnapshotFormat.ValueCount, SnapshotFormat.PeakSize,
                SnapshotFormat.PinnedSize, SnapshotFormat.PinnedCount, SnapshotFormat.StreamedCount, SnapshotFormat.StreamedBytes, SnapshotFormat.TotalEvictions,
                SnapshotFormat.EvictedBytes, SnapshotFormat.RejectedAllocations, SnapshotFormat.RecordedAllocations, SnapshotFormat.AlertsDropped);
            while (NextProperty(ref json, properties, out string name))
            {
                long value = ReadInt64(ref json, properties.PathOf(name));
                switch (name)
                {
                    case SnapshotFormat.CurrentSize: state.Counters.CurrentSize = value; break;
                    case SnapshotFormat.ValueCount: state.Counters.ValueCount = value; break;
                    case SnapshotFormat.PeakSize: state.Counters.PeakSize = value; break;
                    case SnapshotFormat.PinnedSize: state.Counters.PinnedSize = value; break;
                    case SnapshotFormat.PinnedCount: state.Counters.PinnedCount = value; break;
                    case SnapshotFormat.StreamedCount: state.Counters.StreamedCount = value; break;
                    case SnapshotFormat.StreamedBytes: state.Counters.StreamedBytes = value; break;
                    case SnapshotFormat.TotalEvictions: state.Counters.TotalEvictions = value; break;
                    case SnapshotFormat.EvictedBytes: state.Counters.EvictedBytes = value; break;
                    case SnapshotFormat.RejectedAllocations: state.Counters.RejectedAllocations = value; break;
                    case SnapshotFormat.RecordedAllocations: state.Counters.RecordedAllocations = value; break;
                    default: state.AlertsDropped = value; break;
                }
            }
        }

        private void ReadAlertsRaised(ref Utf8JsonReader json, StateReading state)
        {
            StartObject(ref json, SnapshotFormat.AlertsRaised);
            var properties = new ObjectProperties(this, SnapshotFormat.AlertsRaised, Enum.GetNames(typeof(AlertType)));
            var counts = new long[AlertTypeNames.Length];
            while (NextProperty(ref json, properties, out string name))
            {
                counts[Array.IndexOf(AlertTypeNames, name)] = ReadInt64(ref json, properties.PathOf(name));
            }

            state.AlertsRaised = new AlertTypeCounts(counts);
        }

        private void ReadHistory(ref Utf8JsonReader json, StateReading state)
        {
            StartObject(ref json, SnapshotFormat.History);
            var properties = new ObjectProperties(this, SnapshotFormat.History, SnapshotFormat.Interval, SnapshotFormat.Length, SnapshotFormat.ExhaustionPredicted,
                SnapshotFormat.OpenInterval, SnapshotFormat.Samples);
            TimeSpan interval = TimeSpan.Zero;
            int length = 0;
            bool predicted = false;
            DateTime? open = null;
            var samples = new List<UsageSample>();
            while (NextProperty(ref json, properties, out string name))
            {
                string path = properties.PathOf(name);
                switch (name)
                {
                    case SnapshotFormat.Interval: interval = ReadTimeSpan(ref json, path); break;
                    case SnapshotFormat.Length: length = ReadInt32(ref json, path); break;
                    case SnapshotFormat.ExhaustionPredicted: predicted = ReadBoolean(ref json, path); break;
                    case SnapshotFormat.OpenInterval: open = ReadNullableTimestamp(ref json, path); break;
                    default: ReadSamples(ref json, path, samples); break;
                }
            }

            state.History = new UsageHistoryState(interval, length, samples, open, predicted);
        }

        private void ReadSamples(ref Utf8JsonReader json, string path, List<UsageSample> samples)
        {
            _input.Next(ref json);
            Expect(ref json, JsonTokenType.StartArray, path);
            while (true)
            {
                _input.Next(ref json);
                if (json.TokenType == JsonTokenType.EndArray)
                {
                    return;
                }

                string where = $"{path}[{samples.Count}]";
                Expect(ref json, JsonTokenType.StartObject, where);
                var properties = new ObjectProperties(this, where, SnapshotFormat.Timestamp, SnapshotFormat.Size, SnapshotFormat.Count);
                DateTime timestamp = default;
                long size = 0;
                long count = 0;
                while (NextProperty(ref json, properties, out string name))
                {
                    switch (name)
                    {
                        case SnapshotFormat.Timestamp: timestamp = ReadTimestamp(ref json, properties.PathOf(name)); break;
                        case SnapshotFormat.Size: size = ReadInt64(ref json, properties.PathOf(name)); break;
                        default: count = ReadInt64(ref json, properties.PathOf(name)); break;
                    }
                }

                // The percentage follows from the limits, which may come later in the file: set when the snapshot is assembled.
                samples.Add(new UsageSample(timestamp, size, count, 0));
            }
        }

        private void ReadTriggers(ref Utf8JsonReader json, StateReading state)
        {
            StartObject(ref json, SnapshotFormat.Triggers);
            var properties = new ObjectProperties(this, SnapshotFormat.Triggers, SnapshotFormat.StateAtThreshold, SnapshotFormat.EntriesAtThreshold, SnapshotFormat.AutomaticCleanupFailing);
            while (NextProperty(ref json, properties, out string name))
            {
                bool value = ReadBoolean(ref json, properties.PathOf(name));
                switch (name)
                {
                    case SnapshotFormat.StateAtThreshold: state.Triggers.StateAtThreshold = value; break;
                    case SnapshotFormat.EntriesAtThreshold: state.Triggers.EntriesAtThreshold = value; break;
                    default: state.Triggers.AutomaticCleanupFailing = value; break;
                }
            }
        }

        private void ReadAlerts(ref Utf8JsonReader json, StateReading state)
        {
            _input.Next(ref json);
            Expect(ref json, JsonTokenType.StartArray, SnapshotFormat.Alerts);
            while (true)
            {
                _input.Next(ref json);
                if (json.TokenType == JsonTokenType.EndArray)
                {
                    return;
                }

                Expect(ref json, JsonTokenType.StartObject, $"{SnapshotFormat.Alerts}[{state.Alerts.Count}]");
                state.Alerts.Add(ReadAlert(ref json, state.Alerts.Count));
            }
        }

        private ResourceAlert ReadAlert(ref Utf8JsonReader json, int index)
        {
            string where = $"{SnapshotFormat.Alerts}[{index}]";
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            while (true)
            {
                _input.Next(ref json);
                if (json.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                string name = json.GetString()!;
                string path = where + "." + name;
                if (values.ContainsKey(name))
                {
                    throw Problem(SnapshotProblem.InvalidContent, $"\"{path}\" appears twice.");
                }

                switch (name)
                {
                    case SnapshotFormat.AlertType:
                    case SnapshotFormat.AlertMonitorName:
                    case SnapshotFormat.Reason:
                        values[name] = ReadString(ref json, path);
                        break;
                    case SnapshotFormat.Key:
                        values[name] = ReadNullableString(ref json, path);
                        break;
                    case SnapshotFormat.Resource:
                        values[name] = ReadEnum<LimitedResource>(ref json, path);
                        break;
                    case SnapshotFormat.Timestamp:
                        values[name] = ReadTimestamp(ref json, path);
                        break;
                    case SnapshotFormat.Percentage:
                    case SnapshotFormat.GrowthRate:
                        values[name] = ReadDouble(ref json, path);
                        break;
                    case SnapshotFormat.TimeToThreshold:
                    case SnapshotFormat.Horizon:
                        values[name] = ReadTimeSpan(ref json, path);
                        break;
                    case SnapshotFormat.Current:
                    case SnapshotFormat.Limit:
                    case SnapshotFormat.Freed:
                    case SnapshotFormat.ThresholdBytes:
                        values[name] = ReadInt64(ref json, path);
                        break;
                    case SnapshotFormat.EntriesRemoved:
                        values[name] = ReadInt32(ref json, path);
                        break;
                    case SnapshotFormat.Automatic:
                        values[name] = ReadBoolean(ref json, path);
                        break;
                    default:
                        throw Problem(SnapshotProblem.InvalidContent, $"\"{where}\" has an unknown property \"{name}\".");
                }
            }

            return new AlertReading(this, where, values).ToAlert();
        }

        private void ReadEntries(ref Utf8JsonReader json, StateReading state)
        {
            _input.Next(ref json);
            Expect(ref json, JsonTokenType.StartArray, SnapshotFormat.Entries);
            List<StoreEntry> entries = state.Entries;

            // The counters come first in files this module writes: room for every entry at once (bounded, since
            // the count is not checked yet).
            if (state.Counters.ValueCount > entries.Capacity)
            {
                entries.Capacity = (int)Math.Min(state.Counters.ValueCount, 1 << 24);
            }

            while (true)
            {
                _input.Next(ref json);
                if (json.TokenType == JsonTokenType.EndArray)
                {
                    return;
                }

                if (json.TokenType != JsonTokenType.StartObject)
                {
                    throw WrongType(ref json, $"{SnapshotFormat.Entries}[{entries.Count}]", "an object");
                }

                entries.Add(ReadEntry(ref json, entries.Count));
            }
        }

        // The hot loop of a large snapshot: names compared as UTF-8, no dictionary, no per-entry strings but the key.
        private StoreEntry ReadEntry(ref Utf8JsonReader json, int index)
        {
            string? key = null;
            long size = 0;
            bool pinned = false;
            int seen = 0;
            while (true)
            {
                _input.Next(ref json);
                if (json.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                int bit;
                if (json.ValueTextEquals(EntryNames.KeyUtf8))
                {
                    bit = 1;
                    _input.Next(ref json);
                    if (json.TokenType != JsonTokenType.String)
                    {
                        throw WrongType(ref json, EntryPath(index, SnapshotFormat.Key), "a string");
                    }

                    key = json.GetString();
                }
                else if (json.ValueTextEquals(EntryNames.SizeUtf8))
                {
                    bit = 2;
                    _input.Next(ref json);
                    if (json.TokenType != JsonTokenType.Number || !json.TryGetInt64(out size))
                    {
                        throw WrongType(ref json, EntryPath(index, SnapshotFormat.Size), "a whole number of bytes");
                    }
                }
                else if (json.ValueTextEquals(EntryNames.PinnedUtf8))
                {
                    bit = 4;
                    _input.Next(ref json);
                    if (json.TokenType != JsonTokenType.True && json.TokenType != JsonTokenType.False)
                    {
                        throw WrongType(ref json, EntryPath(index, SnapshotFormat.Pinned), "true or false");
                    }

                    pinned = json.TokenType == JsonTokenType.True;
                }
                else
                {
                    throw Problem(SnapshotProblem.InvalidContent, $"\"{SnapshotFormat.Entries}[{index}]\" has an unknown property \"{json.GetString()}\"; an entry has \"{SnapshotFormat.Key}\", \"{SnapshotFormat.Size}\" and \"{SnapshotFormat.Pinned}\".");
                }

                if ((seen & bit) != 0)
                {
                    throw Problem(SnapshotProblem.InvalidContent, $"\"{SnapshotFormat.Entries}[{index}]\" has a property twice.");
                }

                seen |= bit;
            }

            if (seen != 7)
            {
                throw Problem(SnapshotProblem.InvalidContent, $"\"{SnapshotFormat.Entries}[{index}]\" lacks \"{((seen & 1) == 0 ? SnapshotFormat.Key : (seen & 2) == 0 ? SnapshotFormat.Size : SnapshotFormat.Pinned)}\"; an entry has \"{SnapshotFormat.Key}\", \"{SnapshotFormat.Size}\" and \"{SnapshotFormat.Pinned}\".");
            }

            return new StoreEntry(key!, size, pinned);
        }

        private static readonly string[] AlertTypeNames = Enum.GetNames(typeof(AlertType));

        private static string EntryPath(int index, string property) => $"{SnapshotFormat.Entries}[{index}].{property}";

        /// <summary>
        /// Moves to the object's next property name (true) or past its end (false, after checking that every
        /// property of <paramref name="properties"/> appeared). Unknown and repeated names are errors.
        /// </summary>
        private bool NextProperty(ref Utf8JsonReader json, ObjectProperties properties, out string name)
        {
            _input.Next(ref json);
            if (json.TokenType == JsonTokenType.EndObject)
            {
                properties.EnsureComplete();
                name = string.Empty;
                return false;
            }

            name = json.GetString()!;
            properties.Mark(name, _input.PositionOf(ref json));
            return true;
        }

        private void StartObject(ref Utf8JsonReader json, string path)
        {
            _input.Next(ref json);
            Expect(ref json, JsonTokenType.StartObject, path);
        }

        private void ExpectProperty(ref Utf8JsonReader json, string name)
        {
            _input.Next(ref json);
            if (json.TokenType != JsonTokenType.PropertyName || !json.ValueTextEquals(name))
            {
                string found = json.TokenType == JsonTokenType.PropertyName ? $"\"{json.GetString()}\"" : Describe(json.TokenType);
                throw Problem(SnapshotProblem.InvalidContent, $"\"{name}\" was expected at byte {_input.PositionOf(ref json)}, but the file has {found} there.");
            }
        }

        private void Expect(ref Utf8JsonReader json, JsonTokenType type, string path)
        {
            if (json.TokenType != type)
            {
                throw WrongType(ref json, path, type == JsonTokenType.StartObject ? "an object" : "an array");
            }
        }

        private string ReadString(ref Utf8JsonReader json, string path)
        {
            _input.Next(ref json);
            if (json.TokenType != JsonTokenType.String)
            {
                throw WrongType(ref json, path, "a string");
            }

            return json.GetString()!;
        }

        private string? ReadNullableString(ref Utf8JsonReader json, string path)
        {
            _input.Next(ref json);
            if (json.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (json.TokenType != JsonTokenType.String)
            {
                throw WrongType(ref json, path, "a string or null");
            }

            return json.GetString();
        }

        private long ReadInt64(ref Utf8JsonReader json, string path)
        {
            _input.Next(ref json);
            if (json.TokenType != JsonTokenType.Number || !json.TryGetInt64(out long value))
            {
                throw WrongType(ref json, path, "a whole number");
            }

            return value;
        }

        private int ReadInt32(ref Utf8JsonReader json, string path)
        {
            _input.Next(ref json);
            if (json.TokenType != JsonTokenType.Number || !json.TryGetInt32(out int value))
            {
                throw WrongType(ref json, path, "a whole number up to 2147483647");
            }

            return value;
        }

        private double ReadDouble(ref Utf8JsonReader json, string path)
        {
            _input.Next(ref json);
            if (json.TokenType != JsonTokenType.Number || !json.TryGetDouble(out double value))
            {
                throw WrongType(ref json, path, "a number");
            }

            return value;
        }

        private bool ReadBoolean(ref Utf8JsonReader json, string path)
        {
            _input.Next(ref json);
            if (json.TokenType != JsonTokenType.True && json.TokenType != JsonTokenType.False)
            {
                throw WrongType(ref json, path, "true or false");
            }

            return json.TokenType == JsonTokenType.True;
        }

        private DateTime ReadTimestamp(ref Utf8JsonReader json, string path)
        {
            _input.Next(ref json);
            return TimestampValue(ref json, path);
        }

        private DateTime? ReadNullableTimestamp(ref Utf8JsonReader json, string path)
        {
            _input.Next(ref json);
            return json.TokenType == JsonTokenType.Null ? (DateTime?)null : TimestampValue(ref json, path);
        }

        private DateTime TimestampValue(ref Utf8JsonReader json, string path)
        {
            if (json.TokenType != JsonTokenType.String || !json.TryGetDateTimeOffset(out DateTimeOffset value))
            {
                throw WrongType(ref json, path, "an ISO 8601 date and time such as 2026-01-31T09:30:00.1234567Z");
            }

            return value.UtcDateTime;
        }

        private TimeSpan ReadTimeSpan(ref Utf8JsonReader json, string path)
        {
            _input.Next(ref json);
            if (json.TokenType != JsonTokenType.String
                || !TimeSpan.TryParseExact(json.GetString(), "c", CultureInfo.InvariantCulture, out TimeSpan value))
            {
                throw WrongType(ref json, path, "a time span such as \"00:10:00\" or \"1.02:03:04.5000000\" ([d.]hh:mm:ss[.fffffff])");
            }

            return value;
        }

        private T ReadEnum<T>(ref Utf8JsonReader json, string path)
            where T : struct
        {
            string text = ReadString(ref json, path);
            if (!Enum.TryParse(text, false, out T value) || !Enum.IsDefined(typeof(T), value) || char.IsDigit(text[0]))
            {
                throw Problem(SnapshotProblem.InvalidContent, $"\"{path}\" is '{text}'; it must be one of {string.Join(", ", Enum.GetNames(typeof(T)))}.");
            }

            return value;
        }

        private InvalidSnapshotException WrongType(ref Utf8JsonReader json, string path, string expected) =>
            Problem(SnapshotProblem.InvalidContent, $"\"{path}\" must be {expected}, but is {Describe(json.TokenType)} (at byte {_input.PositionOf(ref json)}).");

        internal InvalidSnapshotException Problem(SnapshotProblem problem, string detail) => new InvalidSnapshotException(_source, problem, detail);

        private static string Describe(JsonTokenType type)
        {
            switch (type)
            {
                case JsonTokenType.StartObject: return "an object";
                case JsonTokenType.StartArray: return "an array";
                case JsonTokenType.String: return "a string";
                case JsonTokenType.Number: return "a number";
                case JsonTokenType.True:
                case JsonTokenType.False: return "a boolean";
                case JsonTokenType.Null: return "null";
                case JsonTokenType.EndObject: return "the end of an object";
                case JsonTokenType.EndArray: return "the end of an array";
                case JsonTokenType.PropertyName: return "a property";
                default: return type.ToString();
            }
        }

        internal static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
