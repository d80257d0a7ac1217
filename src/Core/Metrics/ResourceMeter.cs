using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO;
using System.Runtime.CompilerServices;

namespace AgentFlow.Resources
{
    /// <summary>
    /// The <c>System.Diagnostics.Metrics</c> instruments of every monitor in the process, on the Meter
    /// <see cref="MeterName"/>, each measurement tagged <c>monitor</c> with the monitor's name. Every instrument is
    /// observable: it reads the monitor's counters when a listener (dotnet-counters, OpenTelemetry, a
    /// MeterListener) collects, so recording an allocation pays nothing for metrics.
    /// </summary>
    public static class ResourceMeter
    {
        /// <summary>The Meter's name.</summary>
        public const string MeterName = "AgentFlow.Resources";

        private static readonly object s_gate = new object();
        private static readonly List<WeakReference<StateMonitor>> s_monitors = new List<WeakReference<StateMonitor>>();
        private static int s_pruneAt = 64;
        private static bool s_unavailable;
        private static object? s_meter;

        /// <summary>
        /// False when System.Diagnostics.DiagnosticSource cannot be loaded (Windows PowerShell 5.1 ships none):
        /// then no instruments exist, and everything else works.
        /// </summary>
        public static bool IsAvailable
        {
            get
            {
                lock (s_gate)
                {
                    EnsureMeter();
                    return !s_unavailable;
                }
            }
        }

        /// <summary>Adds a monitor to the measurements; held weakly, so a monitor that is dropped stops being measured.</summary>
        internal static void Register(StateMonitor monitor)
        {
            lock (s_gate)
            {
                EnsureMeter();
                if (s_unavailable)
                {
                    return;
                }

                if (s_monitors.Count >= s_pruneAt)
                {
                    s_monitors.RemoveAll(reference => !reference.TryGetTarget(out _));
                    s_pruneAt = Math.Max(64, s_monitors.Count * 2);
                }

                s_monitors.Add(new WeakReference<StateMonitor>(monitor));
            }
        }

        /// <summary>The monitors still alive, in the order they were created.</summary>
        internal static List<StateMonitor> LiveMonitors()
        {
            var live = new List<StateMonitor>();
            lock (s_gate)
            {
                foreach (WeakReference<StateMonitor> reference in s_monitors)
                {
                    if (reference.TryGetTarget(out StateMonitor? monitor))
                    {
                        live.Add(monitor);
                    }
                }
            }

            return live;
        }

        private static void EnsureMeter()
        {
            if (s_meter != null || s_unavailable)
            {
                return;
            }

            try
            {
                s_meter = MeterInstruments.Create();
            }
            catch (Exception exception) when (exception is FileNotFoundException || exception is FileLoadException || exception is TypeLoadException)
            {
                s_unavailable = true;
            }
        }

        /// <summary>The only code that names Meter types: kept apart so that a host without them fails here, where it is caught, and nowhere else.</summary>
        private static class MeterInstruments
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            public static object Create()
            {
                var meter = new Meter(MeterName, typeof(ResourceMeter).Assembly.GetName().Version?.ToString());
                meter.CreateObservableGauge("agentflow.state.size", () => Observe(stats => stats.CurrentSize), "By", "Resident bytes of the monitor's state.");
                meter.CreateObservableGauge("agentflow.state.limit", () => Observe(stats => stats.MaxStateSize), "By", "The monitor's MaxStateSize limit.");
                meter.CreateObservableGauge("agentflow.state.entries", () => Observe(stats => stats.ValueCount), "{entry}", "Entries the monitor tracks.");
                meter.CreateObservableGauge("agentflow.state.usage", () => Observe(stats => stats.UsagePercentage), "1", "Resident bytes as a fraction of MaxStateSize.");
                meter.CreateObservableCounter("agentflow.allocations", ObserveAllocations, "{allocation}", "Allocations recorded and rejected, by outcome.");
                meter.CreateObservableCounter("agentflow.evictions", () => Observe(stats => stats.TotalEvictions), "{eviction}", "Entries evicted by any cleanup.");
                meter.CreateObservableCounter("agentflow.evicted.size", () => Observe(stats => stats.EvictedBytes), "By", "Resident bytes freed by evictions.");
                meter.CreateObservableCounter("agentflow.alerts", ObserveAlerts, "{alert}", "Alerts raised, by type.");
                return meter;
            }

            private static IEnumerable<Measurement<T>> Observe<T>(Func<ResourceStats, T> read)
                where T : struct
            {
                foreach (StateMonitor monitor in LiveMonitors())
                {
                    if (TryStats(monitor, out ResourceStats stats))
                    {
                        yield return new Measurement<T>(read(stats), MonitorTag(monitor));
                    }
                }
            }

