using System;
using System.Threading;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>
    /// Fast mode against its floor, a bare pair of Interlocked.Add (bytes and entries).
    /// FastAllocate: RecordAllocation only, on a monitor whose limits are never reached (so the byte total
    /// and the peak grow on every call). FastPair: RecordAllocation + RecordDeallocation of the same size, the
    /// steady state of a workflow, against two pairs of Interlocked.Add. Results are per call / per pair.
    /// </summary>
    [MemoryDiagnoser]
    [CategoriesColumn]
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    public class FastModeBenchmarks
    {
        public const int Batch = 1_024;

        private string[] _keys = Array.Empty<string>();
        private long[] _sizes = Array.Empty<long>();
        private StateMonitor _growing = null!;
        private StateMonitor _steady = null!;
        private long _bytes;
        private long _count;

        [GlobalSetup]
        public void Setup()
        {
            _keys = BenchmarkData.Keys(Batch);
            _sizes = BenchmarkData.Sizes(Batch);
            _growing = BenchmarkData.UnlimitedFastMonitor();
            _steady = StateMonitor.CreateFast(ResourceLimits.Default, "bench-fast-steady");
        }

        [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("FastAllocate")]
        public int Fast_RecordAllocation()
        {
            string[] keys = _keys;
            long[] sizes = _sizes;
            StateMonitor monitor = _growing;
            int recorded = 0;
            for (int i = 0; i < keys.Length; i++)
            {
                if (monitor.RecordAllocation(keys[i], sizes[i]))
                {
                    recorded++;
                }
            }

            return recorded;
        }

        [Benchmark(Baseline = true, OperationsPerInvoke = Batch), BenchmarkCategory("FastAllocate")]
        public long Floor_InterlockedPair()
        {
            long[] sizes = _sizes;
            long last = 0;
            for (int i = 0; i < sizes.Length; i++)
            {
                last = Interlocked.Add(ref _bytes, sizes[i]);
                Interlocked.Add(ref _count, 1);
            }

            return last;
        }

        [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("FastPair")]
        public int Fast_AllocateDeallocate()
        {
            string[] keys = _keys;
            long[] sizes = _sizes;
            StateMonitor monitor = _steady;
            int done = 0;
            for (int i = 0; i < keys.Length; i++)
            {
                if (monitor.RecordAllocation(keys[i], sizes[i]) && monitor.RecordDeallocation(keys[i], sizes[i]))
                {
                    done++;
                }
            }

            return done;
        }

        [Benchmark(Baseline = true, OperationsPerInvoke = Batch), BenchmarkCategory("FastPair")]
        public long Floor_TwoInterlockedPairs()
        {
            long[] sizes = _sizes;
            long last = 0;
            for (int i = 0; i < sizes.Length; i++)
            {
                Interlocked.Add(ref _bytes, sizes[i]);
                Interlocked.Add(ref _count, 1);
                last = Interlocked.Add(ref _bytes, -sizes[i]);
                Interlocked.Add(ref _count, -1);
            }

            return last;
        }
    }
}
