using System;
using System.Threading;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BitFaster.Caching.Lru;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>
    /// One monitor shared by two threads against one thread doing the same work alone. Each thread makes
    /// 100,000 calls on existing keys (updates and accesses alternating) over its own half of 10,000 keys.
    /// Results are per call, so total throughput ratio = one-thread mean / two-thread mean.
    /// ConcurrentLru is measured the same way for context (how much a lock-free peer gains on this machine).
    /// </summary>
    [MemoryDiagnoser]
    [CategoriesColumn]
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    public class ThreadingBenchmarks
    {
        public const int OpsPerThread = 100_000;
        private const int KeyCount = 10_000;

        private string[] _keys = Array.Empty<string>();
        private long[] _sizes = Array.Empty<long>();
        private StateMonitor _monitor = null!;
        private ConcurrentLru<string, long> _lru = null!;
        private PairRunner _runner = null!;
        private Action<int> _monitorWork = null!;
        private Action<int> _lruWork = null!;

        [GlobalSetup]
        public void Setup()
        {
            _keys = BenchmarkData.Keys(KeyCount);
            _sizes = BenchmarkData.Sizes(KeyCount);
            _monitor = BenchmarkData.DetailedMonitor(2 * KeyCount, 2 * KeyCount * 4096L);
            for (int i = 0; i < KeyCount; i++)
            {
                _monitor.RecordAllocation(_keys[i], _sizes[i]);
            }

            _lru = BenchmarkData.FilledLru(2 * KeyCount, _keys, _sizes);
            _monitorWork = MonitorWork;
            _lruWork = LruWork;
            _runner = new PairRunner();
        }

        [GlobalCleanup]
        public void Cleanup() => _runner.Dispose();

        [Benchmark(Baseline = true, OperationsPerInvoke = OpsPerThread), BenchmarkCategory("Monitor")]
        public void Monitor_OneThread() => MonitorWork(0);

        [Benchmark(OperationsPerInvoke = 2 * OpsPerThread), BenchmarkCategory("Monitor")]
        public void Monitor_TwoThreads() => _runner.Run(_monitorWork);

        [Benchmark(Baseline = true, OperationsPerInvoke = OpsPerThread), BenchmarkCategory("ConcurrentLru")]
        public void Lru_OneThread() => LruWork(0);

        [Benchmark(OperationsPerInvoke = 2 * OpsPerThread), BenchmarkCategory("ConcurrentLru")]
        public void Lru_TwoThreads() => _runner.Run(_lruWork);

        private void MonitorWork(int thread)
        {
            string[] keys = _keys;
            long[] sizes = _sizes;
            StateMonitor monitor = _monitor;
            int half = keys.Length / 2;
            int start = thread * half;
            int k = 0;
            for (int i = 0; i < OpsPerThread; i++)
            {
                int slot = start + k;
                if ((i & 1) == 0)
                {
                    monitor.RecordAllocation(keys[slot], sizes[slot] + (i & 2));
                }
                else
                {
                    monitor.RecordAccess(keys[slot]);
                }

                k = k + 1 == half ? 0 : k + 1;
            }
        }

        private void LruWork(int thread)
        {
            string[] keys = _keys;
            long[] sizes = _sizes;
            ConcurrentLru<string, long> lru = _lru;
            int half = keys.Length / 2;
            int start = thread * half;
            int k = 0;
            for (int i = 0; i < OpsPerThread; i++)
            {
                int slot = start + k;
                if ((i & 1) == 0)
                {
                    lru.AddOrUpdate(keys[slot], sizes[slot] + (i & 2));
                }
                else
                {
                    lru.TryGet(keys[slot], out _);
                }

                k = k + 1 == half ? 0 : k + 1;
            }
        }

        /// <summary>Runs work(0) on the calling thread and work(1) on a dedicated second thread, at the same time.</summary>
        private sealed class PairRunner : IDisposable
        {
            private readonly Thread _thread;
            private readonly ManualResetEventSlim _start = new ManualResetEventSlim(false, spinCount: 1000);
            private readonly ManualResetEventSlim _done = new ManualResetEventSlim(false, spinCount: 1000);
            private volatile Action<int>? _work;
            private volatile bool _stop;
            private Exception? _error;

            public PairRunner()
            {
                _thread = new Thread(Loop) { IsBackground = true, Name = "bench-second-thread" };
                _thread.Start();
            }

            public void Run(Action<int> work)
            {
                _work = work;
                _done.Reset();
                _start.Set();
                work(0);
                _done.Wait();
                if (_error != null)
                {
                    throw new InvalidOperationException("The second benchmark thread failed.", _error);
                }
            }

            public void Dispose()
            {
                _stop = true;
                _start.Set();
                _thread.Join();
            }

            private void Loop()
            {
                while (true)
                {
                    _start.Wait();
                    _start.Reset();
                    if (_stop)
                    {
                        return;
                    }

                    try
                    {
                        _work!(1);
                    }
                    catch (Exception ex)
                    {
                        _error = ex;
                    }

                    _done.Set();
                }
            }
        }
    }
}
