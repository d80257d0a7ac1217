namespace AgentFlow.Resources
{
    /// <summary>What a sync changed: entries added, updated and removed, with their bytes.</summary>
    public sealed class SyncSummary
    {
        /// <summary>An empty summary for a sync of <paramref name="scope"/> in the monitor <paramref name="monitorName"/>.</summary>
        public SyncSummary(string monitorName, string scope)
        {
            MonitorName = monitorName;
            Scope = scope;
        }

        /// <summary>The monitor synced.</summary>
        public string MonitorName { get; }

        /// <summary>What was synced: a folder's full path, or <c>process/</c>.</summary>
        public string Scope { get; }

        /// <summary>Entries recorded for things not tracked before.</summary>
        public int Added { get; private set; }

        /// <summary>Their bytes.</summary>
        public long AddedBytes { get; private set; }

        /// <summary>Entries replaced because their size changed.</summary>
        public int Updated { get; private set; }

        /// <summary>Their bytes now.</summary>
        public long UpdatedBytes { get; private set; }

        /// <summary>Entries removed because their thing is gone.</summary>
        public int Removed { get; private set; }

        /// <summary>The bytes they had.</summary>
        public long RemovedBytes { get; private set; }

        /// <summary>Tracked things found unchanged (left alone, in their LRU place).</summary>
        public int Unchanged { get; private set; }

        /// <summary>How the changes moved the total of recorded sizes (added + growth − shrinkage − removed).</summary>
        public long SizeChange { get; private set; }

        /// <summary>Counts a change that was made.</summary>
        public void Count(SyncChange change)
        {
            switch (change.Kind)
            {
                case SyncChangeKind.Added:
                    Added++;
                    AddedBytes += change.Size;
                    break;
                case SyncChangeKind.Updated:
                    Updated++;
                    UpdatedBytes += change.Size;
                    break;
                default:
                    Removed++;
                    RemovedBytes += change.Size;
                    break;
            }

            SizeChange += change.SizeChange;
        }

        /// <summary>Counts things found unchanged.</summary>
        public void CountUnchanged(int count) => Unchanged += count;

        /// <inheritdoc />
        public override string ToString() =>
            $"{Scope}: {Added} added ({ByteSize.Format(AddedBytes)}), {Updated} updated ({ByteSize.Format(UpdatedBytes)}), {Removed} removed ({ByteSize.Format(RemovedBytes)}), {Unchanged} unchanged";
    }
}
