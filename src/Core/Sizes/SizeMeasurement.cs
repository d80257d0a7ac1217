namespace AgentFlow.Resources
{
    /// <summary>What a <see cref="SizeEstimator"/> measured: how many objects, and their estimated bytes together.</summary>
    public sealed class SizeMeasurement
    {
        /// <summary>Creates the result.</summary>
        public SizeMeasurement(long count, long size)
        {
            Count = count;
            Size = size;
        }

        /// <summary>Objects measured.</summary>
        public long Count { get; }

        /// <summary>Their estimated bytes, each object counted once.</summary>
        public long Size { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Count} {(Count == 1 ? "object" : "objects")}, {ByteSize.Format(Size)}";
    }
}
