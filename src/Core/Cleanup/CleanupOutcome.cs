using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>What a cleanup did (or, for a <see cref="CleanupPlan"/>, would do).</summary>
    public class CleanupOutcome
    {
        internal CleanupOutcome(string monitorName, double targetPercentage, long targetBytes, long sizeBefore, IReadOnlyList<AllocationEntry> entries, long bytes, long pinnedSize, long pinnedCount)
        {
            MonitorName = monitorName;
            TargetPercentage = targetPercentage;
            TargetBytes = targetBytes;
            SizeBefore = sizeBefore;
            Entries = entries;
            Bytes = bytes;
            SizeAfter = sizeBefore - bytes;
            TargetReached = SizeAfter <= targetBytes;
            PinnedSize = pinnedSize;
            PinnedCount = pinnedCount;
        }

        /// <summary>The monitor cleaned.</summary>
        public string MonitorName { get; }

        /// <summary>The target as a fraction of MaxStateSize.</summary>
        public double TargetPercentage { get; }

        /// <summary>floor(target × MaxStateSize).</summary>
        public long TargetBytes { get; }

        /// <summary>Resident bytes before the cleanup.</summary>
        public long SizeBefore { get; }

        /// <summary>Resident bytes after it.</summary>
        public long SizeAfter { get; }

        /// <summary>True when SizeAfter is at or below TargetBytes.</summary>
        public bool TargetReached { get; }

        /// <summary>Resident bytes held by pinned entries (they are never evicted).</summary>
        public long PinnedSize { get; }

        /// <summary>Pinned entries.</summary>
        public long PinnedCount { get; }

        internal IReadOnlyList<AllocationEntry> Entries { get; }

        internal long Bytes { get; }
    }
}
