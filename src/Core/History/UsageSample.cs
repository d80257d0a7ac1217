using System;

namespace AgentFlow.Resources
{
    /// <summary>One point of a monitor's usage history: the latest usage seen in one history interval.</summary>
    public sealed class UsageSample
    {
        /// <summary>Creates a sample.</summary>
        public UsageSample(DateTime timestamp, long currentSize, long valueCount, double usagePercentage)
        {
            Timestamp = timestamp;
            CurrentSize = currentSize;
            ValueCount = valueCount;
            UsagePercentage = usagePercentage;
        }

        /// <summary>The start of the interval (UTC); the values are the latest seen in it.</summary>
        public DateTime Timestamp { get; }

        /// <summary>Resident bytes.</summary>
        public long CurrentSize { get; }

        /// <summary>Entries tracked.</summary>
        public long ValueCount { get; }

        /// <summary>CurrentSize / MaxStateSize, a fraction.</summary>
        public double UsagePercentage { get; }

        /// <inheritdoc />
        public override string ToString() =>
            $"{Timestamp:yyyy-MM-dd HH:mm:ss} {ByteSize.Format(CurrentSize)} in {Wording.Entries(ValueCount)}";
    }
}
