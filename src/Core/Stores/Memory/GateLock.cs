using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace AgentFlow.Resources
{
    /// <summary>
    /// The mutual-exclusion lock of a detailed tracker. Uncontended it costs one compare-and-swap to enter
    /// and one exchange to leave: about half of what <see cref="Monitor"/> costs on Linux, where every
    /// Monitor.Enter and Exit also looks the current thread up through dynamic thread-local storage (the
    /// lock was 40 % of a RecordAccess). A thread that finds it held spins with exponential back-off (few
    /// looks at the lock's cache line, so the holder keeps its speed) for up to some tens of microseconds,
    /// then sleeps on a Monitor until a holder leaves, so waiting threads do not burn a core.
    /// Not re-entrant: the tracker never calls into itself while holding it (events are raised after it is
    /// released).
    /// </summary>
    internal sealed class GateLock
    {
        // Stryker disable once Conditional,Equality : how many times a waiter spins before it sleeps changes only how long it spins, not who gets the lock.
        private static readonly int SpinAttempts = Environment.ProcessorCount > 1 ? 24 : 0;

        private readonly object _sleepers = new object();
        private readonly int _sleepTimeout;
        private int _held;
        private int _waiters;
        private int _wakePending;

        /// <summary>A lock whose sleepers also look again every 20 ms (a safety net, see <see cref="EnterContended"/>).</summary>
        public GateLock()
            : this(20)
        {
        }

        /// <summary>
        /// A lock whose sleepers look again after <paramref name="sleepTimeoutMilliseconds"/> even without a wake-up;
        /// <see cref="Timeout.Infinite"/> makes a lost wake-up a hang, which is how tests look for one.
        /// </summary>
        // Stryker disable once Block : without the body the timeout is 0, so a sleeper polls the lock instead of sleeping until a release wakes it: it still gets the lock when it is free, only sooner and at the cost of a busy core.
        internal GateLock(int sleepTimeoutMilliseconds)
        {
            _sleepTimeout = sleepTimeoutMilliseconds;
        }

        /// <summary>Threads counted as asleep or about to sleep on the lock (for tests: a release must wake them, and a woken one stops counting).</summary>
        internal int Sleepers => Volatile.Read(ref _waiters);

        /// <summary>Enters the lock; dispose the result (a <c>using</c> block) to leave it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Holder Hold()
        {
            if (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
            {
                EnterContended();
            }

            return new Holder(this);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Exit()
        {
            // The exchange is a full fence, so the read of _waiters cannot move before the release: either
            // this thread sees a sleeper that counted itself, or that sleeper sees the lock free (Dekker).
            Interlocked.Exchange(ref _held, 0);
            if (Volatile.Read(ref _waiters) != 0)
            {
                WakeOne();
            }
        }

        private bool TryTake() => Volatile.Read(ref _held) == 0 && Interlocked.CompareExchange(ref _held, 1, 0) == 0;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void EnterContended()
        {
            // Spin with exponential back-off (as Monitor does): few looks at the lock's cache line, so the
            // holder is not slowed down, for up to tens of microseconds before sleeping. On a single processor
            // the holder cannot run while this thread spins, so it sleeps at once.
            int backoff = 1;
            for (int attempt = 0;
                 // Stryker disable once Equality : one spin more or none changes only how long a waiter spins before it sleeps.
                 attempt < SpinAttempts;
                 attempt++)
            {
                // Stryker disable once Statement : the back-off spin only spaces out the looks at the lock.
                Thread.SpinWait(backoff);
                if (TryTake())
                {
                    return;
                }

                // Stryker disable once Equality,Boolean,Assignment : the back-off's growth and cap change only how long each spin lasts.
                if (backoff < 128)
                {
                    backoff <<= 1;
                }
            }

            lock (_sleepers)
            {
                // Counted (a full fence) before every look at the lock, and the count is read by Exit only
                // after its release: a release can never pass a sleeper unnoticed. A sleeper holds _sleepers
                // from its look until Monitor.Wait releases it, so the wake-up cannot come in between.
                Interlocked.Increment(ref _waiters);
                try
                {
                    while (true)
                    {
                        // Before every look: from now on the next release wakes a sleeper again (a wake-up
                        // that found nobody asleep must not stay pending). The exchange is a full fence: a
                        // release that still saw the old flag set is seen by the look that follows.
                        Interlocked.Exchange(ref _wakePending, 0);
                        if (TryTake())
                        {
                            return;
                        }

                        // The timeout is a safety net only: a wake-up is never lost (see Exit and WakeOne), but
                        // if one ever were, a sleeper would look again after 20 ms instead of never. Tests run
                        // without it, so that a lost wake-up hangs instead of hiding.
                        Monitor.Wait(_sleepers, _sleepTimeout);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _waiters);
                }
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void WakeOne()
        {
            // One wake-up at a time: while a woken sleeper has not run yet, further releases do not pay for
            // another pulse (that sleeper looks at the lock again before it sleeps again).
            // Stryker disable once Logical : with && a release may pulse again while a wake-up is pending: an extra pulse wakes a sleeper that looks and sleeps again, a cost only.
            if (Volatile.Read(ref _wakePending) != 0 || Interlocked.CompareExchange(ref _wakePending, 1, 0) != 0)
            {
                // Stryker disable once Statement : without the return every release pulses: extra wake-ups cost time, none is lost.
                return;
            }

            lock (_sleepers)
            {
                Monitor.Pulse(_sleepers);
            }
        }

        /// <summary>Leaves the lock when disposed.</summary>
        public readonly struct Holder : IDisposable
        {
            private readonly GateLock _gate;

            internal Holder(GateLock gate)
            {
                _gate = gate;
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public void Dispose() => _gate.Exit();
        }
    }
}
