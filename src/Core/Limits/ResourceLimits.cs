using System;
using System.Collections.Generic;
using System.Globalization;

namespace AgentFlow.Resources
{
    /// <summary>
    /// The budget a <see cref="StateMonitor"/> enforces: total bytes, bytes per value, entry count, when
    /// cleanup is due and how far it goes. Immutable; build one with <see cref="Builder()"/> or a preset.
    /// </summary>
    public sealed class ResourceLimits
    {
        /// <summary>1 MiB.</summary>
        public const long MiB = 1024L * 1024L;

        /// <summary>The limits of the design document: 100 MiB state, 10 MiB per value, 1000 entries, cleanup at 80 %.</summary>
        public static ResourceLimits Default { get; } = new ResourceLimitsBuilder().Build();

        internal ResourceLimits(
            long maxStateSize,
            long maxValueSize,
            long maxCacheEntries,
            double cleanupThreshold,
            double cleanupTarget,
            bool autoCleanup,
            bool enableStreaming,
            long streamChunkSize,
            TimeSpan predictionHorizon,
            bool predictiveCleanup)
        {
            MaxStateSize = maxStateSize;
            MaxValueSize = maxValueSize;
            MaxCacheEntries = maxCacheEntries;
            CleanupThreshold = cleanupThreshold;
            CleanupTarget = cleanupTarget;
            AutoCleanup = autoCleanup;
            EnableStreaming = enableStreaming;
            StreamChunkSize = streamChunkSize;
            PredictionHorizon = predictionHorizon;
            PredictiveCleanup = predictiveCleanup;
            CleanupThresholdBytes = FloorProduct(maxStateSize, cleanupThreshold);
            CleanupTargetBytes = FloorProduct(maxStateSize, cleanupTarget);
            CleanupThresholdEntries = CeilingProduct(maxCacheEntries, cleanupThreshold);
            CleanupTargetEntries = FloorProduct(maxCacheEntries, cleanupTarget);
        }

        /// <summary>Starts a builder with the default values.</summary>
        public static ResourceLimitsBuilder Builder() => new ResourceLimitsBuilder();

        /// <summary>The limits of a named configuration profile of the design document.</summary>
        public static ResourceLimits FromPreset(LimitsPreset preset) => LimitsPresets.Create(preset);

        /// <summary>A builder starting from a preset, to change some of its values.</summary>
        public static ResourceLimitsBuilder Builder(LimitsPreset preset) => LimitsPresets.Builder(preset);

        /// <summary>Total bytes all resident values may take.</summary>
        public long MaxStateSize { get; }

        /// <summary>Bytes one value may take (larger values are streamed when <see cref="EnableStreaming"/> is on).</summary>
        public long MaxValueSize { get; }

        /// <summary>How many entries the monitor may hold.</summary>
        public long MaxCacheEntries { get; }

        /// <summary>Fraction (0..1) of the limits at which cleanup is due.</summary>
        public double CleanupThreshold { get; }

        /// <summary>Fraction (0..1) automatic cleanup brings usage down to.</summary>
        public double CleanupTarget { get; }

        /// <summary>Whether the monitor evicts least-recently-used entries by itself.</summary>
        public bool AutoCleanup { get; }

        /// <summary>Whether values larger than <see cref="MaxValueSize"/> are admitted as streamed entries.</summary>
        public bool EnableStreaming { get; }

        /// <summary>Bytes of a streamed value held in memory (one chunk).</summary>
        public long StreamChunkSize { get; }

        /// <summary>
        /// How far ahead the monitor looks: when usage is predicted to reach the cleanup threshold sooner than this,
        /// it raises PredictedExhaustion. <see cref="TimeSpan.Zero"/> (the default) turns prediction alerts off.
        /// </summary>
        public TimeSpan PredictionHorizon { get; }

        /// <summary>Whether automatic cleanup starts early, down to the cleanup target, while exhaustion is predicted within <see cref="PredictionHorizon"/>.</summary>
        public bool PredictiveCleanup { get; }

        /// <summary>floor(MaxStateSize × CleanupThreshold).</summary>
        public long CleanupThresholdBytes { get; }

        /// <summary>floor(MaxStateSize × CleanupTarget): where automatic cleanup stops.</summary>
        public long CleanupTargetBytes { get; }

        /// <summary>The entry count at which cleanup is due: ceiling(MaxCacheEntries × CleanupThreshold).</summary>
        public long CleanupThresholdEntries { get; }

        /// <summary>floor(MaxCacheEntries × CleanupTarget): the entry count automatic cleanup stops at.</summary>
        public long CleanupTargetEntries { get; }

        /// <summary>True when <paramref name="size"/> is over <see cref="MaxStateSize"/>.</summary>
        public bool ExceedsStateLimit(long size) => size > MaxStateSize;

        /// <summary>True when <paramref name="size"/> is over <see cref="MaxValueSize"/>.</summary>
        public bool ExceedsValueLimit(long size) => size > MaxValueSize;

