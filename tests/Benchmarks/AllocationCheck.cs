using System;
using System.Collections.Generic;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>
    /// The exact check behind "hot paths allocate nothing for existing keys": bytes allocated by the calling
    /// thread over many calls after warm-up (MemoryDiagnoser rounds per operation; this does not).
    /// </summary>
    public static class AllocationCheck
    {
        public sealed class Result
        {
            public Result(string name, int calls, long bytes)
            {
                Name = name;
                Calls = calls;
                Bytes = bytes;
            }

            public string Name { get; }

            public int Calls { get; }

            public long Bytes { get; }
        }

        public static IReadOnlyList<Result> Run(int calls = 100_000)
        {
            const int keyCount = 1_000;
            string[] keys = BenchmarkData.Keys(keyCount);
            long[] sizes = BenchmarkData.Sizes(keyCount);
            StateMonitor detailed = BenchmarkData.DetailedMonitor(2 * keyCount, 2 * keyCount * 4096L);
            StateMonitor fast = StateMonitor.CreateFast(ResourceLimits.Default, "alloc-check-fast");
            for (int i = 0; i < keyCount; i++)
            {
                detailed.RecordAllocation(keys[i], sizes[i]);
            }

            var results = new List<Result>
            {
                Measure("detailed RecordAllocation", calls, i => detailed.RecordAllocation(keys[i % keyCount], sizes[i % keyCount] + (i & 1))),
                Measure("detailed RecordAccess", calls, i => detailed.RecordAccess(keys[i % keyCount])),
                Measure("fast RecordAllocation + RecordDeallocation", calls, i => fast.RecordAllocation(keys[i % keyCount], sizes[i % keyCount]) & fast.RecordDeallocation(keys[i % keyCount], sizes[i % keyCount])),
            };
            return results;
        }

        private static Result Measure(string name, int calls, Func<int, bool> call)
        {
            for (int i = 0; i < calls; i++)
            {
                call(i); // warm-up: tiering, lazy statics
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < calls; i++)
            {
                call(i);
            }

            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            return new Result(name, calls, bytes);
        }
    }
}
