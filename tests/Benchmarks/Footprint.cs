using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using BitFaster.Caching.Lru;
using Microsoft.Extensions.Caching.Memory;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>One structure's retained memory per entry.</summary>
    public sealed class FootprintResult
    {
        public FootprintResult(string name, long entries, long bytes)
        {
            Name = name;
            Entries = entries;
            Bytes = bytes;
        }

        public string Name { get; }

        public long Entries { get; }

        public long Bytes { get; }

        public double BytesPerEntry => Entries == 0 ? 0 : (double)Bytes / Entries;
    }

    /// <summary>
    /// Memory per tracked entry: GC.GetTotalMemory(true) before and after filling each structure with the
    /// same pre-created keys, so the key strings (which every structure shares with its caller) are excluded.
    /// Not a BenchmarkDotNet benchmark: it measures what stays alive, not what a call allocates.
    /// </summary>
    public static class Footprint
    {
        public const string MonitorName = "StateMonitor (detailed)";
        public const string FloorName = "ConcurrentDictionary<string,long> (floor)";

        public static IReadOnlyList<FootprintResult> Measure(int entries)
        {
            string[] keys = BenchmarkData.Keys(entries);
            long[] sizes = BenchmarkData.Sizes(entries);
            var options = new MemoryCacheEntryOptions { Size = 1024 };
            var results = new List<FootprintResult>
            {
                Run(MonitorName, () =>
                {
                    StateMonitor monitor = BenchmarkData.DetailedMonitor(2L * entries, 4096L * entries);
                    for (int i = 0; i < keys.Length; i++)
                    {
                        monitor.RecordAllocation(keys[i], sizes[i]);
                    }

                    return (monitor, monitor.ValueCount);
                }),
                Run("StateMonitor (fast)", () =>
                {
                    StateMonitor monitor = BenchmarkData.UnlimitedFastMonitor();
                    for (int i = 0; i < keys.Length; i++)
                    {
                        monitor.RecordAllocation(keys[i], sizes[i]);
                    }

                    return (monitor, monitor.ValueCount);
                }),
                Run(FloorName, () =>
                {
                    var map = BenchmarkData.Dictionary(keys, sizes);
                    return (map, map.Count);
                }),
                Run("BitFaster ConcurrentLru<string,long>", () =>
                {
                    ConcurrentLru<string, long> lru = BenchmarkData.FilledLru(entries, keys, sizes);
                    return (lru, lru.Count);
                }),
                Run("MemoryCache (SizeLimit, Size)", () =>
                {
                    MemoryCache cache = BenchmarkData.SizedMemoryCache(2048L * entries);
                    for (int i = 0; i < keys.Length; i++)
                    {
                        cache.Set(keys[i], BenchmarkData.CachedValue, options);
                    }

                    return (cache, cache.Count);
                }),
            };

            GC.KeepAlive(keys);
            return results;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static FootprintResult Run(string name, Func<(object Structure, long Count)> build)
        {
            long before = Settle();
            (object structure, long count) = build();
            long after = Settle();
            GC.KeepAlive(structure);
            (structure as IDisposable)?.Dispose();
            return new FootprintResult(name, count, after - before);
        }

        private static long Settle()
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            return GC.GetTotalMemory(forceFullCollection: true);
        }
    }
}
