using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>Several threads on one monitor: afterwards the totals are exactly the sum of the entries.</summary>
    public abstract class ConcurrencyTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        private const int Workers = 4;

        /// <summary>Runs <paramref name="work"/> on <see cref="Workers"/> threads started together, with an observer sampling the monitor.</summary>
        private static (long Samples, List<string> Violations, List<Exception> Errors) Hammer(StateMonitor m, Action<int, Random> work, Action<StateMonitor, List<string>>? observe = null)
        {
            var errors = new ConcurrentQueue<Exception>();
            var violations = new List<string>();
            using var barrier = new Barrier(Workers + 1);
            int running = Workers;
            long samples = 0;
            var threads = new List<Thread>();
            for (int w = 0; w < Workers; w++)
            {
                int id = w;
                threads.Add(new Thread(() =>
                {
                    try
                    {
                        barrier.SignalAndWait();
                        work(id, new Random(1000 + id));
                    }
                    catch (Exception ex)
                    {
                        errors.Enqueue(ex);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref running);
                    }
                }));
            }

            var observer = new Thread(() =>
            {
                try
                {
                    barrier.SignalAndWait();
                    while (Volatile.Read(ref running) > 0)
                    {
                        long size = m.CurrentSize;
                        long count = m.ValueCount;
                        if (size > m.Limits.MaxStateSize || size < 0)
                        {
                            violations.Add("CurrentSize " + size);
                        }

                        if (count > m.Limits.MaxCacheEntries || count < 0)
                        {
                            violations.Add("ValueCount " + count);
                        }

                        observe?.Invoke(m, violations);
                        samples++;
                    }
                }
                catch (Exception ex)
                {
                    errors.Enqueue(ex);
                }
            });
            // Background threads and a generous join: a corrupted list that loops forever fails the test instead of hanging the run.
            threads.ForEach(t => t.IsBackground = true);
            observer.IsBackground = true;
            threads.ForEach(t => t.Start());
            observer.Start();
            foreach (Thread t in threads.Append(observer))
            {
                Assert.True(t.Join(TimeSpan.FromMinutes(2)), "a worker never finished: the monitor is deadlocked or its lists are corrupted");
            }
            return (samples, violations, errors.ToList());
        }

        private static void AssertConsistent(StateMonitor m)
        {
            IReadOnlyList<AllocationEntry> entries = m.GetAllocations();
            ResourceStats s = m.GetStats();
            Assert.Equal(entries.Sum(e => e.ResidentSize), m.CurrentSize);
            Assert.Equal(entries.Count, m.ValueCount);
            Assert.Equal(entries.Sum(e => e.ResidentSize), s.CurrentSize);
            Assert.Equal(entries.Count, s.ValueCount);
            Assert.Equal(entries.Where(e => e.IsPinned).Sum(e => e.ResidentSize), s.PinnedSize);
            Assert.Equal(entries.Count(e => e.IsPinned), s.PinnedCount);
            Assert.Equal(entries.Count(e => e.IsStreamed), s.StreamedCount);
            Assert.Equal(entries.Where(e => e.IsStreamed).Sum(e => e.Size), s.StreamedBytes);
            Assert.Equal(entries.Select(e => e.Key).Distinct().Count(), entries.Count);
            Assert.Equal(entries.Select(e => e.Key), m.GetLruKeys(int.MaxValue));
            Assert.True(s.PeakSize >= s.CurrentSize);
            Assert.True(s.CurrentSize <= s.MaxStateSize);
            Assert.True(s.ValueCount <= s.MaxCacheEntries);
        }

        private static void MixedOperations(StateMonitor m, Random rng, int operations, int keys)
        {
            for (int i = 0; i < operations; i++)
            {
                string key = "k" + rng.Next(keys);
                switch (rng.Next(20))
                {
                    case 0:
                    case 1:
                    case 2:
                    case 3:
                    case 4:
                    case 5:
                        m.RecordAllocation(key, rng.Next(0, 400));
                        break;
                    case 6:
                        m.Allocate(key, rng.Next(0, 400), pin: true);
                        break;
                    case 7:
                        m.RecordAllocation(key, rng.Next(1000, 5000)); // streamed when streaming, rejected otherwise
                        break;
                    case 8:
                    case 9:
                        m.RecordDeallocation(key);
                        break;
                    case 10:
                    case 11:
                        m.RecordAccess(key);
                        break;
                    case 12:
                        m.Pin(key);
                        break;
                    case 13:
                    case 14:
                        m.Unpin(key);
                        break;
                    case 15:
                        m.Cleanup(rng.Next(0, 11) / 10.0);
                        break;
                    case 16:
                        m.PlanCleanup(rng.Next(0, 11) / 10.0);
                        break;
                    case 17:
                        m.GetLruKeys(rng.Next(0, 10));
                        break;
                    case 18:
                        m.GetAllocations();
                        break;
                    default:
                        m.GetStats();
                        if (rng.Next(50) == 0)
                        {
                            m.GetAlerts();
                        }

                        break;
                }
            }
        }

        [Theory]
        [InlineData(true, true)]
        [InlineData(true, false)]
        [InlineData(false, true)]
        [InlineData(false, false)]
        public void Detailed_monitor_totals_are_exact_after_concurrent_mixed_operations(bool auto, bool streaming)
        {
            StateMonitor m = Monitor(state: 4000, value: 500, entries: 30, threshold: 0.8, target: 0.5, auto: auto, streaming: streaming, chunk: 100, maxAlerts: 100);
            long handlerCalls = 0;
            m.Evicted += (_, _) => Interlocked.Increment(ref handlerCalls);
            m.AlertRaised += (_, _) => Interlocked.Increment(ref handlerCalls);

            var result = Hammer(
                m,
                (id, rng) => MixedOperations(m, rng, Scaled(50_000), keys: 60),
                (mon, violations) =>
                {
                    ResourceStats s = mon.GetStats();
                    if (s.PinnedSize > s.CurrentSize || s.PinnedCount > s.ValueCount || s.PeakSize < s.CurrentSize)
                    {
                        violations.Add("inconsistent stats " + s);
                    }
                });

            Assert.Empty(result.Errors);
            Assert.Empty(result.Violations);
            Assert.True(result.Samples > 0);
            AssertConsistent(m);

            // Still fully usable: unpin everything and clean to zero.
            foreach (AllocationEntry e in m.GetAllocations())
            {
                m.Unpin(e.Key);
            }

            m.Cleanup(0);
            Assert.Equal(0, m.CurrentSize);
            Assert.Equal(0, m.ValueCount);
            AssertConsistent(m);
            Assert.True(Interlocked.Read(ref handlerCalls) > 0);
            Assert.Equal(0, m.GetStats().EventHandlerErrors);
        }

        [Fact]
        public void Throwing_handlers_under_concurrency_are_counted_and_corrupt_nothing()
        {
            StateMonitor m = Monitor(state: 4000, value: 500, entries: 30, threshold: 0.8, target: 0.5, streaming: true, chunk: 100);
            long thrown = 0;
            m.Evicted += (_, _) =>
            {
                Interlocked.Increment(ref thrown);
                throw new InvalidOperationException("evicted handler");
            };
            m.AlertRaised += (_, _) =>
            {
                Interlocked.Increment(ref thrown);
                throw new InvalidOperationException("alert handler");
            };

            var result = Hammer(m, (id, rng) => MixedOperations(m, rng, Scaled(10_000), keys: 60));

            Assert.Empty(result.Errors);
            Assert.Empty(result.Violations);
            AssertConsistent(m);
            Assert.True(thrown > 0);
            Assert.Equal(Interlocked.Read(ref thrown), m.GetStats().EventHandlerErrors);
        }

        [Fact]
        public void Every_thread_sees_its_own_allocations_counted_exactly()
        {
            // No limit is reached: every operation succeeds, so the totals are known exactly.
            StateMonitor m = Monitor(state: 10_000_000, value: 1000, entries: 100_000, auto: false);
            int rounds = Scaled(5000) / 2 * 2;
            var result = Hammer(m, (id, rng) =>
            {
                for (int i = 0; i < rounds; i++)
                {
                    Assert.True(m.RecordAllocation($"t{id}-{i}", 10));
                    if (i % 2 == 1)
                    {
                        Assert.True(m.RecordDeallocation($"t{id}-{i - 1}"));
                    }

                    Assert.True(m.RecordAccess($"t{id}-{i}"));
                }
            });

            Assert.Empty(result.Errors);
            Assert.Equal(Workers * rounds / 2, m.ValueCount);
            Assert.Equal(Workers * rounds / 2 * 10L, m.CurrentSize);
            AssertConsistent(m);
        }
    }
}
