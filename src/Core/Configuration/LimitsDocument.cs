using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AgentFlow.Resources.Configuration
{
    /// <summary>
    /// Limits as a configuration document, in any format: reads a document (the design document's
    /// <c>workflow: resource_limits:</c>, a bare <c>resource_limits:</c> mapping, or the limits mapping itself) into
    /// <see cref="ResourceLimits"/> with every problem and its line, and writes limits as a document that reads back
    /// to equal limits. Keys are the snake_case names (<c>max_state_size</c>) or the property names
    /// (<c>MaxStateSize</c>), in any case, with or without <c>_</c> or <c>-</c>; a <c>preset</c> key starts from a
    /// preset and the other keys override it.
    /// </summary>
    public static class LimitsDocument
    {
        /// <summary>The key of the section that holds the limits.</summary>
        public const string SectionKey = "resource_limits";

        /// <summary>The key of the design document's workflow section, which holds <see cref="SectionKey"/>.</summary>
        public const string WorkflowKey = "workflow";

        private static readonly LimitKey[] Keys =
        {
            new LimitKey("preset", "Preset", ValueKind.Preset),
            new LimitKey("max_state_size", nameof(ResourceLimits.MaxStateSize), ValueKind.Size),
            new LimitKey("max_value_size", nameof(ResourceLimits.MaxValueSize), ValueKind.Size),
            new LimitKey("max_cache_entries", nameof(ResourceLimits.MaxCacheEntries), ValueKind.Count),
            new LimitKey("cleanup_threshold", nameof(ResourceLimits.CleanupThreshold), ValueKind.Fraction),
            new LimitKey("cleanup_target", nameof(ResourceLimits.CleanupTarget), ValueKind.Fraction),
            new LimitKey("auto_cleanup", nameof(ResourceLimits.AutoCleanup), ValueKind.Switch),
            new LimitKey("enable_streaming", nameof(ResourceLimits.EnableStreaming), ValueKind.Switch),
            new LimitKey("stream_chunk_size", nameof(ResourceLimits.StreamChunkSize), ValueKind.Size),
            new LimitKey("prediction_horizon", nameof(ResourceLimits.PredictionHorizon), ValueKind.Duration),
            new LimitKey("predictive_cleanup", nameof(ResourceLimits.PredictiveCleanup), ValueKind.Switch),
        };

        // Read-only figures of ResourceLimits that follow from the values: a limits object read back with
        // Import-Clixml or ConvertFrom-Json carries them, and they are skipped there.
        private static readonly string[] DerivedProperties =
        {
            nameof(ResourceLimits.CleanupThresholdBytes),
            nameof(ResourceLimits.CleanupTargetBytes),
            nameof(ResourceLimits.CleanupThresholdEntries),
            nameof(ResourceLimits.CleanupTargetEntries),
            nameof(ResourceLimits.IsValid),
        };

        private const string PresetNames = "Default, MemoryConstrained, HighThroughput, Streaming or Development";

        private enum ValueKind
        {
            Preset,
            Size,
            Count,
            Fraction,
            Switch,
            Duration,
        }

        /// <summary>The limit keys in their snake_case form, in the order files are written.</summary>
        public static IReadOnlyList<string> KeyNames { get; } = Array.ConvertAll(Keys, k => k.Snake);

        /// <summary>Reads limits from a document's root node.</summary>
        /// <param name="root">The document's root node.</param>
        /// <param name="ignoreDerivedProperties">Skip the read-only figures a serialized ResourceLimits carries (CleanupThresholdBytes, IsValid, ...).</param>
        public static LimitsReadResult Read(ConfigNode root, bool ignoreDerivedProperties = false)
        {
            var problems = new List<LimitsProblem>();
            var lines = new Dictionary<string, int>(StringComparer.Ordinal);
            ConfigMapping? mapping = FindLimitsMapping(root, problems, out bool isRoot);
            if (mapping == null)
            {
                return new LimitsReadResult(null, problems, lines, new HashSet<string>(), 0);
            }

            // The preset first, wherever it is written: the other keys override it.
            var seen = new Dictionary<LimitKey, ConfigEntry>();
            var values = new List<KeyValuePair<LimitKey, ConfigEntry>>();
            foreach (ConfigEntry entry in mapping.Entries)
            {
                LimitKey? key = Find(entry.Key);
                if (key == null)
                {
                    if (!(ignoreDerivedProperties && IsDerived(entry.Key)))
                    {
                        problems.Add(UnknownKey(entry, isRoot));
                    }

                    continue;
                }

                if (seen.TryGetValue(key, out ConfigEntry first))
                {
                    problems.Add(new LimitsProblem(LimitsProblemKind.InvalidValue, entry.Line,
                        $"{entry.Key} is given twice{(first.Line > 0 ? $" (first at line {first.Line})" : string.Empty)}; give each limit once.", entry.Key));
                    continue;
                }

                seen.Add(key, entry);
                values.Add(new KeyValuePair<LimitKey, ConfigEntry>(key, entry));
            }

            LimitsPreset preset = LimitsPreset.Default;
            int presetLine = 0;
            foreach (KeyValuePair<LimitKey, ConfigEntry> pair in values)
            {
                if (pair.Key.Kind == ValueKind.Preset && TryConvert(pair.Key, pair.Value, problems, out object presetValue))
                {
                    preset = (LimitsPreset)presetValue;
                    presetLine = pair.Value.Line;
                }
            }

            ResourceLimitsBuilder builder = ResourceLimits.Builder(preset);
            var unreadable = new HashSet<string>(StringComparer.Ordinal);
            foreach (KeyValuePair<LimitKey, ConfigEntry> pair in values)
            {
                if (pair.Key.Kind == ValueKind.Preset)
                {
                    continue;
                }

                if (TryConvert(pair.Key, pair.Value, problems, out object value))
                {
                    Apply(builder, pair.Key.Property, value);
                    lines[pair.Key.Property] = pair.Value.Line;
                }
                else
                {
                    unreadable.Add(pair.Key.Property);
                }
            }

            problems.Sort((a, b) => a.Line.CompareTo(b.Line));
            return new LimitsReadResult(builder.Build(), problems, lines, unreadable, presetLine > 0 ? presetLine : mapping.Line);
        }

        /// <summary>
        /// The validation problems of the limits a document gave (<see cref="ResourceLimits.Validate"/>), each at the
        /// line of the value to fix: the first property it names that the document set, else the preset or the mapping.
        /// Problems that involve a value the document gave but that could not be read are left out (that value is
        /// already a problem of <see cref="LimitsReadResult.Problems"/>).
        /// </summary>
        public static IReadOnlyList<LimitsProblem> Validate(LimitsReadResult result)
        {
            var problems = new List<LimitsProblem>();
            if (result.Limits == null)
            {
                return problems;
            }

            foreach (LimitsViolation violation in result.Limits.FindViolations())
            {
                // A value that could not be read left the preset's in its place: problems with it are not the user's.
                if (violation.Properties.Any(result.UnreadableProperties.Contains))
                {
                    continue;
                }

                int line = result.FallbackLine;
                foreach (string property in violation.Properties)
                {
                    if (result.PropertyLines.TryGetValue(property, out int propertyLine))
                    {
                        line = propertyLine;
                        break;
                    }
                }

                problems.Add(new LimitsProblem(LimitsProblemKind.InvalidValue, line, violation.Message));
            }

            problems.Sort((a, b) => a.Line.CompareTo(b.Line));
            return problems;
        }

        /// <summary>
        /// The document of <paramref name="limits"/>: a <c>resource_limits</c> mapping with every value under its
        /// snake_case key, sizes as exact size strings (<c>100MB</c>), so that it reads back to equal limits.
        /// </summary>
        public static ConfigMapping Write(ResourceLimits limits)
        {
            var entries = new List<ConfigEntry>
            {
                Entry("max_state_size", Size(limits.MaxStateSize)),
                Entry("max_value_size", Size(limits.MaxValueSize)),
                Entry("max_cache_entries", limits.MaxCacheEntries),
                Entry("cleanup_threshold", limits.CleanupThreshold),
                Entry("cleanup_target", limits.CleanupTarget),
                Entry("auto_cleanup", limits.AutoCleanup),
                Entry("enable_streaming", limits.EnableStreaming),
                Entry("stream_chunk_size", Size(limits.StreamChunkSize)),
            };

            // The prediction settings only when used: files of limits without them read as before.
            if (limits.PredictionHorizon != TimeSpan.Zero || limits.PredictiveCleanup)
            {
                entries.Add(Entry("prediction_horizon", limits.PredictionHorizon.ToString("c", CultureInfo.InvariantCulture)));
                entries.Add(Entry("predictive_cleanup", limits.PredictiveCleanup));
            }

            return new ConfigMapping(0, new[] { new ConfigEntry(SectionKey, 0, new ConfigMapping(0, entries)) });
        }

        private static ConfigEntry Entry(string key, object value) => new ConfigEntry(key, 0, new ConfigScalar(0, value));

        // Plain bytes are written as a number, other sizes as the exact size string.
        private static object Size(long bytes)
        {
            string text = ByteSize.FormatExact(bytes);
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long plain) ? (object)plain : text;
        }

        private static ConfigMapping? FindLimitsMapping(ConfigNode root, List<LimitsProblem> problems, out bool isRoot)
        {
            isRoot = false;
            if (!(root is ConfigMapping top))
            {
                problems.Add(Structure(root.Line,
                    $"the document holds {root.Describe()}; it must hold a mapping of limit names to values, a {SectionKey} mapping, or a {WorkflowKey} with a {SectionKey} mapping."));
                return null;
            }

            ConfigEntry? workflow = FindEntry(top, WorkflowKey);
            if (workflow != null)
            {
                if (!(workflow.Value is ConfigMapping workflowMapping))
                {
                    problems.Add(Structure(workflow.Line, $"{workflow.Key} is {workflow.Value.Describe()}; it must be a mapping that holds {SectionKey}."));
                    return null;
                }

                ConfigEntry? nested = FindEntry(workflowMapping, SectionKey);
                if (nested == null)
                {
                    problems.Add(Structure(workflow.Line, $"{workflow.Key} has no {SectionKey} mapping."));
                    return null;
                }

                return SectionMapping(nested, problems);
            }

            ConfigEntry? section = FindEntry(top, SectionKey);
            if (section != null)
            {
                return SectionMapping(section, problems);
            }

            isRoot = true;
            return top;
        }

        private static ConfigMapping? SectionMapping(ConfigEntry section, List<LimitsProblem> problems)
        {
            switch (section.Value)
            {
                case ConfigMapping mapping:
                    return mapping;
                case ConfigScalar scalar when scalar.Value == null:
                    // 'resource_limits:' with nothing under it: the default limits.
                    return new ConfigMapping(section.Line, Array.Empty<ConfigEntry>());
                default:
                    problems.Add(Structure(section.Line, $"{section.Key} is {section.Value.Describe()}; it must be a mapping of limit names to values."));
                    return null;
            }
        }

        private static ConfigEntry? FindEntry(ConfigMapping mapping, string key)
        {
            string normalized = Normalize(key);
            foreach (ConfigEntry entry in mapping.Entries)
            {
                if (Normalize(entry.Key) == normalized)
                {
                    return entry;
                }
            }

            return null;
        }

        private static LimitsProblem Structure(int line, string message) => new LimitsProblem(LimitsProblemKind.InvalidStructure, line, message);

        private static LimitKey? Find(string key)
        {
            string normalized = Normalize(key);
            foreach (LimitKey candidate in Keys)
            {
                if (candidate.Normalized == normalized)
                {
                    return candidate;
                }
            }

            return null;
        }

        private static bool IsDerived(string key)
        {
            string normalized = Normalize(key);
            return Array.Exists(DerivedProperties, p => Normalize(p) == normalized);
        }

        // Case, '_' and '-' don't matter: max_state_size, MaxStateSize, maxStateSize and max-state-size are one key.
        private static string Normalize(string key)
        {
            var builder = new StringBuilder(key.Length);
            foreach (char c in key)
            {
                if (c != '_' && c != '-')
                {
                    builder.Append(char.ToLowerInvariant(c));
                }
            }

            return builder.ToString();
        }

        private static LimitsProblem UnknownKey(ConfigEntry entry, bool isRoot)
        {
            // At the top of a file the section names are candidates too: 'resource_limit:' is a typo of the section.
            var candidates = new List<string>(KeyNames);
            if (isRoot)
            {
                candidates.Add(SectionKey);
                candidates.Add(WorkflowKey);
            }

            // The edit distance relative to the longer key, so that short keys (preset) don't win by being short:
            // 'MaxChunk' is closer to MaxCacheEntries than to Preset.
            string normalized = Normalize(entry.Key);
            string closest = candidates[0];
            double best = double.MaxValue;
            foreach (string candidate in candidates)
            {
                string other = Normalize(candidate);
                double distance = (double)EditDistance(normalized, other) / Math.Max(1, Math.Max(normalized.Length, other.Length));
                if (distance < best)
                {
                    best = distance;
                    closest = candidate;
                }
            }

            string suggestion = InStyleOf(entry.Key, closest);
            return new LimitsProblem(LimitsProblemKind.UnknownKey, entry.Line,
                $"'{entry.Key}' is not a limit name. The closest known key is '{suggestion}'.", entry.Key, suggestion);
        }

        // Suggest the key the way the user writes keys: max_state_size, max-state-size, MaxStateSize or maxStateSize.
        private static string InStyleOf(string written, string snake)
        {
            if (written.IndexOf('-') >= 0)
            {
                return snake.Replace('_', '-');
            }

            bool hasUpper = false;
            foreach (char c in written)
            {
                hasUpper |= char.IsUpper(c);
            }

            if (written.IndexOf('_') >= 0 || !hasUpper)
            {
                return snake;
            }

            var pascal = new StringBuilder(snake.Length);
            bool upper = char.IsUpper(written[0]);
            foreach (char c in snake)
            {
                if (c == '_')
                {
                    upper = true;
                    continue;
                }

                pascal.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }

            return pascal.ToString();
        }

        // Levenshtein distance; keys are short, so the plain two-row version is enough.
        private static int EditDistance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }

            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                    current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
                }

                int[] swap = previous;
                previous = current;
                current = swap;
            }

            return previous[b.Length];
        }

        private static bool TryConvert(LimitKey key, ConfigEntry entry, List<LimitsProblem> problems, out object result)
        {
            result = 0L;
            string? problem;
            if (key.Kind == ValueKind.Duration && entry.Value is ConfigMapping serialized && TicksOf(serialized) is long ticks)
            {
                // A TimeSpan that ConvertTo-Json wrote as an object of its properties.
                result = TimeSpan.FromTicks(ticks);
                return true;
            }

            if (!(entry.Value is ConfigScalar { Value: { } value }))
            {
                string what = entry.Value is ConfigScalar ? "has no value" : $"is {entry.Value.Describe()}";
                problem = $"{what}; expected {Expected(key.Kind)}.";
            }
            else
            {
                problem = key.Kind switch
                {
                    ValueKind.Preset => ToPreset(value, out result),
                    ValueKind.Size => ToSize(value, out result),
                    ValueKind.Count => ToCount(value, out result),
                    ValueKind.Fraction => ToFraction(value, out result),
                    ValueKind.Duration => ToDuration(value, out result),
                    _ => ToSwitch(value, out result),
                };
            }

            if (problem == null)
            {
                return true;
            }

            problems.Add(new LimitsProblem(LimitsProblemKind.InvalidValue, entry.Line, $"{entry.Key}: {problem}", entry.Key));
            return false;
        }

        private static string Expected(ValueKind kind) =>
            kind switch
            {
                ValueKind.Preset => "a preset: " + PresetNames,
                ValueKind.Size => "a size: " + ByteSize.AcceptedForms,
                ValueKind.Count => "a whole number of entries such as 1000",
                ValueKind.Fraction => "a fraction from 0 to 1 such as 0.8",
                ValueKind.Duration => DurationForms,
                _ => "true or false",
            };

        private static string? ToPreset(object value, out object result)
        {
            result = LimitsPreset.Default;
            if (value is LimitsPreset preset)
            {
                result = preset;
                return null;
            }

            if (value is string text)
            {
                foreach (LimitsPreset candidate in (LimitsPreset[])Enum.GetValues(typeof(LimitsPreset)))
                {
                    if (string.Equals(candidate.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase))
                    {
                        result = candidate;
                        return null;
                    }
                }
            }

            return $"{Show(value)} is not a preset; use {PresetNames}.";
        }

        private static string? ToSize(object value, out object result)
        {
            result = 0L;
            if (!ByteSize.TryConvert(value, out long bytes, out string problem))
            {
                return $"{Show(value)} is not a size: {problem}. A size is {ByteSize.AcceptedForms}.";
            }

            result = bytes;
            return null;
        }

        private static string? ToCount(object value, out object result)
        {
            result = 0L;
            switch (value)
            {
                case long l:
                    result = l;
                    return null;
                case int i:
                    result = (long)i;
                    return null;
                case short s:
                    result = (long)s;
                    return null;
                case byte b:
                    result = (long)b;
                    return null;
                case double d when d == Math.Floor(d) && Math.Abs(d) < 9.2e18:
                    result = (long)d;
                    return null;
                case decimal m when m == decimal.Floor(m) && m >= long.MinValue && m <= long.MaxValue:
                    result = (long)m;
                    return null;
                case string text when long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed):
                    result = parsed;
                    return null;
                default:
                    return $"{Show(value)} is not a whole number of entries; write a number such as 1000.";
            }
        }

        private static string? ToFraction(object value, out object result)
        {
            result = 0.0;
            switch (value)
            {
                case double d:
                    result = d;
                    return null;
                case float f:
                    result = (double)f;
                    return null;
                case decimal m:
                    result = (double)m;
                    return null;
                case long _:
                case int _:
                case short _:
                case byte _:
                    result = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    return null;
                case string text when double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed):
                    result = parsed;
                    return null;
                default:
                    return $"{Show(value)} is not a number; write a fraction from 0 to 1 such as 0.8 (0.8 means 80 %).";
            }
        }

        private const string DurationForms = "a time span such as 00:10:00, 90s, 10m, 2h or 1d (a plain number is seconds)";

        private static string? ToDuration(object value, out object result)
        {
            result = TimeSpan.Zero;
            switch (value)
            {
                case TimeSpan span:
                    result = span;
                    return null;
                case long _:
                case int _:
                case short _:
                case byte _:
                case double _:
                case decimal _:
                    double seconds = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    if (double.IsNaN(seconds) || Math.Abs(seconds) > TimeSpan.MaxValue.TotalSeconds)
                    {
                        break;
                    }

                    result = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
                    return null;
                case string text:
                    if (TryParseDuration(text.Trim(), out TimeSpan parsed))
                    {
                        result = parsed;
                        return null;
                    }

                    break;
            }

            return $"{Show(value)} is not a time span; write {DurationForms}.";
        }

        private static bool TryParseDuration(string text, out TimeSpan span)
        {
            // A plain number is seconds, as for numbers that are not strings (TimeSpan.Parse would read days).
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double plainSeconds) && Math.Abs(plainSeconds) <= TimeSpan.MaxValue.TotalSeconds)
            {
                span = TimeSpan.FromTicks((long)Math.Round(plainSeconds * TimeSpan.TicksPerSecond));
                return true;
            }

            if (text.Length > 1 && double.TryParse(text.Substring(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double amount))
            {
                double unitSeconds;
                switch (char.ToLowerInvariant(text[text.Length - 1]))
                {
                    case 's': unitSeconds = 1; break;
                    case 'm': unitSeconds = 60; break;
                    case 'h': unitSeconds = 3600; break;
                    case 'd': unitSeconds = 86400; break;
                    default: unitSeconds = 0; break;
                }

                if (unitSeconds > 0 && Math.Abs(amount * unitSeconds) <= TimeSpan.MaxValue.TotalSeconds)
                {
                    span = TimeSpan.FromTicks((long)Math.Round(amount * unitSeconds * TimeSpan.TicksPerSecond));
                    return true;
                }
            }

            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out span);
        }

        private static long? TicksOf(ConfigMapping mapping)
        {
            foreach (ConfigEntry entry in mapping.Entries)
            {
                if (string.Equals(entry.Key, nameof(TimeSpan.Ticks), StringComparison.OrdinalIgnoreCase) && entry.Value is ConfigScalar { Value: { } ticks })
                {
                    return ToCount(ticks, out object count) == null ? (long)count : (long?)null;
                }
            }

            return null;
        }

        private static string? ToSwitch(object value, out object result)
        {
            result = false;
            switch (value)
            {
                case bool b:
                    result = b;
                    return null;
                case string text when bool.TryParse(text.Trim(), out bool parsed):
                    result = parsed;
                    return null;
                default:
                    return $"{Show(value)} is not true or false.";
            }
        }

        private static string Show(object? value) =>
            value switch
            {
                null => "an empty value",
                string text => $"'{text}'",
                bool b => b ? "true" : "false",
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => $"a {value.GetType().Name}",
            };

        private static void Apply(ResourceLimitsBuilder builder, string property, object value)
        {
            switch (property)
            {
                case nameof(ResourceLimits.MaxStateSize): builder.MaxStateSize((long)value); break;
                case nameof(ResourceLimits.MaxValueSize): builder.MaxValueSize((long)value); break;
                case nameof(ResourceLimits.MaxCacheEntries): builder.MaxCacheEntries((long)value); break;
                case nameof(ResourceLimits.CleanupThreshold): builder.CleanupThreshold((double)value); break;
                case nameof(ResourceLimits.CleanupTarget): builder.CleanupTarget((double)value); break;
                case nameof(ResourceLimits.AutoCleanup): builder.AutoCleanup((bool)value); break;
                case nameof(ResourceLimits.EnableStreaming): builder.EnableStreaming((bool)value); break;
                case nameof(ResourceLimits.StreamChunkSize): builder.StreamChunkSize((long)value); break;
                case nameof(ResourceLimits.PredictionHorizon): builder.PredictionHorizon((TimeSpan)value); break;
                case nameof(ResourceLimits.PredictiveCleanup): builder.PredictiveCleanup((bool)value); break;
            }
        }

        private sealed class LimitKey
        {
            public LimitKey(string snake, string property, ValueKind kind)
            {
                Snake = snake;
                Property = property;
                Kind = kind;
                Normalized = Normalize(snake);
            }

            public string Snake { get; }

            public string Property { get; }

            public ValueKind Kind { get; }

            public string Normalized { get; }
        }
    }
}
