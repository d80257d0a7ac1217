namespace AgentFlow.Resources
{
    /// <summary>A snapshot of one tracked entry.</summary>
    public sealed class AllocationEntry
    {
        /// <summary>Creates the snapshot.</summary>
        public AllocationEntry(string monitorName, string key, long size, long residentSize, bool isPinned, bool isStreamed)
        {
            MonitorName = monitorName;
            Key = key;
            Size = size;
            ResidentSize = residentSize;
            IsPinned = isPinned;
            IsStreamed = isStreamed;
        }

        /// <summary>The monitor that tracks (or tracked) the entry.</summary>
        public string MonitorName { get; }

        /// <summary>The entry's key (ordinal, case-sensitive).</summary>
        public string Key { get; }

        /// <summary>The full size recorded for the value, in bytes.</summary>
        public long Size { get; }

        /// <summary>The bytes it counts against MaxStateSize: Size, or one chunk for a streamed value.</summary>
        public long ResidentSize { get; }

        /// <summary>Pinned entries are never evicted.</summary>
        public bool IsPinned { get; }

        /// <summary>True when the value is larger than MaxValueSize and only one chunk of it is resident.</summary>
        public bool IsStreamed { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Wording.Key(Key)} ({ByteSize.Format(Size)}{(IsPinned ? ", pinned" : string.Empty)}{(IsStreamed ? ", streamed" : string.Empty)})";
    }
}
