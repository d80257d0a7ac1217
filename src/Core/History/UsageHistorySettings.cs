using System;

namespace AgentFlow.Resources
{
    /// <summary>How a monitor keeps its usage history: one sample per interval, the latest <see cref="Length"/>, timed by <see cref="Clock"/>.</summary>
    public sealed class UsageHistorySettings
    {
        /// <summary>One sample per second by default.</summary>
        public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

        /// <summary>An hour of one-second samples by default.</summary>
        public const int DefaultLength = 3600;

        /// <summary>The most samples a history may keep.</summary>
        public const int MaxLength = 1000000;

        /// <summary>The defaults: 1 s intervals, 3600 samples, the system clock.</summary>
        public static UsageHistorySettings Default { get; } = new UsageHistorySettings(DefaultInterval, DefaultLength, null);

        /// <summary>Creates settings.</summary>
        /// <param name="interval">At most one sample per interval (at least 1 ms).</param>
        /// <param name="length">How many samples are kept, 0 (no history, so no prediction) to <see cref="MaxLength"/>.</param>
        /// <param name="clock">The clock; null for the system clock.</param>
        /// <exception cref="ArgumentOutOfRangeException">The interval is below 1 ms, or the length is out of range.</exception>
        public UsageHistorySettings(TimeSpan interval, int length, UsageClock? clock = null)
        {
            if (interval < TimeSpan.FromMilliseconds(1))
            {
                throw new ArgumentOutOfRangeException(nameof(interval), interval, "The history interval must be at least 1 millisecond (the default is 1 second).");
            }

            if (length < 0 || length > MaxLength)
            {
                throw new ArgumentOutOfRangeException(nameof(length), length, $"The history length must be from 0 (no history) to {MaxLength} samples (the default is {DefaultLength}).");
            }

            Interval = interval;
            Length = length;
            Clock = clock ?? UsageClock.System;
        }

        /// <summary>At most one sample per interval.</summary>
        public TimeSpan Interval { get; }

        /// <summary>How many samples are kept (0: none).</summary>
        public int Length { get; }

        /// <summary>The clock samples and alerts are timed by.</summary>
        public UsageClock Clock { get; }
    }
}
