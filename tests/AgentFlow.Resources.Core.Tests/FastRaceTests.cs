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
    /// allocations, and snapshots taken while others write. Each test checks an invariant that holds under every
    /// interleaving of an exact store, so a single violation fails it.
    /// </summary>
    public abstract class FastRaceTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        private const int Rounds = 200_000;

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
                });
                threads.Add(thread);
                thread.Start();
            }

            foreach (Thread thread in threads)
            {
                thread.Join();
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
            for (int round = 0; round < 20; round++)
            {
                StateMonitor m = NewMonitor(Limits(state: 10_000_000, value: 100, entries: 1_000_000, threshold: 1.0));

                void Allocator()
                {
                    for (int i = 0; i < 10_000; i++)
                    {
                        Assert.True(m.RecordAllocation("k", 1 + (i % 7)));
                    }
                }

                List<Exception> errors = RunTogether(Allocator, Allocator, Allocator);
                Assert.Empty(errors);
                ResourceStats s = m.GetStats();
                long expected = 0;
                for (int i = 0; i < 10_000; i++)
                {
                    expected += 3 * (1 + (i % 7));
                }

                Assert.Equal(expected, s.CurrentSize);
                Assert.Equal(s.CurrentSize, s.PeakSize);
            }
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
