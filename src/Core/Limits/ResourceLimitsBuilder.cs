using System;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Builds <see cref="ResourceLimits"/>. <see cref="Build"/> never throws: call
    /// <see cref="ResourceLimits.Validate"/> to see every problem at once.
    /// </summary>
    public sealed class ResourceLimitsBuilder
    {
        private const long DefaultMaxValueSize = 10 * ResourceLimits.MiB;
        private const long DefaultStreamChunkSize = ResourceLimits.MiB;

        private long _maxStateSize = 100 * ResourceLimits.MiB;
        private long? _maxValueSize;
        private long _maxCacheEntries = 1000;
        private double _cleanupThreshold = 0.8;
        private double? _cleanupTarget;
        private bool _autoCleanup = true;
        private bool _enableStreaming;
        private long? _streamChunkSize;
        private TimeSpan _predictionHorizon = TimeSpan.Zero;
        private bool _predictiveCleanup;

        /// <summary>Total bytes all resident values may take (default 100 MiB).</summary>
        public ResourceLimitsBuilder MaxStateSize(long bytes) { _maxStateSize = bytes; return this; }

        /// <summary>Bytes one value may take (default 10 MiB, or MaxStateSize when that is smaller).</summary>
        public ResourceLimitsBuilder MaxValueSize(long bytes) { _maxValueSize = bytes; return this; }

        /// <summary>How many entries may be held (default 1000).</summary>
        public ResourceLimitsBuilder MaxCacheEntries(long count) { _maxCacheEntries = count; return this; }

        /// <summary>Fraction of the limits at which cleanup is due (default 0.8).</summary>
        public ResourceLimitsBuilder CleanupThreshold(double fraction) { _cleanupThreshold = fraction; return this; }

        /// <summary>Fraction automatic cleanup brings usage down to (default: threshold − 0.1, not below 0).</summary>
        public ResourceLimitsBuilder CleanupTarget(double fraction) { _cleanupTarget = fraction; return this; }

        /// <summary>Whether the monitor evicts by itself (default true).</summary>
        public ResourceLimitsBuilder AutoCleanup(bool enabled) { _autoCleanup = enabled; return this; }

        /// <summary>Whether values over MaxValueSize are admitted as streamed entries (default false).</summary>
        public ResourceLimitsBuilder EnableStreaming(bool enabled) { _enableStreaming = enabled; return this; }

        /// <summary>Bytes of a streamed value held in memory (default 1 MiB, or MaxValueSize when that is smaller).</summary>
        public ResourceLimitsBuilder StreamChunkSize(long bytes) { _streamChunkSize = bytes; return this; }

        /// <summary>Raise PredictedExhaustion when the threshold is predicted within this time (default zero: off).</summary>
        public ResourceLimitsBuilder PredictionHorizon(TimeSpan horizon) { _predictionHorizon = horizon; return this; }

        /// <summary>Start automatic cleanup early while exhaustion is predicted within the horizon (default false).</summary>
        public ResourceLimitsBuilder PredictiveCleanup(bool enabled) { _predictiveCleanup = enabled; return this; }

        /// <summary>The limits as set; never throws, even when they are invalid.</summary>
        public ResourceLimits Build()
        {
            long maxValueSize = _maxValueSize ?? DefaultNotAbove(DefaultMaxValueSize, _maxStateSize);
            return new ResourceLimits(
                _maxStateSize,
                maxValueSize,
                _maxCacheEntries,
                _cleanupThreshold,
                _cleanupTarget ?? DefaultTarget(_cleanupThreshold),
                _autoCleanup,
                _enableStreaming,
                _streamChunkSize ?? DefaultNotAbove(DefaultStreamChunkSize, maxValueSize),
                _predictionHorizon,
                _predictiveCleanup);
        }

        // A default never makes limits invalid by itself: 'MaxStateSize(100 KB)' alone must build valid limits,
        // so an unset value limit (or chunk) shrinks to fit the limit above it. Values set explicitly are kept
        // as given, and Validate reports them.
        private static long DefaultNotAbove(long defaultValue, long limitAbove) =>
            limitAbove > 0 && limitAbove < defaultValue ? limitAbove : defaultValue;

        // Rounded so that 0.8 - 0.1 is 0.7 and byte targets come out as people compute them; kept inside
        // 0..0.9 so that an invalid threshold is reported once, not again through the target derived from it.
        private static double DefaultTarget(double threshold) =>
            double.IsNaN(threshold) ? 0 : Math.Min(0.9, Math.Max(0, Math.Round(threshold - 0.1, 10)));
    }
}
