using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Draws a monitor as text lines for a terminal: a usage bar with the threshold (<c>|</c>) and the cleanup
    /// target (<c>:</c>) marked, the forecast, a sparkline of the history, the largest and the least recently
    /// used entries as bars (pinned ones marked), and the latest alerts. No line is wider than the width asked
    /// for (escape sequences of the palette not counted).
    /// </summary>
    public static class UsageTextView
    {
        /// <summary>The narrowest width the view can be drawn in.</summary>
        public const int MinimumWidth = 30;

        private const string Sparks = "▁▂▃▄▅▆▇█";
        private const string PinnedMark = " pinned";

        /// <summary>The lines of the picture, at most <paramref name="width"/> characters each.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> is below <see cref="MinimumWidth"/>.</exception>
        public static IReadOnlyList<string> Render(MonitorPicture picture, int width, TextPalette palette)
        {
            if (picture == null)
            {
                throw new ArgumentNullException(nameof(picture));
            }

            if (palette == null)
            {
                throw new ArgumentNullException(nameof(palette));
            }

            if (width < MinimumWidth)
            {
                throw new ArgumentOutOfRangeException(nameof(width), width, $"The view needs a width of at least {MinimumWidth} characters.");
            }

            ResourceStats stats = picture.Stats;
            ResourceLimits limits = picture.Monitor.Limits;
            var lines = new List<string>();

            lines.Add(palette.Paint(palette.Accent, Fit(
                $"{stats.MonitorName} · {ByteSize.Format(stats.CurrentSize)} of {ByteSize.Format(stats.MaxStateSize)} · {Wording.Entries(stats.ValueCount)} of {stats.MaxCacheEntries} · {(stats.IsFast ? "fast" : "detailed")}",
                width)));
            lines.Add(UsageBar(stats, limits, width, palette));
            lines.Add(palette.Paint(palette.Dim, Fit(
                $"| threshold {Percent(limits.CleanupThreshold)} ({ByteSize.Format(limits.CleanupThresholdBytes)})   : target {Percent(limits.CleanupTarget)} ({ByteSize.Format(limits.CleanupTargetBytes)})",
                width)));
            lines.Add(Fit(ForecastText(stats), width));
            lines.Add(Sparkline(picture.History, width, palette));

            if (stats.IsFast)
            {
                lines.Add(palette.Paint(palette.Dim, Fit("fast monitor: no per-key data, so no entries to show", width)));
            }
            else
            {
                long scale = 1;
                foreach (AllocationEntry entry in picture.Largest)
                {
                    scale = Math.Max(scale, entry.ResidentSize);
                }

                int keyWidth = KeyWidth(picture, width);
                AddEntries(lines, "largest entries", picture.Largest, scale, keyWidth, width, palette);
                AddEntries(lines, "least recently used", picture.LeastRecentlyUsed, scale, keyWidth, width, palette);
            }

            lines.Add(palette.Paint(palette.Accent, Fit(picture.AllAlerts.Count == 0 ? "alerts: none queued" : $"alerts: {picture.AllAlerts.Count} queued, latest {picture.RecentAlerts.Count}", width)));
            foreach (ResourceAlert alert in picture.RecentAlerts)
            {
                string colour = alert.Type == AlertType.CleanupTriggered ? palette.Dim : palette.Danger;
                lines.Add(palette.Paint(colour, Fit($"  {alert.Timestamp.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {alert.Type}: {alert.Message}", width)));
            }

            return lines;
        }

        /// <summary>The forecast in words.</summary>
        internal static string ForecastText(ResourceStats stats)
        {
            if (!stats.GrowthRate.HasValue)
            {
                return "growth: not enough history yet (3 samples needed)";
            }

            double rate = stats.GrowthRate.Value;
            string perSecond = (rate >= 0 ? "+" : "-") + ByteSize.Format((long)Math.Round(Math.Abs(rate))) + "/s";
            if (!stats.TimeToThreshold.HasValue)
            {
                return $"growth: {perSecond}, not growing towards the threshold";
            }

            return $"growth: {perSecond} · threshold {When(stats.TimeToThreshold.Value)} · limit {When(stats.TimeToLimit!.Value)}";
        }

        private static string When(TimeSpan span) => span == TimeSpan.Zero ? "reached" : "in " + PredictedExhaustionAlert.Duration(span);

        private static string UsageBar(ResourceStats stats, ResourceLimits limits, int width, TextPalette palette)
        {
            string suffix = " " + Percent(stats.UsagePercentage).PadLeft(7);
            int cells = width - 2 - suffix.Length;
            int filled = (int)Math.Min(cells, Math.Round(Math.Max(0, stats.UsagePercentage) * cells));
            int threshold = Math.Min(cells - 1, (int)Math.Floor(limits.CleanupThreshold * cells));
            int target = Math.Min(cells - 1, (int)Math.Floor(limits.CleanupTarget * cells));
            string level = stats.CurrentSize >= limits.CleanupThresholdBytes ? palette.Danger : stats.CurrentSize > limits.CleanupTargetBytes ? palette.Warning : palette.Ok;

            // Cells of one kind are painted as one run, so a coloured bar carries a few escape sequences, not one per cell.
            var bar = new StringBuilder("[");
            var run = new StringBuilder();
            string runColour = string.Empty;
            for (int i = 0; i < cells; i++)
            {
                char cell = i == threshold ? '|' : i == target ? ':' : i < filled ? '█' : '░';
                string colour = cell == '|' || cell == ':' ? palette.Accent : cell == '█' ? level : palette.Dim;
                if (colour != runColour && run.Length > 0)
                {
                    bar.Append(palette.Paint(runColour, run.ToString()));
                    run.Clear();
                }

                runColour = colour;
                run.Append(cell);
            }

            bar.Append(palette.Paint(runColour, run.ToString()));
            return bar.Append(']').Append(palette.Paint(level, suffix)).ToString();
        }

        private static string Sparkline(IReadOnlyList<UsageSample> history, int width, TextPalette palette)
        {
            const string Label = "history ";
            if (history.Count == 0)
            {
                return Fit(Label + "(no samples yet)", width);
            }

            long max = 1;
            foreach (UsageSample sample in history)
            {
                max = Math.Max(max, sample.CurrentSize);
            }

            string range = $" max {ByteSize.Format(max)}, {history.Count} {(history.Count == 1 ? "sample" : "samples")}";
            int cells = Math.Max(1, width - Label.Length - range.Length);
            if (width - Label.Length - range.Length < 8)
            {
                range = string.Empty;
                cells = width - Label.Length;
            }

            int first = Math.Max(0, history.Count - cells);
            var spark = new StringBuilder();
            for (int i = first; i < history.Count; i++)
            {
                int level = (int)Math.Round((double)history[i].CurrentSize / max * (Sparks.Length - 1));
                spark.Append(Sparks[Math.Max(0, Math.Min(Sparks.Length - 1, level))]);
            }

            return Label + palette.Paint(palette.Accent, spark.ToString()) + palette.Paint(palette.Dim, range);
        }

        private static int KeyWidth(MonitorPicture picture, int width)
        {
            int longest = 3;
            foreach (AllocationEntry entry in picture.Largest)
            {
                longest = Math.Max(longest, entry.Key.Length);
            }

            foreach (AllocationEntry entry in picture.LeastRecentlyUsed)
            {
                longest = Math.Max(longest, entry.Key.Length);
            }

            return Math.Min(longest, Math.Max(8, width / 3));
        }

        private static void AddEntries(List<string> lines, string heading, IReadOnlyList<AllocationEntry> entries, long scale, int keyWidth, int width, TextPalette palette)
        {
            lines.Add(palette.Paint(palette.Accent, Fit(entries.Count == 0 ? heading + ": none" : heading, width)));
            const int SizeWidth = 10;
            const int Fixed = 2 + 1 + 1 + SizeWidth; // indent, two spaces, size
            keyWidth = Math.Min(keyWidth, width - Fixed - PinnedMark.Length - 1); // at least one cell of bar
            int barWidth = width - Fixed - PinnedMark.Length - keyWidth;
            foreach (AllocationEntry entry in entries)
            {
                int length = (int)Math.Max(entry.ResidentSize > 0 ? 1 : 0, Math.Round((double)entry.ResidentSize / scale * barWidth));
                string colour = entry.IsPinned ? palette.Warning : palette.Ok;
                lines.Add(
                    "  " + FitKey(entry.Key, keyWidth).PadRight(keyWidth) + " "
                    + palette.Paint(colour, new string('█', length)) + new string(' ', barWidth - length) + " "
                    + ByteSize.Format(entry.ResidentSize).PadLeft(SizeWidth)
                    + (entry.IsPinned ? palette.Paint(palette.Warning, PinnedMark) : string.Empty));
            }
        }

        private static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

        /// <summary>A key cut at its start when too long: the end of a path (the file name) says most.</summary>
        private static string FitKey(string key, int width) =>
            key.Length <= width ? key : "…" + key.Substring(key.Length - Math.Max(0, width - 1));

        /// <summary>The text, cut with an ellipsis when longer than <paramref name="width"/>.</summary>
        private static string Fit(string text, int width) =>
            text.Length <= width ? text : text.Substring(0, Math.Max(0, width - 1)) + "…";
    }
}
