using System;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>The hot path on an existing key allocates nothing on the managed heap.</summary>
    public class AllocationFreeTests
    {
        private const int Iterations = 10_000;

        private static long AllocatedBy(Action action)
        {
            action(); // warm-up: JIT, first-time paths
            action();
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        private static StateMonitor Filled()
        {
            StateMonitor m = Monitor(state: 1_000_000, value: 10_000, entries: 1000, auto: true);
            for (int i = 0; i < 100; i++)
            {
                m.RecordAllocation("key" + i, 100);
            }

            m.Allocate("pinned", 100, pin: true);
            m.GetAlerts();
            return m;
        }

        [Fact]
        public void Replacing_an_existing_key_allocates_nothing()
        {
            StateMonitor m = Filled();
            string[] keys = { "key1", "key50", "key99", "pinned" };
            long bytes = AllocatedBy(() =>
            {
                for (int i = 0; i < Iterations; i++)
                {
                    m.RecordAllocation(keys[i & 3], 50 + (i & 63));
                }
            });
            Assert.Equal(0, bytes);
            Assert.Equal(101, m.ValueCount);
        }

        [Fact]
        public void Allocate_with_its_result_allocates_nothing()
        {
            StateMonitor m = Filled();
            long bytes = AllocatedBy(() =>
            {
                for (int i = 0; i < Iterations; i++)
                {
                    AllocationResult r = m.Allocate("key7", i & 127);
                    if (!r.Recorded)
                    {
                        throw new InvalidOperationException();
                    }
                }
            });
            Assert.Equal(0, bytes);
        }

        [Fact]
        public void Recording_access_allocates_nothing()
        {
            StateMonitor m = Filled();
            string[] keys = { "key0", "key33", "key66", "pinned", "missing" };
            long bytes = AllocatedBy(() =>
            {
                for (int i = 0; i < Iterations; i++)
                {
                    m.RecordAccess(keys[i % 5]);
                }
            });
            Assert.Equal(0, bytes);
        }

        [Fact]
        public void Deallocating_and_re_adding_a_key_allocates_nothing()
        {
            StateMonitor m = Filled();
            long bytes = AllocatedBy(() =>
            {
                for (int i = 0; i < Iterations; i++)
                {
                    m.RecordDeallocation("key5");
                    m.RecordAllocation("key5", 100);
                }
            });
            Assert.Equal(0, bytes);
            Assert.Equal(101, m.ValueCount);
        }

        [Fact]
        public void Pinning_reading_totals_and_fast_recording_allocate_nothing()
        {
            StateMonitor m = Filled();
            StateMonitor fast = StateMonitor.CreateFast(Limits(state: 1_000_000, value: 10_000, entries: 1_000_000));
            long sink = 0;
            long bytes = AllocatedBy(() =>
            {
                for (int i = 0; i < Iterations; i++)
                {
                    m.Pin("key9");
                    m.Unpin("key9");
                    sink += m.CurrentSize + m.ValueCount;
                    fast.RecordAllocation("f", 10);
                    fast.RecordDeallocation("f", 10);
                }
            });
            Assert.Equal(0, bytes);
            Assert.True(sink > 0);
        }
    }
}
