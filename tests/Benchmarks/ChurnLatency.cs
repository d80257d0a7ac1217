using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using BitFaster.Caching.Lru;
using Microsoft.Extensions.Caching.Memory;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>
    /// Tail latency under churn at capacity (the workload of <see cref="ChurnBenchmarks"/>: every call records a
    /// key that is not present, capacity 10,000 entries of 1 KiB): each call is timed on its own with
    /// Stopwatch.GetTimestamp, and p50, p99 and p99.9 are taken over all calls. Structures run in turn in one
    /// process, each after a fill to twice its capacity. The monitor runs at several CleanupTarget values with
    /// the threshold at 0.8: the smaller the gap, the smaller each eviction batch and the shorter the one call
    /// that pays for it. MemoryCache's Set of a new key is checked afterwards (TryGetValue): the calls it dropped
    /// silently are counted, since a dropped Set is cheap and flatters its figures.
    /// </summary>
    public static class ChurnLatency
    {
        private const int Capacity = ChurnBenchmarks.Capacity;
        private const long EntrySize = 1024;

        public sealed class Result
        {
            public Result(string name, double p50, double p99, double p999, double max, double? dropped)
            {
                Name = name;
                P50 = p50;
                P99 = p99;
                P999 = p999;
                Max = max;
                Dropped = dropped;
            }

            public string Name { get; }

            public double P50 { get; }

            public double P99 { get; }

            public double P999 { get; }

            public double Max { get; }

            /// <summary>The fraction of new-key Set calls that left no entry behind (MemoryCache only).</summary>
            public double? Dropped { get; }
        }

        public static IReadOnlyList<Result> Measure(int calls)
        {
            string[] pool = BenchmarkData.Keys(4 * Capacity, offset: 1_000_000);
            var results = new List<Result>();
            foreach (double target in new[] { 0.7, 0.75, 0.79 })
            {
                StateMonitor monitor = BenchmarkData.DetailedMonitor(Capacity, Capacity * EntrySize, target: target);
                results.Add(Time($"StateMonitor, CleanupTarget {target.ToString(CultureInfo.InvariantCulture)}", pool, calls, key => monitor.RecordAllocation(key, EntrySize)));
            }

            var lru = new ConcurrentLru<string, long>(Capacity);
            results.Add(Time("ConcurrentLru", pool, calls, key => lru.AddOrUpdate(key, EntrySize)));

            using (MemoryCache cache = BenchmarkData.SizedMemoryCache(Capacity * EntrySize))
            {
                var options = new MemoryCacheEntryOptions { Size = EntrySize };
                Result timed = Time("MemoryCache", pool, calls, key => cache.Set(key, BenchmarkData.CachedValue, options));
                long dropped = 0;
                int cursor = 0;
                for (int i = 0; i < calls; i++)
                {
                    string key = pool[cursor];
                    cursor = cursor + 1 == pool.Length ? 0 : cursor + 1;
                    cache.Remove(key); // a new key, as in the timed run
                    cache.Set(key, BenchmarkData.CachedValue, options);
                    if (!cache.TryGetValue(key, out _))
                    {
                        dropped++;
                    }
                }

                results.Add(new Result(timed.Name, timed.P50, timed.P99, timed.P999, timed.Max, (double)dropped / calls));
            }

            return results;
        }

        public static string ToMarkdown(IReadOnlyList<Result> results)
        {
            var text = new StringBuilder();
            text.AppendLine("| structure | p50 | p99 | p99.9 | max | new-key Set dropped |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (Result r in results)
            {
                string dropped = r.Dropped.HasValue ? r.Dropped.Value.ToString("P1", CultureInfo.InvariantCulture) : "-";
                text.AppendLine(FormattableString.Invariant($"| {r.Name} | {Micro(r.P50)} | {Micro(r.P99)} | {Micro(r.P999)} | {Micro(r.Max)} | {dropped} |"));
            }

            return text.ToString();
        }

        private static string Micro(double nanoseconds) =>
            nanoseconds < 1000 ? FormattableString.Invariant($"{nanoseconds:F0} ns") : FormattableString.Invariant($"{nanoseconds / 1000:F1} µs");

        private static Result Time(string name, string[] pool, int calls, Action<string> call)
        {
            int cursor = 0;
            for (int i = 0; i < 2 * Capacity + calls; i++)
            {
                // Fill past capacity and warm up with the same number of calls as are timed.
                call(pool[cursor]);
                cursor = cursor + 1 == pool.Length ? 0 : cursor + 1;
            }

            GC.Collect();
            var ticks = new long[calls];
            for (int i = 0; i < calls; i++)
            {
                string key = pool[cursor];
                cursor = cursor + 1 == pool.Length ? 0 : cursor + 1;
                long start = Stopwatch.GetTimestamp();
                call(key);
                ticks[i] = Stopwatch.GetTimestamp() - start;
            }

            Array.Sort(ticks);
            double toNs = 1e9 / Stopwatch.Frequency;
            return new Result(name, ticks[calls / 2] * toNs, ticks[(int)(calls * 0.99)] * toNs, ticks[(int)(calls * 0.999)] * toNs, ticks[calls - 1] * toNs, null);
        }
    }
}
