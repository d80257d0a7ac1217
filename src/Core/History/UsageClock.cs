using System;
using System.Globalization;
using System.Threading;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Where a monitor's usage history and prediction take the time from. <see cref="System"/> is the real
    /// clock; tests and simulations inject a <see cref="ManualClock"/> so that they are exact and never sleep.
    /// </summary>
    public abstract class UsageClock
    {
        /// <summary>The system's UTC time, refreshed about ten times a second (history intervals are 1 s by default).</summary>
        public static UsageClock System => SystemUsageClock.Instance;

        /// <summary>The current time (UTC).</summary>
        public abstract DateTime UtcNow { get; }

        /// <summary>The current time as exactly as the clock knows it: what alerts are stamped with (they are rare, so they may ask the system).</summary>
        internal virtual DateTime ExactUtcNow => UtcNow;
    }

    /// <summary>A clock that stands still until it is set or advanced; thread-safe.</summary>
    public sealed class ManualClock : UsageClock
    {
        private long _ticks;

        /// <summary>A clock showing <paramref name="start"/> (converted to UTC).</summary>
        public ManualClock(DateTime start)
        {
            _ticks = start.ToUniversalTime().Ticks;
        }

        /// <summary>A clock showing 2026-01-01 00:00:00 UTC.</summary>
        public ManualClock()
            : this(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc))
        {
        }

        /// <inheritdoc />
        public override DateTime UtcNow
        {
            get => new DateTime(Interlocked.Read(ref _ticks), DateTimeKind.Utc);
        }

        /// <summary>Sets the time (converted to UTC); it may go backwards, which history treats as no time passing.</summary>
        public void Set(DateTime time) => Interlocked.Exchange(ref _ticks, time.ToUniversalTime().Ticks);

        /// <summary>Moves the clock on by <paramref name="amount"/> and returns the new time.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The amount is negative.</exception>
        public DateTime Advance(TimeSpan amount)
        {
            if (amount < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(amount), amount, "A clock can only be advanced by zero or a positive time span.");
            }

            return new DateTime(Interlocked.Add(ref _ticks, amount.Ticks), DateTimeKind.Utc);
        }

        /// <inheritdoc />
        public override string ToString() => "Manual clock at " + UtcNow.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " UTC";
    }

    /// <summary>
    /// The system clock behind a cached value that a timer refreshes every 100 ms. DateTime.UtcNow costs about
    /// as much as a whole update of an existing key; reading one field costs nothing measurable, and the
    /// history's intervals (1 s by default) do not need finer time.
    /// </summary>
    internal sealed class SystemUsageClock : UsageClock
    {
        private const int RefreshMilliseconds = 100;

        public static readonly SystemUsageClock Instance = new SystemUsageClock();

        private static long s_ticks = DateTime.UtcNow.Ticks;

        // Kept in a field so that the timer is not collected; it never keeps the process alive.
        private readonly Timer _refresh;

        private SystemUsageClock()
        {
            _refresh = new Timer(_ => Volatile.Write(ref s_ticks, DateTime.UtcNow.Ticks), null, RefreshMilliseconds, RefreshMilliseconds);
        }

        public override DateTime UtcNow => new DateTime(Volatile.Read(ref s_ticks), DateTimeKind.Utc);

        internal override DateTime ExactUtcNow => DateTime.UtcNow;

        public override string ToString() => "System clock (UTC, refreshed every 100 ms)";
    }
}
