using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using AgentFlow.Resources.Files;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Writes one self-contained HTML page (inline style and SVG; no script, font or style sheet from elsewhere)
    /// with, per monitor: its figures, usage over time with the limit, threshold and target lines and the alerts
    /// on the time line, the entries by size, the limits and the queued alerts. Every figure is an element with a
    /// <c>data-figure</c> attribute holding the exact number, so a browser's DOM can be checked against the monitor.
    /// </summary>
    public static class UsageHtmlReport
    {
        private const int ChartWidth = 760;
        private const int ChartHeight = 260;
        private const int Left = 70;
        private const int Right = 110;
        private const int Top = 16;
        private const int Bottom = 34;
        private const int MaxEntryBars = 20;

        /// <summary>Writes the report to <paramref name="path"/> atomically (UTF-8, no byte order mark).</summary>
        public static void WriteFile(string path, IReadOnlyList<MonitorPicture> pictures, DateTime generatedUtc)
        {
            var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            Write(writer, pictures, generatedUtc);
            AtomicFile.WriteAllText(path, writer.ToString());
        }

        /// <summary>Writes the report to <paramref name="writer"/>.</summary>
        public static void Write(TextWriter writer, IReadOnlyList<MonitorPicture> pictures, DateTime generatedUtc)
        {
            if (writer == null)
            {
                throw new ArgumentNullException(nameof(writer));
            }

            if (pictures == null)
            {
                throw new ArgumentNullException(nameof(pictures));
            }

            var html = new StringBuilder();
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
            html.Append("<title>AgentFlow.Resources report</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
            html.Append("<header><h1>AgentFlow.Resources report</h1><p>Generated <time data-figure=\"generated\" datetime=\"")
                .Append(generatedUtc.ToString("o", CultureInfo.InvariantCulture)).Append("\">")
                .Append(generatedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(" UTC</time> · ")
                .Append(pictures.Count.ToString(CultureInfo.InvariantCulture)).Append(pictures.Count == 1 ? " monitor" : " monitors").Append("</p></header>\n");
            foreach (MonitorPicture picture in pictures)
            {
                Section(html, picture);
            }

            html.Append("</body>\n</html>\n");
            writer.Write(html.ToString());
        }

        private static void Section(StringBuilder html, MonitorPicture picture)
        {
            ResourceStats s = picture.Stats;
            ResourceLimits limits = picture.Monitor.Limits;
            html.Append("<section class=\"monitor\" data-monitor=\"").Append(Attr(s.MonitorName)).Append("\">\n");
            html.Append("<h2>").Append(Text(s.MonitorName)).Append(" <small>").Append(s.IsFast ? "fast" : "detailed").Append(" monitor</small></h2>\n");

            html.Append("<div class=\"figures\">\n");
            Figure(html, "current-size", "Current size", s.CurrentSize, Bytes(s.CurrentSize));
            Figure(html, "usage", "Usage", s.UsagePercentage, Percent(s.UsagePercentage));
            Figure(html, "entries", "Entries", s.ValueCount, Count(s.ValueCount) + " of " + Count(s.MaxCacheEntries));
            Figure(html, "peak-size", "Peak", s.PeakSize, Bytes(s.PeakSize));
            Figure(html, "growth-rate", "Growth", s.GrowthRate, s.GrowthRate.HasValue ? Rate(s.GrowthRate.Value) : "not enough history");
            Figure(html, "time-to-threshold", "Threshold in", s.TimeToThreshold?.TotalSeconds, Duration(s.TimeToThreshold));
            Figure(html, "time-to-limit", "Limit in", s.TimeToLimit?.TotalSeconds, Duration(s.TimeToLimit));
            html.Append("</div>\n");

            html.Append("<h3>Usage over time</h3>\n");
            UsageChart(html, picture, limits);
            html.Append("<p class=\"legend\">Alerts on the time line:");
            foreach (AlertType type in AlertCounts.AllTypes)
            {
                html.Append(" <span class=\"dot ").Append(type).Append("\"></span>").Append(type);
            }

            html.Append("</p>\n");
            if (!s.IsFast)
            {
                html.Append("<h3>Entries by size</h3>\n");
                EntriesChart(html, picture);
            }

            html.Append("<div class=\"tables\">\n<table class=\"limits\"><caption>Limits</caption>\n");
            Row(html, "max-state-size", "MaxStateSize", limits.MaxStateSize, Bytes(limits.MaxStateSize));
            Row(html, "max-value-size", "MaxValueSize", limits.MaxValueSize, Bytes(limits.MaxValueSize));
            Row(html, "max-cache-entries", "MaxCacheEntries", limits.MaxCacheEntries, Count(limits.MaxCacheEntries));
            Row(html, "cleanup-threshold-bytes", "CleanupThreshold", limits.CleanupThresholdBytes, Percent(limits.CleanupThreshold) + " = " + Bytes(limits.CleanupThresholdBytes));
            Row(html, "cleanup-target-bytes", "CleanupTarget", limits.CleanupTargetBytes, Percent(limits.CleanupTarget) + " = " + Bytes(limits.CleanupTargetBytes));
            Row(html, "auto-cleanup", "AutoCleanup", null, limits.AutoCleanup ? "on" : "off");
            Row(html, "streaming", "EnableStreaming", null, limits.EnableStreaming ? "on, " + ByteSize.Format(limits.StreamChunkSize) + " chunks" : "off");
            Row(html, "prediction-horizon", "PredictionHorizon", limits.PredictionHorizon.TotalSeconds, limits.PredictionHorizon > TimeSpan.Zero ? limits.PredictionHorizon.ToString("c", CultureInfo.InvariantCulture) + (limits.PredictiveCleanup ? ", predictive cleanup" : string.Empty) : "off");
            html.Append("</table>\n<table class=\"counters\"><caption>Counters</caption>\n");
            Row(html, "recorded-allocations", "Allocations recorded", s.RecordedAllocations, Count(s.RecordedAllocations));
            Row(html, "rejected-allocations", "Allocations rejected", s.RejectedAllocations, Count(s.RejectedAllocations));
            Row(html, "total-evictions", "Evictions", s.TotalEvictions, Count(s.TotalEvictions));
            Row(html, "evicted-bytes", "Evicted bytes", s.EvictedBytes, Bytes(s.EvictedBytes));
            Row(html, "pinned-size", "Pinned", s.PinnedSize, Bytes(s.PinnedSize) + " in " + Count(s.PinnedCount) + " entries");
            Row(html, "streamed-count", "Streamed entries", s.StreamedCount, Count(s.StreamedCount));
            foreach (KeyValuePair<AlertType, long> raised in s.AlertsRaised.ByType())
            {
                Row(html, "alerts-" + raised.Key, raised.Key + " alerts", raised.Value, Count(raised.Value));
            }

            Row(html, "alerts-dropped", "Alerts dropped", s.AlertsDropped, Count(s.AlertsDropped));
            html.Append("</table>\n</div>\n");

            html.Append("<h3>Queued alerts</h3>\n");
            if (picture.AllAlerts.Count == 0)
            {
                html.Append("<p class=\"none\" data-figure=\"queued-alerts\" data-value=\"0\">None queued.</p>\n");
            }
            else
            {
                html.Append("<table class=\"alerts\" data-figure=\"queued-alerts\" data-value=\"").Append(picture.AllAlerts.Count.ToString(CultureInfo.InvariantCulture)).Append("\">\n<tr><th>Time (UTC)</th><th>Type</th><th>Message</th></tr>\n");
                foreach (ResourceAlert alert in picture.AllAlerts.Skip(Math.Max(0, picture.AllAlerts.Count - 50)))
                {
                    html.Append("<tr class=\"").Append(alert.Type).Append("\"><td>").Append(alert.Timestamp.ToString("HH:mm:ss", CultureInfo.InvariantCulture))
                        .Append("</td><td>").Append(alert.Type).Append("</td><td>").Append(Text(alert.Message)).Append("</td></tr>\n");
                }

                html.Append("</table>\n");
            }

            html.Append("</section>\n");
        }

        private static void UsageChart(StringBuilder html, MonitorPicture picture, ResourceLimits limits)
        {
            IReadOnlyList<UsageSample> history = picture.History;
            html.Append("<svg class=\"usage\" role=\"img\" aria-label=\"Usage over time\" viewBox=\"0 0 ").Append(ChartWidth).Append(' ').Append(ChartHeight)
                .Append("\" width=\"").Append(ChartWidth).Append("\" height=\"").Append(ChartHeight).Append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
            int plotWidth = ChartWidth - Left - Right;
            int plotHeight = ChartHeight - Top - Bottom;
            double max = limits.MaxStateSize;
            Func<double, double> y = bytes => Top + plotHeight - (Math.Min(bytes, max) / max * plotHeight);
            html.Append("<rect x=\"").Append(Left).Append("\" y=\"").Append(Top).Append("\" width=\"").Append(plotWidth).Append("\" height=\"").Append(plotHeight).Append("\" class=\"plot\"/>\n");
            Level(html, "limit", y(limits.MaxStateSize), plotWidth, "limit " + ByteSize.Format(limits.MaxStateSize));
            Level(html, "threshold", y(limits.CleanupThresholdBytes), plotWidth, "threshold " + ByteSize.Format(limits.CleanupThresholdBytes));
            Level(html, "target", y(limits.CleanupTargetBytes), plotWidth, "target " + ByteSize.Format(limits.CleanupTargetBytes));
            html.Append("<text x=\"").Append(Left - 6).Append("\" y=\"").Append(Num(y(0))).Append("\" class=\"axis\" text-anchor=\"end\">0 B</text>\n");

            if (history.Count == 0)
            {
                html.Append("<text x=\"").Append(Left + plotWidth / 2).Append("\" y=\"").Append(Top + plotHeight / 2).Append("\" class=\"empty\" text-anchor=\"middle\">No samples yet</text>\n</svg>\n");
                return;
            }

            DateTime start = history[0].Timestamp;
            DateTime end = history[history.Count - 1].Timestamp + picture.Monitor.History.Interval;
            double span = Math.Max(1, (end - start).Ticks);
            Func<DateTime, double> x = time => Left + ((time - start).Ticks / span * plotWidth);

            // A step line: each sample holds from its interval's start until the next sample.
            var points = new StringBuilder();
            for (int i = 0; i < history.Count; i++)
            {
                DateTime until = i + 1 < history.Count ? history[i + 1].Timestamp : end;
                points.Append(Num(x(history[i].Timestamp))).Append(',').Append(Num(y(history[i].CurrentSize))).Append(' ')
                      .Append(Num(x(until))).Append(',').Append(Num(y(history[i].CurrentSize))).Append(' ');
            }

            html.Append("<polyline class=\"usage-line\" data-figure=\"history-samples\" data-value=\"").Append(history.Count.ToString(CultureInfo.InvariantCulture))
                .Append("\" points=\"").Append(points.ToString().TrimEnd()).Append("\"/>\n");
            foreach (ResourceAlert alert in picture.AllAlerts)
            {
                if (alert.Timestamp < start || alert.Timestamp > end)
                {
                    continue;
                }

                html.Append("<circle class=\"alert ").Append(alert.Type).Append("\" cx=\"").Append(Num(x(alert.Timestamp))).Append("\" cy=\"").Append(Top + plotHeight - 4)
                    .Append("\" r=\"5\"><title>").Append(alert.Timestamp.ToString("HH:mm:ss", CultureInfo.InvariantCulture)).Append(' ').Append(alert.Type).Append(": ").Append(Text(alert.Message)).Append("</title></circle>\n");
            }

            html.Append("<text x=\"").Append(Left).Append("\" y=\"").Append(ChartHeight - 12).Append("\" class=\"axis\">").Append(start.ToString("HH:mm:ss", CultureInfo.InvariantCulture)).Append("</text>\n");
            html.Append("<text x=\"").Append(Left + plotWidth).Append("\" y=\"").Append(ChartHeight - 12).Append("\" class=\"axis\" text-anchor=\"end\">").Append(end.ToString("HH:mm:ss", CultureInfo.InvariantCulture)).Append(" UTC</text>\n");
            html.Append("</svg>\n");
        }

        private static void Level(StringBuilder html, string kind, double y, int plotWidth, string label)
        {
            html.Append("<line class=\"level ").Append(kind).Append("\" x1=\"").Append(Left).Append("\" x2=\"").Append(Left + plotWidth).Append("\" y1=\"").Append(Num(y)).Append("\" y2=\"").Append(Num(y)).Append("\"/>\n");
            html.Append("<text class=\"level-label ").Append(kind).Append("\" x=\"").Append(Left + plotWidth + 6).Append("\" y=\"").Append(Num(y + 4)).Append("\">").Append(Text(label)).Append("</text>\n");
        }

        private static void EntriesChart(StringBuilder html, MonitorPicture picture)
        {
            IReadOnlyList<AllocationEntry> entries = picture.Largest.Take(MaxEntryBars).ToArray();
            if (entries.Count == 0)
            {
                html.Append("<p class=\"none\">No entries.</p>\n");
                return;
            }

            const int Bar = 22;
            const int LabelWidth = 220;
            const int SizeWidth = 120;
            int height = entries.Count * Bar + 8;
            int barSpace = ChartWidth - LabelWidth - SizeWidth;
            double scale = Math.Max(1, entries.Max(e => e.ResidentSize));
            html.Append("<svg class=\"entries\" role=\"img\" aria-label=\"Entries by size\" viewBox=\"0 0 ").Append(ChartWidth).Append(' ').Append(height)
                .Append("\" width=\"").Append(ChartWidth).Append("\" height=\"").Append(height).Append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
            for (int i = 0; i < entries.Count; i++)
            {
                AllocationEntry entry = entries[i];
                int top = 4 + i * Bar;
                double width = Math.Max(1, entry.ResidentSize / scale * barSpace);
                string key = entry.Key.Length > 32 ? "…" + entry.Key.Substring(entry.Key.Length - 31) : entry.Key;
                html.Append("<g class=\"entry").Append(entry.IsPinned ? " pinned" : string.Empty).Append("\" data-key=\"").Append(Attr(entry.Key)).Append("\" data-value=\"").Append(entry.ResidentSize.ToString(CultureInfo.InvariantCulture)).Append("\">")
                    .Append("<text x=\"").Append(LabelWidth - 8).Append("\" y=\"").Append(top + 15).Append("\" text-anchor=\"end\">").Append(Text(key)).Append("</text>")
                    .Append("<rect x=\"").Append(LabelWidth).Append("\" y=\"").Append(top + 2).Append("\" width=\"").Append(Num(width)).Append("\" height=\"").Append(Bar - 6).Append("\"/>")
                    .Append("<text x=\"").Append(Num(LabelWidth + width + 6)).Append("\" y=\"").Append(top + 15).Append("\">").Append(ByteSize.Format(entry.ResidentSize)).Append(entry.IsPinned ? " (pinned)" : string.Empty).Append("</text>")
                    .Append("<title>").Append(Text(entry.Key)).Append("</title></g>\n");
            }

            html.Append("</svg>\n");
        }

        private static void Figure(StringBuilder html, string id, string label, double? value, string shown)
        {
            html.Append("<div class=\"figure\"><span class=\"label\">").Append(label).Append("</span><span class=\"value\" data-figure=\"").Append(id).Append("\" data-value=\"")
                .Append(value.HasValue ? Num(value.Value) : string.Empty).Append("\">").Append(Text(shown)).Append("</span></div>\n");
        }

        private static void Row(StringBuilder html, string id, string label, double? value, string shown)
        {
            html.Append("<tr><th>").Append(Text(label)).Append("</th><td data-figure=\"").Append(id).Append("\" data-value=\"")
                .Append(value.HasValue ? Num(value.Value) : string.Empty).Append("\">").Append(Text(shown)).Append("</td></tr>\n");
        }

        /// <summary>Bytes as people read them and exactly: "7 MB (7,340,032 bytes)".</summary>
        private static string Bytes(long bytes) => bytes < 1024 ? ByteSize.Format(bytes) : ByteSize.Format(bytes) + " (" + Count(bytes) + " bytes)";

        private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

        private static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

        private static string Rate(double bytesPerSecond) => (bytesPerSecond < 0 ? "-" : "+") + ByteSize.Format((long)Math.Round(Math.Abs(bytesPerSecond))) + "/s";

        private static string Duration(TimeSpan? span) =>
            !span.HasValue ? "not growing" : span.Value == TimeSpan.Zero ? "reached" : PredictedExhaustionAlert.Duration(span.Value);

        private static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

        private static string Text(string value) => WebUtility.HtmlEncode(value);

        private static string Attr(string value) => WebUtility.HtmlEncode(value);

        private const string Style = @"body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 24px; color: #1d2330; background: #f6f7f9; }
header h1 { font-size: 22px; margin: 0; } header p { color: #5b6475; margin: 4px 0 16px; }
section.monitor { background: #fff; border: 1px solid #dde1e8; border-radius: 8px; padding: 16px 20px; margin-bottom: 20px; max-width: 820px; }
h2 { margin: 0 0 12px; font-size: 19px; } h2 small { color: #5b6475; font-weight: normal; font-size: 13px; } h3 { font-size: 15px; margin: 18px 0 6px; }
.figures { display: flex; flex-wrap: wrap; gap: 10px; }
.figure { border: 1px solid #e4e7ed; border-radius: 6px; padding: 6px 10px; min-width: 140px; }
.figure .label { display: block; color: #5b6475; font-size: 12px; } .figure .value { font-weight: 600; }
svg { display: block; max-width: 100%; height: auto; font-size: 11px; }
.plot { fill: #fbfcfd; stroke: #dde1e8; }
.level { stroke-width: 1.5; } .level.limit { stroke: #c0392b; } .level.threshold { stroke: #e67e22; stroke-dasharray: 6 4; } .level.target { stroke: #2e86c1; stroke-dasharray: 2 3; }
.level-label.limit { fill: #c0392b; } .level-label.threshold { fill: #b9650f; } .level-label.target { fill: #2e86c1; }
.usage-line { fill: none; stroke: #27ae60; stroke-width: 2; }
circle.alert { fill: #c0392b; stroke: #fff; } circle.alert.CleanupTriggered { fill: #2e86c1; } circle.alert.PredictedExhaustion { fill: #8e44ad; } circle.alert.ApproachingLimit { fill: #e67e22; } circle.alert.CleanupFailed { fill: #7b241c; }
.legend { color: #5b6475; font-size: 12px; margin: 2px 0 0; } .dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin: 0 4px 0 10px; background: #c0392b; }
.dot.CleanupTriggered { background: #2e86c1; } .dot.PredictedExhaustion { background: #8e44ad; } .dot.ApproachingLimit { background: #e67e22; } .dot.CleanupFailed { background: #7b241c; }
.axis, .empty { fill: #5b6475; }
g.entry rect { fill: #27ae60; } g.entry.pinned rect { fill: #e67e22; } g.entry text { fill: #1d2330; }
.tables { display: flex; flex-wrap: wrap; gap: 24px; }
table { border-collapse: collapse; margin-top: 8px; } caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
th, td { text-align: left; padding: 2px 10px 2px 0; vertical-align: top; } th { color: #5b6475; font-weight: normal; }
table.alerts td:first-child { white-space: nowrap; } .none { color: #5b6475; }
";
    }
}
