using System;
using System.Collections.Generic;
using System.Globalization;

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

    /// <summary>The result of <see cref="StateMonitor.Cleanup"/>: what was freed and which entries were evicted, least recently used first.</summary>
    public sealed class CleanupResult : CleanupOutcome
    {
        internal CleanupResult(string monitorName, double targetPercentage, long targetBytes, long sizeBefore, IReadOnlyList<AllocationEntry> evicted, long freed, long pinnedSize, long pinnedCount)
            : base(monitorName, targetPercentage, targetBytes, sizeBefore, evicted, freed, pinnedSize, pinnedCount)
        {
        }

        /// <summary>Resident bytes freed.</summary>
        public long BytesFreed => Bytes;

        /// <summary>Entries evicted.</summary>
        public int EntriesRemoved => Entries.Count;

        /// <summary>The evicted entries, least recently used first.</summary>
        public IReadOnlyList<AllocationEntry> Evicted => Entries;

        /// <summary>Lets <c>var (freed, removed) = monitor.Cleanup(0.5);</c> read as in the design document.</summary>
        public void Deconstruct(out long bytesFreed, out int entriesRemoved)
        {
            bytesFreed = BytesFreed;
            entriesRemoved = EntriesRemoved;
        }

        /// <inheritdoc />
        public override string ToString() =>
            $"Freed {ByteSize.Format(BytesFreed)} by evicting {Wording.Entries(EntriesRemoved)}; {ByteSize.Format(SizeAfter)} resident, target {ByteSize.Format(TargetBytes)} {(TargetReached ? "reached" : "not reached")}.";
    }

    /// <summary>What <see cref="StateMonitor.Cleanup"/> would do now, computed without evicting (for -WhatIf).</summary>
    public sealed class CleanupPlan : CleanupOutcome
    {
        internal CleanupPlan(string monitorName, double targetPercentage, long targetBytes, long sizeBefore, IReadOnlyList<AllocationEntry> candidates, long bytesToFree, long pinnedSize, long pinnedCount)
            : base(monitorName, targetPercentage, targetBytes, sizeBefore, candidates, bytesToFree, pinnedSize, pinnedCount)
        {
        }

        /// <summary>Resident bytes the cleanup would free.</summary>
        public long BytesToFree => Bytes;

        /// <summary>The entries it would evict, least recently used first.</summary>
        public IReadOnlyList<AllocationEntry> Candidates => Entries;

        /// <inheritdoc />
        public override string ToString() =>
            $"Would free {ByteSize.Format(BytesToFree)} by evicting {Wording.Entries(Candidates.Count)}, down to {ByteSize.Format(SizeAfter)} (target {ByteSize.Format(TargetBytes)}{(TargetReached ? string.Empty : ", not reachable: " + ByteSize.Format(PinnedSize) + " pinned")}).";

        internal static string DescribeTarget(double targetPercentage) => (targetPercentage * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";
    }
}
