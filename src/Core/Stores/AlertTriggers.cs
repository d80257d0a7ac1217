namespace AgentFlow.Resources
{
    /// <summary>
    /// The edge-trigger state of a store's alerts: which conditions have already been announced, so that an
    /// alert is raised once per crossing and not again until the condition has cleared.
    /// </summary>
    public struct AlertTriggers
    {
        /// <summary>Resident bytes are at or above the cleanup threshold (ApproachingLimit for StateSize raised).</summary>
        public bool StateAtThreshold;

        /// <summary>Entries are at or above the cleanup threshold (ApproachingLimit for CacheEntries raised).</summary>
        public bool EntriesAtThreshold;

        /// <summary>Automatic cleanup is held above its target by pins (CleanupFailed raised for this stretch).</summary>
        public bool AutomaticCleanupFailing;
    }
}
