using System.Collections.Generic;

namespace AgentFlow.Resources.Tracking
{
    /// <summary>
    /// The accounting strategy behind a <see cref="StateMonitor"/>: detailed (per key, LRU) or counting
    /// (atomic totals only). Arguments arrive already validated by the monitor.
    /// </summary>
    internal abstract class AllocationTracker
    {
        protected AllocationTracker(ResourceLimits limits, AlertPublisher alerts)
        {
            Limits = limits;
            Alerts = alerts;
        }

        public ResourceLimits Limits { get; }

        protected AlertPublisher Alerts { get; }

        public abstract long CurrentSize { get; }

        public abstract long ValueCount { get; }

        public abstract AllocationResult Allocate(string key, long size, bool pin, ref Notifications notifications);

        public abstract bool Deallocate(string key, ref Notifications notifications);

        public abstract bool Deallocate(string key, long size, ref Notifications notifications);

        public abstract bool Access(string key);

        public abstract bool SetPinned(string key, bool pinned);

        public abstract AllocationEntry? Find(string key, string monitorName);

        public abstract CleanupResult Cleanup(double targetPercentage, string monitorName, ref Notifications notifications);

        public abstract CleanupPlan PlanCleanup(double targetPercentage, string monitorName);

        public abstract IReadOnlyList<string> GetLruKeys(int count);

        public abstract IReadOnlyList<AllocationEntry> GetAllocations(string monitorName);

        public abstract TrackerCounters ReadCounters();

        public abstract void Reset();
    }
}
