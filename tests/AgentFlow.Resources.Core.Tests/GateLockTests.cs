using System;
using System.Collections.Generic;
using System.Threading;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>The detailed tracker's lock: mutual exclusion under contention, including its sleeping path.</summary>
    public class GateLockTests
    {
        [Theory]
        [InlineData(2, 200_000, 0)]
        [InlineData(8, 50_000, 0)]
        [InlineData(4, 2_000, 50)]   // long critical sections: waiters give up spinning and sleep
        [InlineData(4, 5_000, 200)]  // more sleepers, longer: every wake-up matters
        public void No_update_is_lost_and_no_thread_hangs(int threads, int incrementsPerThread, int spinInside)
        {
            // Sleepers wait for their wake-up without the 20 ms safety net: a lost wake-up would hang a thread
            // (and fail the join below) instead of costing 20 ms unseen.
            var gate = new GateLock(Timeout.Infinite);
            long counter = 0;
            int inside = 0;
            int overlaps = 0;
            var errors = new List<Exception>();
            using var start = new Barrier(threads);
            var workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                workers[t] = new Thread(() =>
                {
                    try
                    {
                        start.SignalAndWait();
                        for (int i = 0; i < incrementsPerThread; i++)
                        {
                            using (gate.Hold())
                            {
                                if (Interlocked.Increment(ref inside) != 1)
                                {
                                    Interlocked.Increment(ref overlaps);
                                }

                                // A plain read-modify-write: any overlap would lose updates.
                                long seen = counter;
                                if (spinInside > 0)
                                {
                                    Thread.SpinWait(spinInside);
                                }

                                counter = seen + 1;
                                Interlocked.Decrement(ref inside);
                            }
                        }
                    }
                    catch (Exception ex)
                    {
                        lock (errors)
                        {
                            errors.Add(ex);
                        }
                    }
                })
                { IsBackground = true };
                workers[t].Start();
            }

            foreach (Thread worker in workers)
            {
                Assert.True(worker.Join(TimeSpan.FromMinutes(2)), "a thread never got the lock");
            }

            Assert.Empty(errors);
            Assert.Equal(0, overlaps);
            Assert.Equal((long)threads * incrementsPerThread, counter);
        }

        [Fact]
        public void A_waiter_sleeps_until_the_holder_leaves_and_the_release_wakes_it()
        {
            // No sleep timeout: only the release can wake the waiter, so a lost wake-up fails the join.
            var gate = new GateLock(Timeout.Infinite);
            GateLock.Holder held = gate.Hold();
            int entered = 0;
            var waiter = new Thread(() =>
            {
                using (gate.Hold())
                {
                    Interlocked.Exchange(ref entered, 1);
                }
            })
            { IsBackground = true };
            waiter.Start();

            // Counted and blocked on the monitor: asleep, not spinning (a hang detector, not a timing: it never fails while the lock works).
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (gate.Sleepers == 0 || (waiter.ThreadState & ThreadState.WaitSleepJoin) == 0)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "the waiter never went to sleep");
                Thread.Sleep(1);
            }

            Assert.Equal(0, Volatile.Read(ref entered));
            held.Dispose();
            Assert.True(waiter.Join(TimeSpan.FromMinutes(2)), "the release did not wake the sleeper");
            Assert.Equal(1, entered);
            Assert.Equal(0, gate.Sleepers);
        }

        [Fact]
        public void Leaving_through_an_exception_releases_the_lock()
        {
            var gate = new GateLock();
            void FailInside()
            {
                using (gate.Hold())
                {
                    throw new InvalidOperationException("inside");
                }
            }

            Assert.Throws<InvalidOperationException>(FailInside);

            var other = new Thread(() =>
            {
                using (gate.Hold())
                {
                }
            });
            other.Start();
            Assert.True(other.Join(TimeSpan.FromSeconds(30)));
        }
    }
}
