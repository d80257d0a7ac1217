using System;
using BenchmarkDotNet.Attributes;
using BitFaster.Caching.Lru;
using Microsoft.Extensions.Caching.Memory;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>
    /// Churn at capacity: every operation records a key that is not present (a pool of 4 × capacity keys is
    /// cycled), so each structure must evict to make room. Capacity is 10,000 entries of 1 KiB.
    /// The monitor runs with its default AutoCleanup settings (threshold 0.8, target 0.7): it evicts in
    /// batches down to the target. ConcurrentLru evicts one item per add; MemoryCache rejects adds over its
    /// SizeLimit and compacts (5 %) on a thread-pool thread.
    /// </summary>
    [MemoryDiagnoser]
    public class ChurnBenchmarks
    {
        public const int Capacity = 10_000;
        public const int Batch = 1_000;
        private const long EntrySize = 1024;

        private string[] _pool = Array.Empty<string>();
        private StateMonitor _monitor = null!;
        private ConcurrentLru<string, long> _lru = null!;
        private MemoryCache _cache = null!;
        private MemoryCacheEntryOptions _options = null!;
        private int _cursor;

        [GlobalSetup]
        public void Setup()
        {
            _pool = BenchmarkData.Keys(4 * Capacity, offset: 1_000_000);
            _monitor = BenchmarkData.DetailedMonitor(Capacity, Capacity * EntrySize);
            _lru = new ConcurrentLru<string, long>(Capacity);
            _cache = BenchmarkData.SizedMemoryCache(Capacity * EntrySize);
            _options = new MemoryCacheEntryOptions { Size = EntrySize };

            // Fill past capacity so every structure is already evicting when measurement starts.
            for (int i = 0; i < 2 * Capacity; i++)
            {
                string key = _pool[i];
                _monitor.RecordAllocation(key, EntrySize);
                _lru.AddOrUpdate(key, EntrySize);
                _cache.Set(key, BenchmarkData.CachedValue, _options);
            }

            _cursor = 2 * Capacity;
            BenchmarkData.Require(_monitor.ValueCount <= Capacity, "monitor above capacity");
        }

        [GlobalCleanup]
        public void Cleanup() => _cache.Dispose();

        [Benchmark(OperationsPerInvoke = Batch)]
        public int Monitor_RecordAllocation_NewKeys()
        {
            string[] pool = _pool;
            int cursor = _cursor;
            int recorded = 0;
            for (int i = 0; i < Batch; i++)
            {
                if (_monitor.RecordAllocation(pool[cursor], EntrySize))
                {
                    recorded++;
                }

                cursor = cursor + 1 == pool.Length ? 0 : cursor + 1;
            }

            _cursor = cursor;
            return recorded;
        }

        [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
        public int Lru_AddOrUpdate_NewKeys()
        {
            string[] pool = _pool;
            int cursor = _cursor;
            for (int i = 0; i < Batch; i++)
            {
                _lru.AddOrUpdate(pool[cursor], EntrySize);
                cursor = cursor + 1 == pool.Length ? 0 : cursor + 1;
            }

            _cursor = cursor;
            return Batch;
        }

        [Benchmark(OperationsPerInvoke = Batch)]
        public int MemoryCache_Set_NewKeys()
        {
            string[] pool = _pool;
            int cursor = _cursor;
            for (int i = 0; i < Batch; i++)
            {
                _cache.Set(pool[cursor], BenchmarkData.CachedValue, _options);
                cursor = cursor + 1 == pool.Length ? 0 : cursor + 1;
            }

            _cursor = cursor;
            return Batch;
        }
    }
}
