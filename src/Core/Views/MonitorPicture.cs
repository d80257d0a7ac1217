using System;
using System.Collections.Generic;
using System.Linq;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Everything a picture of one monitor shows, read once so that every part agrees: usage and counters,
    /// history, the largest and the least recently used entries, the latest alerts (peeked, never drained).
    /// </summary>
    public sealed class MonitorPicture
    {
        private MonitorPicture(StateMonitor monitor, int top, int alerts)
        {
            Monitor = monitor;
            Stats = monitor.GetStats();
            History = monitor.GetHistory();
            IReadOnlyList<AllocationEntry> entries = monitor.GetAllocations();
            LeastRecentlyUsed = entries.Take(top).ToArray();
            Largest = entries.OrderByDescending(e => e.ResidentSize).ThenBy(e => e.Key, StringComparer.Ordinal).Take(top).ToArray();
            IReadOnlyList<ResourceAlert> queued = monitor.PeekAlerts();
            RecentAlerts = queued.Skip(Math.Max(0, queued.Count - alerts)).ToArray();
            AllAlerts = queued;
        }

        /// <summary>The monitor.</summary>
        public StateMonitor Monitor { get; }

        /// <summary>Usage, counters and forecast.</summary>
        public ResourceStats Stats { get; }

        /// <summary>The usage history, oldest first.</summary>
        public IReadOnlyList<UsageSample> History { get; }

        /// <summary>The largest entries, largest first.</summary>
        public IReadOnlyList<AllocationEntry> Largest { get; }

        /// <summary>The least recently used entries, least recently used first.</summary>
        public IReadOnlyList<AllocationEntry> LeastRecentlyUsed { get; }

        /// <summary>The latest queued alerts, oldest first.</summary>
        public IReadOnlyList<ResourceAlert> RecentAlerts { get; }

        /// <summary>Every queued alert, oldest first.</summary>
        public IReadOnlyList<ResourceAlert> AllAlerts { get; }

        /// <summary>Reads a picture of <paramref name="monitor"/> with <paramref name="top"/> entries per list and the latest <paramref name="alerts"/> alerts.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> or <paramref name="alerts"/> is negative.</exception>
        public static MonitorPicture Take(StateMonitor monitor, int top, int alerts = 5)
        {
            if (monitor == null)
            {
                throw new ArgumentNullException(nameof(monitor));
            }

            if (top < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(top), top, "The number of entries to show must be 0 or more.");
            }

            if (alerts < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(alerts), alerts, "The number of alerts to show must be 0 or more.");
            }

            return new MonitorPicture(monitor, top, alerts);
        }
    }
}
