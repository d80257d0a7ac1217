using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// The counters-only store under races: refusals racing allocations, deallocations racing refused
    /// allocations, snapshots taken while others write, and exact totals after concurrent random work. Each test checks an invariant that holds under every
    /// interleaving of an exact store, so a single violation fails it.
    /// </summary>
    public abstract class FastRaceTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        // Rounds of the races for the in-process store; a store with a round trip per operation runs its share
        // (IStoreFactory.Effort): the invariants hold under every interleaving, so fewer rounds still test them.
        private static readonly int Rounds = Scaled(200_000);

        /// <summary>Runs every action on its own thread, all started together; returns the exceptions they threw.</summary>
        private static List<Exception> RunTogether(params Action[] actions)
        {
            var errors = new ConcurrentQueue<Exception>();
            using var barrier = new Barrier(actions.Length);
            var threads = new List<Thread>();
            foreach (Action action in actions)
            {
                var thread = new Thread(() =>
                {
                    try
                    {
                        barrier.SignalAndWait();
                        action();
                    }
                    catch (Exception ex)
                    {
                        errors.Enqueue(ex);
                    }
                })
                { IsBackground = true }; // a thread that never ends must not keep the test process alive
                threads.Add(thread);
                thread.Start();
            }

            foreach (Thread thread in threads)
            {
                // A hang detector, not a timing: every round ends in milliseconds unless a thread never gets through.
                Assert.True(thread.Join(TimeSpan.FromMinutes(3)), "a racing thread did not finish within 3 minutes: it hangs");
            }

            return new List<Exception>(errors);
        }

        [Fact]
        public void A_refused_deallocation_never_lets_an_allocation_past_the_entry_limit()
        {
            const int MaxEntries = 16;
            StateMonitor m = NewMonitor(Limits(state: 1_000_000, value: 100, entries: MaxEntries, threshold: 1.0));
            long admitted = 0; // entries the allocating threads hold: never above the limit in an exact store
            long highest = 0;
            int allocatorsLeft = 3;

            void Allocator()
            {
                for (int i = 0; i < Rounds; i++)
                {
                    if (m.RecordAllocation("k", 10))
                    {
                        long now = Interlocked.Increment(ref admitted);
                        InterlockedMax(ref highest, Math.Max(now, m.ValueCount));
                        Interlocked.Decrement(ref admitted);
                        m.RecordDeallocation("k", 10);
                    }
                }

                Interlocked.Decrement(ref allocatorsLeft);
            }

            void Refused()
            {
                while (Volatile.Read(ref allocatorsLeft) > 0)
                {
                    // More bytes than the state may ever hold: always a caller error, never a change.
                    Assert.Throws<ArgumentException>(() => m.RecordDeallocation("bogus", 1_000_001));
                }
            }

            // Fill to one below the limit, so that the two allocators compete for the last entry.
            for (int i = 0; i < MaxEntries - 1; i++)
            {
                Assert.True(m.RecordAllocation("base", 10));
            }

            Interlocked.Exchange(ref admitted, MaxEntries - 1);
            List<Exception> errors = RunTogether(Allocator, Allocator, Allocator, Refused, Refused);
            Assert.Empty(errors);
            Assert.True(Interlocked.Read(ref highest) <= MaxEntries, $"{Interlocked.Read(ref highest)} entries were admitted at once; the limit is {MaxEntries}.");
            Assert.Equal(MaxEntries - 1, m.ValueCount);
            Assert.Equal(10 * (MaxEntries - 1), m.CurrentSize);
        }

        [Fact]
        public void A_deallocation_larger_than_what_is_held_fails_even_while_allocations_are_refused()
        {
            StateMonitor m = NewMonitor(Limits(state: 1_000_000, value: 200_000, entries: 8, threshold: 1.0));
            for (int i = 0; i < 8; i++)
            {
                Assert.True(m.RecordAllocation("held", 1000)); // 8000 bytes in 8 entries: the count is at its limit
            }

            m.GetAlerts();
            int refusersLeft = 4;
            long wrongSuccesses = 0;

            void Refuser()
            {
                for (int i = 0; i < Rounds / 4; i++)
                {
                    Assert.False(m.RecordAllocation("big", 100_000)); // refused on the count
                }

                Interlocked.Decrement(ref refusersLeft);
            }

            void Deallocator()
            {
                while (Volatile.Read(ref refusersLeft) > 0)
                {
                    try
                    {
                        m.RecordDeallocation("held", 8001); // one byte more than is held
                        Interlocked.Increment(ref wrongSuccesses);
                        return;
                    }
                    catch (ArgumentException)
                    {
                    }
                }
            }

            List<Exception> errors = RunTogether(Refuser, Refuser, Refuser, Refuser, Deallocator);
            Assert.Empty(errors);
            Assert.Equal(0, Interlocked.Read(ref wrongSuccesses));
            Assert.Equal(8000, m.CurrentSize);
            Assert.Equal(8, m.ValueCount);
        }

        [Fact]
        public void Every_stats_snapshot_is_consistent_while_others_write()
        {
            const long Size = 65_536;
            StateMonitor m = NewMonitor(Limits(state: 64 * Size, value: Size, entries: 64, threshold: 1.0));
            int writersLeft = 2;
            var violations = new ConcurrentQueue<string>();

            void Writer()
            {
                for (int i = 0; i < Rounds / 4; i++)
                {
                    if (m.RecordAllocation("k", Size))
                    {
                        m.RecordDeallocation("k", Size);
                    }
                }

                Interlocked.Decrement(ref writersLeft);
            }

            void Reader()
            {
                while (Volatile.Read(ref writersLeft) > 0)
                {
                    ResourceStats s = m.GetStats();
                    if (s.PeakSize < s.CurrentSize || s.CurrentSize != s.ValueCount * Size)
                    {
                        violations.Enqueue($"peak {s.PeakSize}, current {s.CurrentSize}, count {s.ValueCount}");
                    }
                }
            }

            List<Exception> errors = RunTogether(Writer, Writer, Reader);
            Assert.Empty(errors);
            Assert.Empty(violations);
        }

        [Fact]
        public void PeakSize_is_the_real_peak_after_concurrent_allocations()
        {
            int allocations = Scaled(10_000);
            for (int round = 0; round < Scaled(20); round++)
            {
                StateMonitor m = NewMonitor(Limits(state: 10_000_000, value: 100, entries: 1_000_000, threshold: 1.0));

                void Allocator()
                {
                    for (int i = 0; i < allocations; i++)
                    {
                        Assert.True(m.RecordAllocation("k", 1 + (i % 7)));
                    }
                }

                List<Exception> errors = RunTogether(Allocator, Allocator, Allocator);
                Assert.Empty(errors);
                ResourceStats s = m.GetStats();
                long expected = 0;
                for (int i = 0; i < allocations; i++)
                {
                    expected += 3 * (1 + (i % 7));
                }

                Assert.Equal(expected, s.CurrentSize);
                Assert.Equal(s.CurrentSize, s.PeakSize);
            }
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Counters_sum_exactly_after_concurrent_random_work(bool streaming)
        {
            const int Workers = 4;
            StateMonitor m = NewMonitor(Limits(state: 50_000, value: 500, entries: 200, streaming: streaming, chunk: 100), "fast", 100);
            long expectedSize = 0, expectedCount = 0, expectedStreamedCount = 0, expectedStreamedBytes = 0, expectedRejected = 0;
            int operations = Scaled(20_000);
            int workersLeft = Workers;
            var violations = new ConcurrentQueue<string>();

            void Worker(int id)
            {
                var rng = new Random(1000 + id);
                var mine = new List<long>();
                long size = 0, count = 0, sc = 0, sb = 0, rejected = 0;
                for (int i = 0; i < operations; i++)
                {
                    if (mine.Count > 0 && rng.Next(3) == 0)
                    {
                        int index = rng.Next(mine.Count);
                        long s = mine[index];
                        mine.RemoveAt(index);
                        Assert.True(m.RecordDeallocation("k", s));
                        bool streamed = streaming && s > 500;
                        size -= streamed ? 100 : s;
                        count--;
                        if (streamed)
                        {
                            sc--;
                            sb -= s;
                        }
                    }
                    else
                    {
                        long s = rng.Next(10) == 0 ? rng.Next(501, 3000) : rng.Next(0, 500);
                        if (m.RecordAllocation("k", s))
                        {
                            mine.Add(s);
                            bool streamed = streaming && s > 500;
                            size += streamed ? 100 : s;
                            count++;
                            if (streamed)
                            {
                                sc++;
                                sb += s;
                            }
                        }
                        else
                        {
                            rejected++;
                        }
                    }
                }

                Interlocked.Add(ref expectedSize, size);
                Interlocked.Add(ref expectedCount, count);
                Interlocked.Add(ref expectedStreamedCount, sc);
                Interlocked.Add(ref expectedStreamedBytes, sb);
                Interlocked.Add(ref expectedRejected, rejected);
                Interlocked.Decrement(ref workersLeft);
            }

            void Sampler()
            {
                while (Volatile.Read(ref workersLeft) > 0)
                {
                    ResourceStats s = m.GetStats();
                    if (s.CurrentSize < 0 || s.CurrentSize > 50_000 || s.ValueCount < 0 || s.ValueCount > 200)
                    {
                        violations.Enqueue($"current {s.CurrentSize}, count {s.ValueCount}");
                    }
                }
            }

            List<Exception> errors = RunTogether(() => Worker(0), () => Worker(1), () => Worker(2), () => Worker(3), Sampler);
            Assert.Empty(errors);
            Assert.Empty(violations);
            ResourceStats stats = m.GetStats();
            Assert.Equal(expectedSize, stats.CurrentSize);
            Assert.Equal(expectedCount, stats.ValueCount);
            Assert.Equal(expectedStreamedCount, stats.StreamedCount);
            Assert.Equal(expectedStreamedBytes, stats.StreamedBytes);
            Assert.Equal(expectedRejected, stats.RejectedAllocations);
            Assert.True(expectedRejected > 0, "the limits were never reached: the test would prove little");
            Assert.True(stats.PeakSize <= 50_000);
        }

        private static void InterlockedMax(ref long location, long value)
        {
            long seen = Interlocked.Read(ref location);
            while (value > seen)
            {
                long now = Interlocked.CompareExchange(ref location, value, seen);
                if (now == seen)
                {
                    return;
                }

                seen = now;
            }
        }
    }
}
