using System;
using System.Collections.Concurrent;
using System.Globalization;
using BitFaster.Caching.Lru;
using Microsoft.Extensions.Caching.Memory;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>
    /// Keys, sizes and the three structures under test, built the same way for every benchmark so that the
    /// monitor and its peers always see identical keys and sizes.
    /// </summary>
    internal static class BenchmarkData
    {
        /// <summary>The value MemoryCache stores (the monitor stores only sizes, ConcurrentLru stores the size as its value).</summary>
        public static readonly object CachedValue = new object();

        /// <summary>Keys that look like a workflow's state keys; created up front so no benchmark pays for them.</summary>
        public static string[] Keys(int count, int offset = 0)
        {
            var keys = new string[count];
            for (int i = 0; i < count; i++)
            {
                keys[i] = "state/step-" + (offset + i).ToString("D7", CultureInfo.InvariantCulture) + "/output";
            }

            return keys;
        }

        /// <summary>Sizes from 1 KiB to 2 KiB in 16-byte steps, spread over the keys.</summary>
        public static long[] Sizes(int count)
        {
            var sizes = new long[count];
            for (int i = 0; i < count; i++)
            {
                sizes[i] = 1024 + ((i * 37) % 64) * 16;
            }

            return sizes;
        }

        /// <summary>A detailed monitor with room for <paramref name="entries"/> entries and <paramref name="bytes"/> bytes.</summary>
        public static StateMonitor DetailedMonitor(long entries, long bytes, bool autoCleanup = true, double threshold = 0.8, double target = 0.7) =>
            DetailedMonitor(entries, bytes, null, TimeSpan.Zero, autoCleanup, threshold, target);

        /// <summary>The same with usage history settings (null: the default, 1 s on the system clock) and a prediction horizon.</summary>
        public static StateMonitor DetailedMonitor(long entries, long bytes, UsageHistorySettings? history, TimeSpan predictionHorizon, bool autoCleanup = true, double threshold = 0.8, double target = 0.7) =>
            new StateMonitor(
                ResourceLimits.Builder()
                    .MaxStateSize(bytes)
                    .MaxValueSize(Math.Min(bytes, 10 * ResourceLimits.MiB))
                    .StreamChunkSize(Math.Min(bytes, ResourceLimits.MiB))
                    .MaxCacheEntries(entries)
                    .CleanupThreshold(threshold)
                    .CleanupTarget(target)
                    .AutoCleanup(autoCleanup)
                    .PredictionHorizon(predictionHorizon)
                    .Build(),
                "bench",
                StateMonitor.DefaultMaxAlerts,
                history);

        /// <summary>A fast monitor whose limits are never reached.</summary>
        public static StateMonitor UnlimitedFastMonitor() =>
            StateMonitor.CreateFast(
                ResourceLimits.Builder()
                    .MaxStateSize(long.MaxValue / 2)
                    .MaxCacheEntries(long.MaxValue / 2)
                    .Build(),
                "bench-fast");

        /// <summary>A ConcurrentLru that keeps every key: each is read once after it is added, so it stays in the warm queue.</summary>
        public static ConcurrentLru<string, long> FilledLru(int capacity, string[] keys, long[] sizes)
        {
            var lru = new ConcurrentLru<string, long>(capacity);
            Fill(lru, keys, sizes);
            return lru;
        }

        public static void Fill(ConcurrentLru<string, long> lru, string[] keys, long[] sizes)
        {
            for (int i = 0; i < keys.Length; i++)
            {
                lru.AddOrUpdate(keys[i], sizes[i]);
                lru.TryGet(keys[i], out _);
            }
        }

        public static MemoryCache SizedMemoryCache(long sizeLimit) =>
            new MemoryCache(new MemoryCacheOptions { SizeLimit = sizeLimit, TrackStatistics = false });

        public static MemoryCacheEntryOptions[] EntryOptions(long[] sizes, long delta = 0)
        {
            var options = new MemoryCacheEntryOptions[sizes.Length];
            for (int i = 0; i < sizes.Length; i++)
            {
                options[i] = new MemoryCacheEntryOptions { Size = sizes[i] + delta };
            }

            return options;
        }

        public static ConcurrentDictionary<string, long> Dictionary(string[] keys, long[] sizes)
        {
            var map = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            for (int i = 0; i < keys.Length; i++)
            {
                map[keys[i]] = sizes[i];
            }

            return map;
        }

        public static void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new InvalidOperationException("Benchmark setup is wrong: " + message);
            }
        }
    }
}
