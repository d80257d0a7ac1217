using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>What <see cref="StateMonitor.Cleanup"/> would do now, computed without evicting (for -WhatIf).</summary>
    public sealed class CleanupPlan : CleanupOutcome
    {
        /// <summary>Creates the plan (for stores).</summary>
        public CleanupPlan(string monitorName, double targetPercentage, long targetBytes, long sizeBefore, IReadOnlyList<AllocationEntry> candidates, long bytesToFree, long pinnedSize, long pinnedCount)
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
    }
}
