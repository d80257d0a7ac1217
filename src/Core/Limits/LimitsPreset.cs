using System;

namespace AgentFlow.Resources
{
    /// <summary>The configuration profiles of the design document.</summary>
    public enum LimitsPreset
    {
        /// <summary>100 MiB state, 10 MiB per value, 1000 entries, cleanup at 80 %, automatic.</summary>
        Default,

        /// <summary>25 MiB state, 2 MiB per value, 250 entries, cleanup at 70 %, automatic.</summary>
        MemoryConstrained,

        /// <summary>500 MiB state, 50 MiB per value, 5000 entries, cleanup at 90 %, manual (fail fast).</summary>
        HighThroughput,

        /// <summary>100 MiB state, 10 MiB per value, streaming in 5 MiB chunks.</summary>
        Streaming,

        /// <summary>1 GiB state, 100 MiB per value, 10000 entries, automatic: permissive, for development.</summary>
        Development,
    }

    internal static class LimitsPresets
    {
        public static ResourceLimits Create(LimitsPreset preset) => Builder(preset).Build();

        public static ResourceLimitsBuilder Builder(LimitsPreset preset)
        {
            const long MiB = ResourceLimits.MiB;
            switch (preset)
            {
                case LimitsPreset.Default:
                    return ResourceLimits.Builder();
                case LimitsPreset.MemoryConstrained:
                    return ResourceLimits.Builder().MaxStateSize(25 * MiB).MaxValueSize(2 * MiB).MaxCacheEntries(250).CleanupThreshold(0.7).AutoCleanup(true);
                case LimitsPreset.HighThroughput:
                    return ResourceLimits.Builder().MaxStateSize(500 * MiB).MaxValueSize(50 * MiB).MaxCacheEntries(5000).CleanupThreshold(0.9).AutoCleanup(false);
                case LimitsPreset.Streaming:
                    return ResourceLimits.Builder().MaxStateSize(100 * MiB).MaxValueSize(10 * MiB).EnableStreaming(true).StreamChunkSize(5 * MiB);
                case LimitsPreset.Development:
                    return ResourceLimits.Builder().MaxStateSize(1024 * MiB).MaxValueSize(100 * MiB).MaxCacheEntries(10000).AutoCleanup(true);
                default:
                    throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown preset. Use Default, MemoryConstrained, HighThroughput, Streaming or Development.");
            }
        }
    }
}
