using System;
using BenchmarkDotNet.Attributes;
using BitFaster.Caching.Lru;
using Microsoft.Extensions.Caching.Memory;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>
    /// Cleanup to 50 % of a structure holding 10k, 100k and 1M entries of 1 KiB: half the entries are evicted
    /// per invocation. The setup before each invocation puts the evicted half back and collects garbage, so
    /// the measured time is the cleanup alone. The "ns/evicted" column divides the mean by Entries / 2:
    /// flat across sizes means the cost is proportional to the entries evicted (O(k)), not to all entries.
    /// Peers: MemoryCache.Compact(0.5) and (for context) ConcurrentLru.Trim(Entries / 2).
    /// Two more lines separate the algorithm from the memory hierarchy (at 1M entries the structures no longer
    /// fit in the CPU caches, so every removal from any hash index pays a cache miss):
    /// Monitor_Cleanup_5k evicts a fixed 5,000 entries whatever the size (O(k): flat across sizes), and
    /// Dictionary_Remove removes the same Entries / 2 keys from a bare Dictionary&lt;string,int&gt;, the floor of
    /// any keyed structure.
    /// </summary>
    [MemoryDiagnoser]
    [InvocationCount(1)]
    public class CleanupBenchmarks
    {
        private const long EntrySize = 1024;

        private string[] _keys = Array.Empty<string>();
        private long[] _sizes = Array.Empty<long>();
        private StateMonitor? _monitor;
        private MemoryCache? _cache;
        private MemoryCacheEntryOptions _options = null!;
        private ConcurrentLru<string, long>? _lru;
        private System.Collections.Generic.Dictionary<string, int>? _dictionary;

        /// <summary>Entries evicted by <see cref="Monitor_Cleanup_5k"/>.</summary>
        public const int FixedEvictions = 5_000;

        private int[] _order = Array.Empty<int>();

        [Params(10_000, 100_000, 1_000_000)]
        public int Entries { get; set; }

        /// <summary>
        /// False: least recently used order is insertion order (neighbours in memory). True: every key is accessed
        /// once in a random order after the refill, so the LRU order jumps around memory, and the Dictionary floor
        /// removes its keys in that same order.
        /// </summary>
        [Params(false, true)]
        public bool RandomOrder { get; set; }

        [GlobalSetup(Target = nameof(Monitor_Cleanup))]
        public void SetupMonitor()
        {
            Keys();

            // Exactly full, AutoCleanup off: only the measured Cleanup(0.5) evicts.
            _monitor = BenchmarkData.DetailedMonitor(Entries, Entries * EntrySize, autoCleanup: false);
        }

        [IterationSetup(Target = nameof(Monitor_Cleanup))]
        public void RefillMonitor()
        {
            for (int i = 0; i < _keys.Length; i++)
            {
                _monitor!.RecordAllocation(_keys[i], EntrySize);
            }

            BenchmarkData.Require(_monitor!.ValueCount == Entries, "monitor not full");
            if (RandomOrder)
            {
                foreach (int i in _order)
                {
                    _monitor.RecordAccess(_keys[i]);
                }
            }

            Collect();
        }

        [GlobalSetup(Target = nameof(Monitor_Cleanup_5k))]
        public void SetupMonitorFixed() => SetupMonitor();

        [IterationSetup(Target = nameof(Monitor_Cleanup_5k))]
        public void RefillMonitorFixed()
        {
            // Only the 5,000 evicted keys come back (as most recently used); the next cleanup takes the next 5,000.
            RefillMonitor();
        }

        [GlobalSetup(Target = nameof(Monitor_AutomaticCleanup))]
        public void SetupAutomatic()
        {
            Keys();

            // Threshold 100 % of the entries, target 50 %: the allocation that makes the monitor full evicts half.
            _monitor = BenchmarkData.DetailedMonitor(Entries, Entries * EntrySize, autoCleanup: true, threshold: 1.0, target: 0.5);
        }

        [IterationSetup(Target = nameof(Monitor_AutomaticCleanup))]
        public void RefillAutomatic()
        {
            _monitor!.RecordDeallocation(_keys[_keys.Length - 1]);
            for (int i = 0; i < _keys.Length - 1; i++)
            {
                _monitor.RecordAllocation(_keys[i], EntrySize);
            }

            BenchmarkData.Require(_monitor.ValueCount == Entries - 1, "monitor not one below full");
            if (RandomOrder)
            {
                foreach (int i in _order)
                {
                    _monitor.RecordAccess(_keys[i]);
                }
            }

            Collect();
        }

        [GlobalSetup(Target = nameof(Dictionary_Remove))]
        public void SetupDictionary()
        {
            Keys();
            _dictionary = new System.Collections.Generic.Dictionary<string, int>(StringComparer.Ordinal);
        }

        [IterationSetup(Target = nameof(Dictionary_Remove))]
        public void RefillDictionary()
        {
            for (int i = 0; i < _keys.Length; i++)
            {
                _dictionary![_keys[i]] = i;
            }

            Collect();
        }

        [GlobalSetup(Target = nameof(MemoryCache_Compact))]
        public void SetupCache()
        {
            Keys();
            _cache = BenchmarkData.SizedMemoryCache(2 * Entries * EntrySize);
            _options = new MemoryCacheEntryOptions { Size = EntrySize };
        }

        [IterationSetup(Target = nameof(MemoryCache_Compact))]
        public void RefillCache()
        {
            for (int i = 0; i < _keys.Length; i++)
            {
                if (!_cache!.TryGetValue(_keys[i], out _))
                {
                    _cache.Set(_keys[i], BenchmarkData.CachedValue, _options);
                }
            }

            BenchmarkData.Require(_cache!.Count == Entries, $"MemoryCache holds {_cache.Count} entries, not {Entries}");
            Collect();
        }

        [GlobalSetup(Target = nameof(Lru_Trim))]
        public void SetupLru()
        {
            Keys();
            _lru = new ConcurrentLru<string, long>(Entries);
        }

        [IterationSetup(Target = nameof(Lru_Trim))]
        public void RefillLru()
        {
            BenchmarkData.Fill(_lru!, _keys, _sizes);
            BenchmarkData.Require(_lru!.Count >= Entries * 95 / 100, $"ConcurrentLru holds {_lru.Count} entries of {Entries}");
            Collect();
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _cache?.Dispose();
            _cache = null;
            _monitor = null;
            _lru = null;
            _dictionary = null;
        }

        [Benchmark]
        public int Monitor_Cleanup() => Check(_monitor!.Cleanup(0.5).EntriesRemoved, Entries / 2);

        /// <summary>The same eviction of half the entries by automatic cleanup: no result is built, nobody handles Evicted.</summary>
        [Benchmark]
        public long Monitor_AutomaticCleanup()
        {
            AllocationResult r = _monitor!.Allocate(_keys[_keys.Length - 1], EntrySize);
            return Check(r.EntriesEvicted, Entries / 2);
        }

        [Benchmark]
        public int Monitor_Cleanup_5k()
        {
            // Every entry is 1 KiB and the monitor is full: this target leaves exactly Entries - 5,000 entries.
            double target = (Entries - FixedEvictions + 0.5) / Entries;
            return Check(_monitor!.Cleanup(target).EntriesRemoved, FixedEvictions);
        }

        [Benchmark]
        public int Dictionary_Remove()
        {
            string[] keys = _keys;
            int[] order = _order;
            var dictionary = _dictionary!;
            int half = keys.Length / 2;
            for (int i = 0; i < half; i++)
            {
                dictionary.Remove(keys[order[i]]);
            }

            return dictionary.Count;
        }

        [Benchmark(Baseline = true)]
        public int MemoryCache_Compact()
        {
            _cache!.Compact(0.5);
            return _cache.Count;
        }

        [Benchmark]
        public int Lru_Trim()
        {
            _lru!.Trim(Entries / 2);
            return _lru.Count;
        }

        private void Keys()
        {
            _keys = BenchmarkData.Keys(Entries);
            _sizes = new long[Entries];
            Array.Fill(_sizes, EntrySize);
            _order = new int[Entries];
            for (int i = 0; i < _order.Length; i++)
            {
                _order[i] = i;
            }

            if (RandomOrder)
            {
                new Random(42).Shuffle(_order);
            }
        }

        private static int Check(int removed, int expected) =>
            removed == expected ? removed : throw new InvalidOperationException($"Cleanup evicted {removed} entries, not {expected}.");

        private static void Collect()
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
    }
}
