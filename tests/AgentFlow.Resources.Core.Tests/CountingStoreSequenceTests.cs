using System;
using System.Threading;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// The counting store's sequence number (its seqlock), step by step: the test holds the critical section itself
    /// (<c>Enter</c>/<c>Exit</c>) and sees through the store's <c>Waiting</c> hook whether another thread waits for it
    /// or goes on. Nothing is timed: a call either signals that it waits or returns, and which came first decides.
    /// </summary>
    public class CountingStoreSequenceTests
    {
        private static readonly ResourceLimits Plain = Limits(state: 100, value: 50, entries: 10);

        [Fact]
        public void Every_write_leaves_the_sequence_at_the_next_even_number_so_a_snapshot_begun_before_it_is_refused()
        {
            // ReadCounters keeps a snapshot only when the sequence is the same even number before and after it: a
            // write that brought the sequence back to where it was would let a snapshot taken across it through.
            var store = new CountingStore("c", Plain);
            var events = default(OperationEvents);
            long start = store.Sequence;
            Assert.Equal(0, start & 1);

            Assert.True(store.Allocate("a", 10, AllocationOptions.None, ref events).Recorded);
            Assert.Equal(start + 2, store.Sequence);
            Assert.False(store.Allocate("big", 60, AllocationOptions.None, ref events).Recorded);   // above the 50-byte value limit
            Assert.Equal(start + 4, store.Sequence);
            Assert.True(store.Remove("a", 10, false, out _, ref events));
            Assert.Equal(start + 6, store.Sequence);
            Assert.Throws<ArgumentException>(() => store.Remove("a", 10, false, out _, ref events));  // nothing held: refused
            Assert.Equal(start + 8, store.Sequence);
            store.Reset();
            Assert.Equal(start + 10, store.Sequence);

            long odd = store.Enter();
            Assert.Equal(1, store.Sequence & 1);
            store.Exit(odd);
            Assert.Equal(start + 12, store.Sequence);
        }

        [Fact]
        public void A_writer_that_finds_another_inside_waits_for_it_then_records()
        {
            var store = new CountingStore("c", Plain);
            long start = store.Sequence;
            long odd = store.Enter();
            var writer = new Attempt(store, () =>
            {
                var events = default(OperationEvents);
                return store.Allocate("k", 10, AllocationOptions.None, ref events).Recorded ? 1 : 0;
            });

            bool waited;
            try
            {
                waited = writer.WaitedBeforeReturning();
                Assert.Equal(0, store.ReadValueCount(atomicLongReads: true));   // it has changed nothing yet
            }
            finally
            {
                store.Exit(odd);
            }

            Assert.True(waited);
            Assert.Equal(1, writer.Result());
            Assert.Equal(start + 4, store.Sequence);   // the test's section, then the writer's
            StoreCounters counters = store.ReadCounters();
            Assert.Equal(10, counters.CurrentSize);
            Assert.Equal(1, counters.ValueCount);
            Assert.Equal(10, counters.PeakSize);
        }

        [Fact]
        public void The_waiting_entry_enters_at_once_when_nobody_is_inside()
        {
            var store = new CountingStore("c", Plain);
            long start = store.Sequence;
            long odd = store.EnterContended();
            Assert.Equal(start + 1, odd);
            Assert.Equal(1, store.Sequence & 1);
            store.Exit(odd);
            Assert.Equal(start + 2, store.Sequence);
        }

        [Fact]
        public void Without_atomic_long_reads_a_total_waits_for_the_writer_inside()
        {
            CountingStore store = StoreHolding(entries: 3, bytesEach: 10);
            Assert.Equal((true, 30L), ReadWhileAWriterIsInside(store, s => s.ReadCurrentSize(atomicLongReads: false)));
            Assert.Equal((true, 3L), ReadWhileAWriterIsInside(store, s => s.ReadValueCount(atomicLongReads: false)));
            Assert.Equal((true, 30L), ReadWhileAWriterIsInside(store, s => s.ReadCounters().CurrentSize));
        }

        [Fact]
        public void With_atomic_long_reads_a_total_is_read_without_waiting()
        {
            CountingStore store = StoreHolding(entries: 3, bytesEach: 10);
            Assert.Equal((false, 30L), ReadWhileAWriterIsInside(store, s => s.ReadCurrentSize(atomicLongReads: true)));
            Assert.Equal((false, 3L), ReadWhileAWriterIsInside(store, s => s.ReadValueCount(atomicLongReads: true)));
        }

        [Fact]
        public void The_totals_wait_for_a_writer_only_in_a_process_that_cannot_read_a_long_in_one_access()
        {
            // A 64-bit process reads a long in one access: polling CurrentSize never waits there.
            CountingStore store = StoreHolding(entries: 2, bytesEach: 7);
            bool waits = !Environment.Is64BitProcess;
            Assert.Equal((waits, 14L), ReadWhileAWriterIsInside(store, s => s.CurrentSize));
            Assert.Equal((waits, 2L), ReadWhileAWriterIsInside(store, s => s.ValueCount));
        }

        private static CountingStore StoreHolding(int entries, long bytesEach)
        {
            var store = new CountingStore("c", Plain);
            var events = default(OperationEvents);
            for (int i = 0; i < entries; i++)
            {
                Assert.True(store.Allocate("k" + i, bytesEach, AllocationOptions.None, ref events).Recorded);
            }

            return store;
        }

        /// <summary>Holds the critical section while another thread reads; whether the read waited, and what it read once the section was left.</summary>
        private static (bool Waited, long Value) ReadWhileAWriterIsInside(CountingStore store, Func<CountingStore, long> read)
        {
            long odd = store.Enter();
            var reader = new Attempt(store, () => read(store));
            bool waited;
            try
            {
                waited = reader.WaitedBeforeReturning();
            }
            finally
            {
                store.Exit(odd);
            }

            return (waited, reader.Result());
        }

        /// <summary>A call on another thread, and whether it signalled the store's Waiting hook before it returned.</summary>
        private sealed class Attempt
        {
            private readonly ManualResetEventSlim _waited = new ManualResetEventSlim();
            private readonly ManualResetEventSlim _returned = new ManualResetEventSlim();
            private readonly Thread _thread;
            private long _result;
            private Exception? _error;

            public Attempt(CountingStore store, Func<long> call)
            {
                store.Waiting = () => _waited.Set();
                _thread = new Thread(() =>
                {
                    try
                    {
                        _result = call();
                    }
                    catch (Exception ex)
                    {
                        _error = ex;
                    }
                    finally
                    {
                        _returned.Set();
                    }
                })
                { IsBackground = true };
                _thread.Start();
            }

            /// <summary>
            /// True when the call waited for the writer inside, false when it returned without waiting. While the test
            /// holds the section a call that waits cannot return, so whichever is signalled first is the answer; the
            /// two minutes are a hang detector, not a timing (they never pass while the store works).
            /// </summary>
            public bool WaitedBeforeReturning()
            {
                int first = WaitHandle.WaitAny(new[] { _waited.WaitHandle, _returned.WaitHandle }, TimeSpan.FromMinutes(2));
                Assert.NotEqual(WaitHandle.WaitTimeout, first);
                return first == 0;
            }

            public long Result()
            {
                Assert.True(_thread.Join(TimeSpan.FromMinutes(2)), "the call never returned");
                Assert.Null(_error);
                return _result;
            }
        }
    }
}
