using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// <see cref="StateStore.Dispose()"/>'s contract (the standard dispose pattern), through a store that records each
    /// <c>Dispose(bool)</c> it gets and has a finalizer, as a store holding something outside the process would:
    /// Dispose releases with disposing = true and the finalizer then never runs; a store never disposed is finalized.
    /// </summary>
    public class StateStoreDisposeTests
    {
        [Fact]
        public void Dispose_releases_once_with_disposing_true_and_the_store_still_answers()
        {
            var calls = new List<bool>();
            var store = new DisposalRecordingStore(new MemoryStore("m", Limits()), calls);
            store.Dispose();
            Assert.Equal(new[] { true }, calls);
            Assert.Equal(0, store.CurrentSize);   // an in-process store held nothing outside: it still answers
        }

        [Fact]
        public void A_disposed_store_is_not_finalized_and_one_never_disposed_is()
        {
            var disposed = new List<bool>();
            var dropped = new List<bool>();
            MakeAndDrop(disposed, dispose: true);
            MakeAndDrop(dropped, dispose: false);
            GC.Collect();
            GC.WaitForPendingFinalizers();

            Assert.Equal(new[] { true }, disposed);   // Dispose took it off the finalizer queue
            Assert.Equal(new[] { false }, dropped);   // the control: without Dispose the finalizer runs, disposing = false
        }

        // Not inlined: the store must be unreachable once this returns, so the collection above finds it.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void MakeAndDrop(List<bool> calls, bool dispose)
        {
            var store = new DisposalRecordingStore(new CountingStore("c", Limits()), calls);
            if (dispose)
            {
                store.Dispose();
            }
        }

        /// <summary>Records every Dispose(bool) it gets; its finalizer disposes with false, as the pattern says.</summary>
        private sealed class DisposalRecordingStore : ForwardingStore
        {
            private readonly List<bool> _calls;

            public DisposalRecordingStore(StateStore inner, List<bool> calls)
                : base(inner)
            {
                _calls = calls;
            }

            ~DisposalRecordingStore()
            {
                Dispose(false);
            }

            protected override void Dispose(bool disposing)
            {
                lock (_calls)
                {
                    _calls.Add(disposing);
                }

                base.Dispose(disposing);
            }
        }
    }
}
