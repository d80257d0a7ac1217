using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AgentFlow.Resources.Files;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Writes monitors' usage and counters in the Prometheus text exposition format (version 0.0.4): one HELP
    /// and one TYPE line per metric family, then one sample per monitor labelled <c>monitor</c>, families in a
    /// fixed order and monitors by name, so that the output of the same state is the same bytes.
    /// </summary>
    public static class PrometheusExposition
    {
        /// <summary>The content type node_exporter and Prometheus expect for this format.</summary>
        public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

        private static readonly Family[] Families =
        {
            new Family("agentflow_state_bytes", "gauge", "Resident bytes of the monitor's state.", s => s.CurrentSize),
            new Family("agentflow_state_limit_bytes", "gauge", "The monitor's MaxStateSize limit in bytes.", s => s.MaxStateSize),
            new Family("agentflow_state_threshold_bytes", "gauge", "Resident bytes at which cleanup is due (MaxStateSize times CleanupThreshold).", s => s.CleanupThresholdBytes),
            new Family("agentflow_state_peak_bytes", "gauge", "The highest resident bytes since the monitor was created or reset.", s => s.PeakSize),
            new Family("agentflow_state_pinned_bytes", "gauge", "Resident bytes of pinned entries.", s => s.PinnedSize),
            new Family("agentflow_state_entries", "gauge", "Entries the monitor tracks.", s => s.ValueCount),
            new Family("agentflow_state_entries_limit", "gauge", "The monitor's MaxCacheEntries limit.", s => s.MaxCacheEntries),
            new Family("agentflow_allocations_total", "counter", "Allocations recorded (accepted) by the monitor.", s => s.RecordedAllocations),
            new Family("agentflow_rejections_total", "counter", "Allocations rejected by a limit.", s => s.RejectedAllocations),
            new Family("agentflow_evictions_total", "counter", "Entries evicted by any cleanup.", s => s.TotalEvictions),
            new Family("agentflow_evicted_bytes_total", "counter", "Resident bytes freed by evictions.", s => s.EvictedBytes),
        };

        /// <summary>The exposition of <paramref name="stats"/> as a string (lines end in \n).</summary>
        public static string Format(IEnumerable<ResourceStats> stats)
        {
            var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            Write(writer, stats);
            return writer.ToString();
        }

        /// <summary>Writes the exposition of <paramref name="stats"/> to a file atomically, in UTF-8 without a byte order mark.</summary>
        public static void WriteFile(string path, IEnumerable<ResourceStats> stats)
        {
            AtomicFile.WriteAllText(path, Format(stats));
        }

        /// <summary>Writes the exposition of <paramref name="stats"/> to <paramref name="writer"/>.</summary>
        public static void Write(TextWriter writer, IEnumerable<ResourceStats> stats)
        {
            if (writer == null)
            {
                throw new ArgumentNullException(nameof(writer));
            }

            if (stats == null)
            {
                throw new ArgumentNullException(nameof(stats));
            }

            ResourceStats[] ordered = stats.OrderBy(s => s.MonitorName, StringComparer.Ordinal).ToArray();
            foreach (Family family in Families)
            {
                Header(writer, family.Name, family.Type, family.Help);
                foreach (ResourceStats s in ordered)
                {
                    Sample(writer, family.Name, Label("monitor", s.MonitorName), family.Read(s).ToString(CultureInfo.InvariantCulture));
                }
            }

            Header(writer, "agentflow_alerts_total", "counter", "Alerts raised, by type.");
            foreach (ResourceStats s in ordered)
            {
                foreach (KeyValuePair<AlertType, long> count in s.AlertsRaised.ByType())
                {
                    Sample(writer, "agentflow_alerts_total", Label("monitor", s.MonitorName) + "," + Label("type", count.Key.ToString()), count.Value.ToString(CultureInfo.InvariantCulture));
                }
            }

            ResourceStats[] forecasting = ordered.Where(s => s.GrowthRate.HasValue).ToArray();
            if (forecasting.Length > 0)
            {
                Header(writer, "agentflow_state_growth_bytes_per_second", "gauge", "Estimated growth of resident bytes (least squares over recent history).");
                foreach (ResourceStats s in forecasting)
                {
                    Sample(writer, "agentflow_state_growth_bytes_per_second", Label("monitor", s.MonitorName), Number(s.GrowthRate!.Value));
                }
            }
        }

        /// <summary>Escapes a label value: backslash, double quote and line feed (the format's only escapes).</summary>
        public static string EscapeLabelValue(string value)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            var builder = new StringBuilder(value.Length + 8);
            foreach (char c in value)
            {
                switch (c)
                {
                    case '\\':
                        builder.Append("\\\\");
                        break;
                    case '"':
                        builder.Append("\\\"");
                        break;
                    case '\n':
                        builder.Append("\\n");
                        break;
                    default:
                        builder.Append(c);
                        break;
                }
            }

            return builder.ToString();
        }

        private static void Header(TextWriter writer, string name, string type, string help)
        {
            writer.Write("# HELP ");
            writer.Write(name);
            writer.Write(' ');
            writer.Write(help.Replace("\\", "\\\\").Replace("\n", "\\n"));
            writer.Write('\n');
            writer.Write("# TYPE ");
            writer.Write(name);
            writer.Write(' ');
            writer.Write(type);
            writer.Write('\n');
        }

        private static void Sample(TextWriter writer, string name, string labels, string value)
        {
            writer.Write(name);
            writer.Write('{');
            writer.Write(labels);
            writer.Write("} ");
            writer.Write(value);
            writer.Write('\n');
        }

        private static string Label(string name, string value) => name + "=\"" + EscapeLabelValue(value) + "\"";

        private static string Number(double value) =>
            double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("R", CultureInfo.InvariantCulture);

        private sealed class Family
        {
            public Family(string name, string type, string help, Func<ResourceStats, long> read)
            {
                Name = name;
                Type = type;
                Help = help;
                Read = read;
            }

            public string Name { get; }

            public string Type { get; }

            public string Help { get; }

            public Func<ResourceStats, long> Read { get; }
        }
    }
}
