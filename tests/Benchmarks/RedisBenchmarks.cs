using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using AgentFlow.Resources.Core.Tests;
using AgentFlow.Resources.Redis;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using StackExchange.Redis;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>
    /// One operation of a shared (Redis) budget over loopback, against its floor: a trivial script called by SHA
    /// (EVALSHA of <c>return 1</c> with the same six keys) on the same connection. Every kind of single call: replace,
    /// access, pin and unpin, remove and add, and a counters-only (fast) budget's allocation and deallocation; and
    /// allocations pipelined. At 10,000 and 1,000,000 entries,
    /// to show that an operation's cost does not grow with the budget (sorted sets: O(log n)). The budget is filled
    /// with the script's own layout by bulk commands (minutes of single calls otherwise); its own redis-server is
    /// started on a free loopback port and stopped afterwards.
    /// </summary>
    [CategoriesColumn]
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    public class RedisBenchmarks
    {
        private const int Batch = 200;
        private RedisServer _server = null!;
        private StateMonitor _monitor = null!;
        private StateMonitor _fast = null!;
        private RedisStore _store = null!;
        private IDatabase _database = null!;
        private byte[] _floorSha = Array.Empty<byte>();
        private RedisKey[] _keys = Array.Empty<RedisKey>();
        private string[] _entryKeys = Array.Empty<string>();
        private int _next;

        /// <summary>
        /// Every single-call benchmark held to the 1.5x target, with its name in reports: the targets table
        /// (<see cref="TargetReport"/>) and the interleaved measurement (<see cref="RedisInterleaved"/>) both list these.
        /// </summary>
        internal static readonly (string Name, string Method, Func<RedisBenchmarks, long> Run)[] SingleCalls =
        {
            ("RecordAllocation, replace", nameof(Redis_RecordAllocation_Replace), b => b.Redis_RecordAllocation_Replace()),
            ("RecordAccess", nameof(Redis_RecordAccess), b => b.Redis_RecordAccess()),
            ("Pin + Unpin, per call", nameof(Redis_Pin_Unpin), b => b.Redis_Pin_Unpin()),
            ("RecordDeallocation + RecordAllocation, per call", nameof(Redis_Remove_Then_Add), b => b.Redis_Remove_Then_Add()),
            ("fast budget allocate + deallocate, per call", nameof(Redis_Fast_Allocate_Deallocate), b => b.Redis_Fast_Allocate_Deallocate()),
        };

        [Params(10_000, 1_000_000)]
        public int Entries { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _server = RedisServer.Start();
            try
            {
                Open();
            }
            catch
            {
                _server.Dispose(); // no GlobalCleanup after a failed setup: the server must not outlive the run
                throw;
            }
        }

        private void Open()
        {
            // Generous timeouts: the bulk fill of a million entries must not time out on a busy machine.
            var options = new RedisStoreOptions(_server.Configuration + ",syncTimeout=120000,asyncTimeout=120000", "bench")
            {
                Limits = ResourceLimits.Builder().MaxStateSize(1L << 40).MaxValueSize(1L << 30).MaxCacheEntries(4L * Entries).Build(),
            };
            _store = (RedisStore)new RedisStoreProvider().Open(options);
            _monitor = new StateMonitor(_store);
            var fastOptions = new RedisStoreOptions(options.Configuration, "bench-fast") { Limits = options.Limits, Fast = true };
            _fast = new StateMonitor(new RedisStoreProvider().Open(fastOptions));
            _database = _store.Budget.Database;
            _keys = _store.Budget.AllKeys;
            _floorSha = Convert.FromHexString((string)_database.Execute("SCRIPT", "LOAD", "return 1")!);
            _entryKeys = new string[Entries];
            for (int i = 0; i < Entries; i++)
            {
                _entryKeys[i] = "entry/" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
            }

            Fill();
            BenchmarkData.Require(_monitor.ValueCount == Entries, $"the budget holds {_monitor.ValueCount} entries, not {Entries}");
        }

        [GlobalCleanup]
        public void Cleanup() => _server.Dispose();

        /// <summary>The floor through the client's synchronous call.</summary>
        [Benchmark(Baseline = true, OperationsPerInvoke = Batch), BenchmarkCategory("Operation")]
        public long Floor_EvalSha_Return1()
        {
            long sum = 0;
            for (int i = 0; i < Batch; i++)
            {
                sum += (long)_database.ScriptEvaluate(_floorSha, _keys);
            }

            return sum;
        }

        /// <summary>
        /// The floor as the store calls: the client's task, waited on (Budget.Wait). The targets take the lower of the
        /// two floors of the same run, so changing how the store waits can not flatter its ratio.
        /// </summary>
        [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Operation")]
        public long Floor_EvalSha_Return1_Task()
        {
            long sum = 0;
            for (int i = 0; i < Batch; i++)
            {
#pragma warning disable SER307 // blocking on purpose: this is how Budget.Wait waits for a single call's reply
                sum += (long)_database.ScriptEvaluateAsync(_floorSha, _keys).GetAwaiter().GetResult();
#pragma warning restore SER307
            }

            return sum;
        }

        [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Operation")]
        public int Redis_RecordAllocation_Replace()
        {
            int recorded = 0;
            for (int i = 0; i < Batch; i++)
            {
                recorded += _monitor.RecordAllocation(NextKey(), 1000 + (i & 1)) ? 1 : 0;
            }

            return recorded;
        }

        [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Operation")]
        public int Redis_RecordAccess()
        {
            int found = 0;
            for (int i = 0; i < Batch; i++)
            {
                found += _monitor.RecordAccess(NextKey()) ? 1 : 0;
            }

            return found;
        }

        /// <summary>Pin then unpin (each a move between the two sorted sets), per operation.</summary>
        [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Operation")]
        public int Redis_Pin_Unpin()
        {
            int moved = 0;
            for (int i = 0; i < Batch / 2; i++)
            {
                string key = NextKey();
                moved += _monitor.Pin(key) ? 1 : 0;
                moved += _monitor.Unpin(key) ? 1 : 0;
            }

            return moved;
        }

        /// <summary>Remove an entry, then record it again (a new key for the script), per operation.</summary>
        [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Operation")]
        public int Redis_Remove_Then_Add()
        {
            int done = 0;
            for (int i = 0; i < Batch / 2; i++)
            {
                string key = NextKey();
                done += _monitor.RecordDeallocation(key) ? 1 : 0;
                done += _monitor.RecordAllocation(key, 1000) ? 1 : 0;
            }

            return done;
        }

        /// <summary>The counters-only (fast) budget: an allocation, then its deallocation, per operation.</summary>
        [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Operation")]
        public int Redis_Fast_Allocate_Deallocate()
        {
            int done = 0;
            for (int i = 0; i < Batch / 2; i++)
            {
                done += _fast.RecordAllocation("fast", 1000) ? 1 : 0;
                done += _fast.RecordDeallocation("fast", 1000) ? 1 : 0;
            }

            return done;
        }

        [Benchmark(OperationsPerInvoke = Batch), BenchmarkCategory("Operation")]
        public int Redis_Allocate_Pipelined()
        {
            var requests = new AllocationRequest[Batch];
            for (int i = 0; i < Batch; i++)
            {
                requests[i] = new AllocationRequest(NextKey(), 1000 + (i & 1));
            }

            int recorded = 0;
            foreach (AllocationResult result in _monitor.AllocateMany(requests))
            {
                recorded += result.Recorded ? 1 : 0;
            }

            return recorded;
        }

        private string NextKey()
        {
            int next = _next;
            _next = next + 1 == _entryKeys.Length ? 0 : next + 1;
            return _entryKeys[next];
        }

        // The layout the script keeps (docs/design/redis-store.md), written in bulk: entries, LRU order, counters.
        private void Fill()
        {
            const int Chunk = 5000;
            var pending = new List<Task>();
            for (int start = 0; start < Entries; start += Chunk)
            {
                int count = Math.Min(Chunk, Entries - start);
                var fields = new HashEntry[count];
                var ranks = new SortedSetEntry[count];
                for (int i = 0; i < count; i++)
                {
                    fields[i] = new HashEntry(_entryKeys[start + i], "1000|1000|0");
                    ranks[i] = new SortedSetEntry(_entryKeys[start + i], start + i + 1);
                }

                pending.Add(_database.HashSetAsync(_store.Budget.Entries, fields));
                pending.Add(_database.SortedSetAddAsync(_store.Budget.Lru, ranks));
                if (pending.Count == 20)
                {
                    Task.WaitAll(pending.ToArray()); // a few megabytes in flight at a time, not all of them
                    pending.Clear();
                }
            }

            Task.WaitAll(pending.ToArray());
            _database.HashSet(_store.Budget.Counters, new[]
            {
                new HashEntry(BudgetTotals.Field, BudgetTotals.Pack(1000L * Entries, Entries, 1000L * Entries, 0, 0, Entries)),
            });
        }
    }
}