            private static IEnumerable<Measurement<long>> ObserveAllocations()
            {
                foreach (StateMonitor monitor in LiveMonitors())
                {
                    if (!TryStats(monitor, out ResourceStats stats))
                    {
                        continue;
                    }

                    yield return new Measurement<long>(stats.RecordedAllocations, MonitorTag(monitor), new KeyValuePair<string, object?>("outcome", "recorded"));
                    yield return new Measurement<long>(stats.RejectedAllocations, MonitorTag(monitor), new KeyValuePair<string, object?>("outcome", "rejected"));
                }
            }

            private static IEnumerable<Measurement<long>> ObserveAlerts()
            {
                foreach (StateMonitor monitor in LiveMonitors())
                {
                    if (!TryStats(monitor, out ResourceStats stats))
                    {
                        continue;
                    }

                    foreach (KeyValuePair<AlertType, long> count in stats.AlertsRaised.ByType())
                    {
                        yield return new Measurement<long>(count.Value, MonitorTag(monitor), new KeyValuePair<string, object?>("type", count.Key.ToString()));
                    }
                }
            }

            // A monitor whose store cannot be read now (a shared budget's server is down) reports nothing in this
            // collection, a gap in its series: the other monitors are still measured, and the listener (an exporter
            // scraping every monitor of the process) is never handed the store's exception.
            private static bool TryStats(StateMonitor monitor, out ResourceStats stats)
            {
                if ((monitor.Store.Capabilities & StoreCapabilities.Shared) != 0)
                {
                    return SharedReadings.TryGet(monitor, out stats);
                }

                ResourceStats? read = Read(monitor);
                stats = read!;
                return read != null;
            }

            internal static ResourceStats? Read(StateMonitor monitor)
            {
                try
                {
                    return monitor.GetStats();
                }
                catch (SharedStoreException)
                {
                    return null;
                }
            }

            private static KeyValuePair<string, object?> MonitorTag(StateMonitor monitor) => new KeyValuePair<string, object?>("monitor", monitor.Name);
        }

        /// <summary>
        /// The stats of shared budgets, read once per collection. Every instrument reads every monitor, and a shared
        /// budget's stats cost round trips to its server; when that server does not answer, each read waits the
        /// client's timeout, so a collection of eight instruments would wait eight timeouts per such budget. Instead the
        /// first read of a collection reads every shared monitor in one pass, and the readings (a failure too) serve the
        /// instruments until <see cref="Lifetime"/> passes without a read. A monitor made since the pass (another
        /// thread's) is read alone and joins them, so it neither starts a pass that reads the others again nor lets
        /// its own read's wait age them out. A budget whose client has no connection is not read at all: the read would
        /// only wait for its timeout. Every <see cref="MaxAge"/> at the latest a new pass reads them all again, so a
        /// process that keeps making shared monitors still sees fresh values. In-process monitors are always read live.
        /// </summary>
        private static class SharedReadings
        {
            private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);
            private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);
            private static readonly long s_lifetimeTicks = (long)(Lifetime.TotalSeconds * Stopwatch.Frequency);
            private static readonly long s_maxAgeTicks = (long)(MaxAge.TotalSeconds * Stopwatch.Frequency);

            // Also held while the servers are read: a concurrent collection waits for the pass and uses it.
            private static readonly object s_gate = new object();
            private static ConditionalWeakTable<StateMonitor, Reading> s_readings = new ConditionalWeakTable<StateMonitor, Reading>();
            private static long s_passEndedAt;
            private static long s_lastReadEndedAt;
            private static bool s_passed;

            public static bool TryGet(StateMonitor monitor, out ResourceStats stats)
            {
                lock (s_gate)
                {
                    long now = Stopwatch.GetTimestamp();
                    if (!s_passed || now - s_lastReadEndedAt > s_lifetimeTicks || now - s_passEndedAt > s_maxAgeTicks)
                    {
                        var readings = new ConditionalWeakTable<StateMonitor, Reading>();
                        foreach (StateMonitor shared in LiveMonitors())
                        {
                            if ((shared.Store.Capabilities & StoreCapabilities.Shared) != 0)
                            {
                                readings.Add(shared, Read(shared));
                            }
                        }

                        s_readings = readings;
                        s_passEndedAt = s_lastReadEndedAt = Stopwatch.GetTimestamp();
                        s_passed = true;
                    }

                    if (!s_readings.TryGetValue(monitor, out Reading? reading))
                    {
                        reading = Read(monitor);
                        s_readings.Add(monitor, reading);
                        s_lastReadEndedAt = Stopwatch.GetTimestamp();
                    }

                    stats = reading.Stats!;
                    return reading.Stats != null;
                }
            }

            private static Reading Read(StateMonitor monitor) =>
                new Reading(monitor.Store.IsReachable ? MeterInstruments.Read(monitor) : null);

            private sealed class Reading
            {
                public Reading(ResourceStats? stats) => Stats = stats;

                /// <summary>Null when the store could not be read.</summary>
                public ResourceStats? Stats { get; }
            }
        }
    }
}
