using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>The result of <see cref="StateMonitor.Cleanup"/>: what was freed and which entries were evicted, least recently used first.</summary>
    public sealed class CleanupResult : CleanupOutcome
    {
        /// <summary>Creates the result (for stores).</summary>
        public CleanupResult(string monitorName, double targetPercentage, long targetBytes, long sizeBefore, IReadOnlyList<AllocationEntry> evicted, long freed, long pinnedSize, long pinnedCount)
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
}
