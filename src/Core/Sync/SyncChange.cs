namespace AgentFlow.Resources
{
    /// <summary>What a sync does to one entry.</summary>
    public enum SyncChangeKind
    {
        /// <summary>A thing not tracked yet: recorded.</summary>
        Added,

        /// <summary>A tracked thing whose size changed: replaced with the new size (its pin stays).</summary>
        Updated,

        /// <summary>A tracked thing that is gone: removed.</summary>
        Removed,
    }

    /// <summary>One change a sync makes (or, with -WhatIf, would make).</summary>
    public sealed class SyncChange
    {
        /// <summary>Creates the change.</summary>
        public SyncChange(SyncChangeKind kind, string key, long size, long previousSize)
        {
            Kind = kind;
            Key = key;
            Size = size;
            PreviousSize = previousSize;
        }

        /// <summary>Added, updated or removed.</summary>
        public SyncChangeKind Kind { get; }

        /// <summary>The entry's key.</summary>
        public string Key { get; }

        /// <summary>The size recorded now (added, updated), or the size removed.</summary>
        public long Size { get; }

        /// <summary>The size tracked before (updated, removed); 0 for an added entry.</summary>
        public long PreviousSize { get; }

        /// <summary>How the change moves the monitor's total of recorded sizes.</summary>
        public long SizeChange => Kind == SyncChangeKind.Removed ? -Size : Size - PreviousSize;

        /// <inheritdoc />
        public override string ToString() =>
            Kind switch
            {
                SyncChangeKind.Added => $"Add '{Key}' ({ByteSize.Format(Size)})",
                SyncChangeKind.Updated => $"Update '{Key}' from {ByteSize.Format(PreviousSize)} to {ByteSize.Format(Size)}",
                _ => $"Remove '{Key}' ({ByteSize.Format(Size)}), no longer there",
            };
    }
}