        /// <summary>True when <paramref name="count"/> is over <see cref="MaxCacheEntries"/>.</summary>
        public bool ExceedsCacheLimit(long count) => count > MaxCacheEntries;

        /// <summary>True when a value of <paramref name="size"/> bytes is admitted as a streamed entry: larger than MaxValueSize, with streaming on.</summary>
        public bool IsStreamed(long size) => EnableStreaming && size > MaxValueSize;

        /// <summary>The bytes a value of <paramref name="size"/> counts against MaxStateSize: one chunk when it is streamed, else all of it.</summary>
        public long ResidentSize(long size) =>
            IsStreamed(size) &&
            // Stryker disable once Equality : at size == StreamChunkSize both branches return the same number.
            size > StreamChunkSize ? StreamChunkSize : size;

        /// <summary>True when <paramref name="currentSize"/> is at or above <see cref="CleanupThresholdBytes"/>, whatever <see cref="AutoCleanup"/> says.</summary>
        public bool ShouldCleanup(long currentSize) => currentSize >= CleanupThresholdBytes;

        /// <summary>True when <see cref="Validate"/> finds no problem.</summary>
        public bool IsValid => Validate().Count == 0;

        /// <summary>Every problem with these limits, each a sentence naming the property and its value; empty when valid.</summary>
        public IReadOnlyList<string> Validate()
        {
            List<LimitsViolation> violations = FindViolations();
            var problems = new string[violations.Count];
            for (int i = 0; i < problems.Length; i++)
            {
                problems[i] = violations[i].Message;
            }

            return problems;
        }

        // The problems with the properties each is about, so that a limits file can point at the lines to fix.
        internal List<LimitsViolation> FindViolations()
        {
            var problems = new List<LimitsViolation>();
            if (MaxStateSize <= 0)
            {
                problems.Add(new LimitsViolation($"MaxStateSize must be greater than 0, but is {MaxStateSize}.", nameof(MaxStateSize)));
            }

            if (MaxValueSize <= 0)
            {
                problems.Add(new LimitsViolation($"MaxValueSize must be greater than 0, but is {MaxValueSize}.", nameof(MaxValueSize)));
            }
            else if (MaxValueSize > MaxStateSize)
            {
                problems.Add(new LimitsViolation($"MaxValueSize ({MaxValueSize}) must not be greater than MaxStateSize ({MaxStateSize}).", nameof(MaxValueSize), nameof(MaxStateSize)));
            }

            if (MaxCacheEntries <= 0)
            {
                problems.Add(new LimitsViolation($"MaxCacheEntries must be greater than 0, but is {MaxCacheEntries}.", nameof(MaxCacheEntries)));
            }

            bool thresholdValid = !double.IsNaN(CleanupThreshold) && CleanupThreshold > 0 && CleanupThreshold <= 1;
            if (!thresholdValid)
            {
                problems.Add(new LimitsViolation($"CleanupThreshold must be a fraction greater than 0 and at most 1 (0.8 means 80 %), but is {Show(CleanupThreshold)}.", nameof(CleanupThreshold)));
            }

            if (double.IsNaN(CleanupTarget) || CleanupTarget < 0 || CleanupTarget >= 1)
            {
                problems.Add(new LimitsViolation($"CleanupTarget must be a fraction from 0 up to (not including) 1, but is {Show(CleanupTarget)}.", nameof(CleanupTarget)));
            }
            else if (thresholdValid && CleanupTarget >= CleanupThreshold)
            {
                problems.Add(new LimitsViolation($"CleanupTarget ({Show(CleanupTarget)}) must be less than CleanupThreshold ({Show(CleanupThreshold)}).", nameof(CleanupTarget), nameof(CleanupThreshold)));
            }

            if (StreamChunkSize <= 0)
            {
                problems.Add(new LimitsViolation($"StreamChunkSize must be greater than 0, but is {StreamChunkSize}.", nameof(StreamChunkSize)));
            }
            else if (MaxValueSize > 0 && StreamChunkSize > MaxValueSize)
            {
                problems.Add(new LimitsViolation($"StreamChunkSize ({StreamChunkSize}) must not be greater than MaxValueSize ({MaxValueSize}).", nameof(StreamChunkSize), nameof(MaxValueSize)));
            }

            if (PredictionHorizon < TimeSpan.Zero)
            {
                problems.Add(new LimitsViolation($"PredictionHorizon must be 0 (off) or a positive time span, but is {PredictionHorizon}.", nameof(PredictionHorizon)));
            }

            if (PredictiveCleanup && PredictionHorizon <= TimeSpan.Zero)
            {
                problems.Add(new LimitsViolation("PredictiveCleanup needs a PredictionHorizon greater than 0: it cleans up when exhaustion is predicted within that horizon.", nameof(PredictiveCleanup), nameof(PredictionHorizon)));
            }

            if (PredictiveCleanup && !AutoCleanup)
            {
                problems.Add(new LimitsViolation("PredictiveCleanup needs AutoCleanup: it starts the automatic cleanup early.", nameof(PredictiveCleanup), nameof(AutoCleanup)));
            }

            return problems;
        }

