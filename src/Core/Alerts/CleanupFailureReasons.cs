namespace AgentFlow.Resources
{
    /// <summary>
    /// The words of every CleanupFailed alert, in one place. The in-process stores raise their alerts with them; the
    /// Redis stores' script records only a code and the numbers, and the alert is worded here when it is read, so an
    /// alert reads the same whichever store raised it and whichever host drains it.
    /// </summary>
    internal static class CleanupFailureReasons
    {
        /// <summary>The refusal of a fast (counters-only) monitor to clean up; also the message of the exception it throws.</summary>
        public const string FastMonitorCannotClean = "Fast monitors keep no per-key data, so they cannot clean up. Create the monitor without fast mode to use cleanup, LRU order and pins.";

        /// <summary>An allocation rejected because even evicting every unpinned entry would leave too much.</summary>
        public static string CannotMakeRoom(string key, long keptBytes, long keptCount, long maxStateSize, long maxCacheEntries, long pinnedSize, long pinnedCount) =>
            $"Cannot make room for '{Wording.Key(key)}': even evicting every unpinned entry leaves {ByteSize.Format(keptBytes)} in {Wording.Entries(keptCount)}, "
            + $"over the limits of {ByteSize.Format(maxStateSize)} and {Wording.Entries(maxCacheEntries)}; {Pinned(pinnedSize, pinnedCount)}.";

        /// <summary>A cleanup run (Cleanup) that stopped above its target.</summary>
        public static string CleanupStopped(double targetPercentage, long targetBytes, long sizeAfter, long pinnedSize, long pinnedCount) =>
            $"Cleanup to {Wording.Percent(targetPercentage)} ({ByteSize.Format(targetBytes)}) stopped at {ByteSize.Format(sizeAfter)}: {Pinned(pinnedSize, pinnedCount)}.";

        /// <summary>Automatic (threshold) cleanup held above its target.</summary>
        public static string AutomaticCleanupStopped(long size, long count, long targetBytes, long targetEntries, long pinnedSize, long pinnedCount) =>
            $"Automatic cleanup stopped at {ByteSize.Format(size)} in {Wording.Entries(count)}, above its target of {ByteSize.Format(targetBytes)} and {Wording.Entries(targetEntries)}: "
            + $"{Pinned(pinnedSize, pinnedCount)}.";

        private static string Pinned(long size, long count) => $"{ByteSize.Format(size)} is pinned in {Wording.Entries(count)}";
    }
}
