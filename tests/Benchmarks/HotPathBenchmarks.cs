using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BitFaster.Caching.Lru;
using Microsoft.Extensions.Caching.Memory;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>
    /// Operations on keys that already exist, 10,000 of them, every key once per invocation (results are per
    /// operation). Update: a new size for the key (it alternates by one byte so every call is a real change).
    /// Access: make the key most recently used / read it.
    /// </summary>
    [MemoryDiagnoser]
    [CategoriesColumn]
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    public class HotPathBenchmarks
    {
        public const int KeyCount = 10_000;

        private string[] _keys = Array.Empty<string>();
        private long[] _sizes = Array.Empty<long>();
        private MemoryCacheEntryOptions[][] _options = Array.Empty<MemoryCacheEntryOptions[]>();
        private StateMonitor _monitor = null!;
        private ConcurrentLru<string, long> _lru = null!;
        private MemoryCache _cache = null!;
        private int _flip;

        [GlobalSetup]
        public void Setup()
        {
            _keys = BenchmarkData.Keys(KeyCount);
            _sizes = BenchmarkData.Sizes(KeyCount);
            _options = new[] { BenchmarkData.EntryOptions(_sizes, 0), BenchmarkData.EntryOptions(_sizes, 1) };

            // Room for twice the keys and bytes: nothing is ever evicted and no threshold is crossed.
            _monitor = BenchmarkData.DetailedMonitor(2 * KeyCount, 2 * KeyCount * 4096L);
            _lru = BenchmarkData.FilledLru(2 * KeyCount, _keys, _sizes);
            _cache = BenchmarkData.SizedMemoryCache(2 * KeyCount * 4096L);
            for (int i = 0; i < KeyCount; i++)
            {
                _monitor.RecordAllocation(_keys[i], _sizes[i]);
                _cache.Set(_keys[i], BenchmarkData.CachedValue, _options[0][i]);
            }

            BenchmarkData.Require(_monitor.ValueCount == KeyCount, "monitor lost keys");
            BenchmarkData.Require(_lru.Count == KeyCount, $"ConcurrentLru holds {_lru.Count} keys, not {KeyCount}");
            BenchmarkData.Require(_cache.Count == KeyCount, $"MemoryCache holds {_cache.Count} keys, not {KeyCount}");
        }

        [GlobalCleanup]
        public void Cleanup() => _cache.Dispose();

        [Benchmark(OperationsPerInvoke = KeyCount), BenchmarkCategory("Update")]
        public int Monitor_RecordAllocation()
        {
            int flip = _flip ^= 1;
            string[] keys = _keys;
            long[] sizes = _sizes;
            StateMonitor monitor = _monitor;
            int recorded = 0;
            for (int i = 0; i < keys.Length; i++)
            {
                if (monitor.RecordAllocation(keys[i], sizes[i] + flip))
                {
                    recorded++;
                }
            }

            return recorded;
        }

        [Benchmark(Baseline = true, OperationsPerInvoke = KeyCount), BenchmarkCategory("Update")]
        public int Lru_AddOrUpdate()
        {
            int flip = _flip ^= 1;
            string[] keys = _keys;
            long[] sizes = _sizes;
            ConcurrentLru<string, long> lru = _lru;
            for (int i = 0; i < keys.Length; i++)
            {
                lru.AddOrUpdate(keys[i], sizes[i] + flip);
            }

            return keys.Length;
        }

        [Benchmark(OperationsPerInvoke = KeyCount), BenchmarkCategory("Update")]
        public int MemoryCache_Set()
        {
            int flip = _flip ^= 1;
            string[] keys = _keys;
            MemoryCacheEntryOptions[] options = _options[flip];
            MemoryCache cache = _cache;
            for (int i = 0; i < keys.Length; i++)
            {
                cache.Set(keys[i], BenchmarkData.CachedValue, options[i]);
            }

            return keys.Length;
        }

        [Benchmark(OperationsPerInvoke = KeyCount), BenchmarkCategory("Access")]
        public int Monitor_RecordAccess()
        {
            string[] keys = _keys;
            StateMonitor monitor = _monitor;
            int found = 0;
            for (int i = 0; i < keys.Length; i++)
            {
                if (monitor.RecordAccess(keys[i]))
                {
                    found++;
                }
            }

            return found;
        }

        [Benchmark(Baseline = true, OperationsPerInvoke = KeyCount), BenchmarkCategory("Access")]
        public long Lru_TryGet()
        {
            string[] keys = _keys;
            ConcurrentLru<string, long> lru = _lru;
            long sum = 0;
            for (int i = 0; i < keys.Length; i++)
            {
                if (lru.TryGet(keys[i], out long size))
                {
                    sum += size;
                }
            }

            return sum;
        }

        [Benchmark(OperationsPerInvoke = KeyCount), BenchmarkCategory("Access")]
        public int MemoryCache_TryGetValue()
        {
            string[] keys = _keys;
            MemoryCache cache = _cache;
            int found = 0;
            for (int i = 0; i < keys.Length; i++)
            {
                if (cache.TryGetValue(keys[i], out object? value) && value != null)
                {
                    found++;
                }
            }

            return found;
        }
    }
}