        /// <summary>Throws an <see cref="ArgumentException"/> listing every problem when the limits are invalid.</summary>
        public void EnsureValid(string paramName)
        {
            IReadOnlyList<string> problems = Validate();
            if (problems.Count > 0)
            {
                throw new ArgumentException("The resource limits are invalid: " + string.Join(" ", problems), paramName);
            }
        }

        /// <summary>A builder holding these values, to derive changed limits.</summary>
        public ResourceLimitsBuilder ToBuilder() =>
            new ResourceLimitsBuilder()
                .MaxStateSize(MaxStateSize)
                .MaxValueSize(MaxValueSize)
                .MaxCacheEntries(MaxCacheEntries)
                .CleanupThreshold(CleanupThreshold)
                .CleanupTarget(CleanupTarget)
                .AutoCleanup(AutoCleanup)
                .EnableStreaming(EnableStreaming)
                .StreamChunkSize(StreamChunkSize)
                .PredictionHorizon(PredictionHorizon)
                .PredictiveCleanup(PredictiveCleanup);

        /// <summary>True when <paramref name="obj"/> is limits with the same ten values (the derived byte and entry figures follow from them).</summary>
        public override bool Equals(object? obj) =>
            obj is ResourceLimits other &&
            MaxStateSize == other.MaxStateSize &&
            MaxValueSize == other.MaxValueSize &&
            MaxCacheEntries == other.MaxCacheEntries &&
            CleanupThreshold.Equals(other.CleanupThreshold) &&
            CleanupTarget.Equals(other.CleanupTarget) &&
            AutoCleanup == other.AutoCleanup &&
            EnableStreaming == other.EnableStreaming &&
            StreamChunkSize == other.StreamChunkSize &&
            PredictionHorizon == other.PredictionHorizon &&
            PredictiveCleanup == other.PredictiveCleanup;

        /// <inheritdoc />
        public override int GetHashCode()
        {
            // Stryker disable all : the contract is only that equal limits hash equally; every mutant of this mixing is another function of the same ten values, so equal limits still hash equally.
            unchecked
            {
                int hash = MaxStateSize.GetHashCode();
                hash = (hash * 31) + MaxValueSize.GetHashCode();
                hash = (hash * 31) + MaxCacheEntries.GetHashCode();
                hash = (hash * 31) + CleanupThreshold.GetHashCode();
                hash = (hash * 31) + CleanupTarget.GetHashCode();
                hash = (hash * 31) + (AutoCleanup ? 1 : 0) + (EnableStreaming ? 2 : 0) + (PredictiveCleanup ? 4 : 0);
                hash = (hash * 31) + PredictionHorizon.GetHashCode();
                return (hash * 31) + StreamChunkSize.GetHashCode();
            }

            // Stryker restore all
        }

        /// <inheritdoc />
        public override string ToString() =>
            $"State {ByteSize.Format(MaxStateSize)}, value {ByteSize.Format(MaxValueSize)}, {MaxCacheEntries} entries, " +
            $"cleanup at {Wording.Percent(CleanupThreshold)} to {Wording.Percent(CleanupTarget)}" +
            (AutoCleanup ? " (automatic)" : " (manual)") +
            (EnableStreaming ? $", streaming in {ByteSize.Format(StreamChunkSize)} chunks" : string.Empty) +
            (PredictionHorizon > TimeSpan.Zero ? $", prediction horizon {Horizon(PredictionHorizon)}" + (PredictiveCleanup ? " (predictive cleanup)" : string.Empty) : string.Empty);

        private static string Show(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

        private static string Horizon(TimeSpan horizon) =>
            // Stryker disable once String : an empty TimeSpan format is "c", so "" formats the same.
            horizon.ToString("c", CultureInfo.InvariantCulture);

        internal static long FloorProduct(long value, double fraction) => Clamp(Math.Floor(Product(value, fraction)));

        private static long CeilingProduct(long value, double fraction) => Clamp(Math.Ceiling(Product(value, fraction)));

        // 0.07 × 100 is 7.000000000000001 in binary floating point; people mean 7, so snap products that
        // are whole numbers but for rounding noise (a few units in the last place, about 1e-16 of the value)
        // before taking the floor or ceiling. Real fractions of a byte, such as 214748364.8, are kept.
        private static double Product(long value, double fraction)
        {
            double product = value * fraction;
            double nearest = Math.Round(product);
            return Math.Abs(product - nearest) <= 1e-15 * Math.Max(1.0, Math.Abs(product)) ? nearest : product;
        }

        // Casting 2^63 or NaN to long is unspecified (long.MinValue on .NET Framework hosts), so clamp first.
        internal static long Clamp(double product) =>
            double.IsNaN(product) ||
            // Stryker disable once Equality : at 0 both branches give 0.
            product < 0 ? 0 : product >= 9223372036854775808.0 ? long.MaxValue : (long)product;
    }
}
