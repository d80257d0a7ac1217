using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.HistoryTests;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    public class ViewTests
    {
        private static readonly TextPalette Colours = new TextPalette("<ok>", "<warn>", "<danger>", "<accent>", "<dim>", "</>");

        private static StateMonitor Sample()
        {
            var clock = new ManualClock(T0);
            StateMonitor m = Watched(clock, Limits(state: 1000, value: 500, target: 0.5));
            string[] keys = { "inputs/config.json", "step-1/output.parquet", "a-rather-long-key-name-that-will-not-fit-anywhere.bin", "small" };
            long[] sizes = { 100, 300, 200, 20 };
            for (int i = 0; i < keys.Length; i++)
            {
                m.RecordAllocation(keys[i], sizes[i]);
                clock.Advance(TimeSpan.FromSeconds(1));
            }

            m.Pin("inputs/config.json");
            m.RecordAllocation("big", 250); // 870 >= 800: evicts step-1 (300) and the long key (200) down to 370 <= 500
            return m;
        }

        private static string Strip(string line) => Regex.Replace(line, "<[a-z]*>|</>", string.Empty);

        [Theory]
        [InlineData(30)]
        [InlineData(50)]
        [InlineData(80)]
        [InlineData(200)]
        public void Every_line_fits_the_width(int width)
        {
            MonitorPicture picture = MonitorPicture.Take(Sample(), 5);
            foreach (string line in UsageTextView.Render(picture, width, TextPalette.Plain))
            {
                Assert.True(line.Length <= width, $"{line.Length} > {width}: '{line}'");
            }

            foreach (string line in UsageTextView.Render(picture, width, Colours))
            {
                Assert.True(Strip(line).Length <= width, $"'{Strip(line)}'");
            }
        }

        [Fact]
        public void The_plain_picture_shows_the_figures_markers_entries_and_alerts()
        {
            StateMonitor m = Sample();
            string[] lines = UsageTextView.Render(MonitorPicture.Take(m, 3), 80, TextPalette.Plain).ToArray();
            Assert.Equal("h · 370 B of 1000 B · 3 entries of 100 · detailed", lines[0]);
            Assert.Equal(80, lines[1].Length);
            Assert.StartsWith("[", lines[1]);
            Assert.EndsWith("]  37.0 %", lines[1]);
            int cells = 80 - 2 - 8;
            Assert.Equal('|', lines[1][1 + (int)Math.Floor(0.8 * cells)]);
            Assert.Equal(':', lines[1][1 + (int)Math.Floor(0.5 * cells)]);
            Assert.Equal((int)Math.Round(0.37 * cells), lines[1].Count(c => c == '█'));
            Assert.Equal("| threshold 80.0 % (800 B)   : target 50.0 % (500 B)", lines[2]);
            Assert.StartsWith("history ", lines[4]);
            Assert.Contains("largest entries", lines);
            Assert.Contains(lines, l => l.StartsWith("  big ", StringComparison.Ordinal) && l.EndsWith("250 B", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("  inputs/config.json ", StringComparison.Ordinal) && l.EndsWith("100 B pinned", StringComparison.Ordinal));
            Assert.Contains("alerts: 1 queued, latest 1", lines);
            Assert.Equal("  00:00:04 CleanupTriggered: Automatic cleanup freed 500 B by evicting 2 entrie…", lines.Last()); // fitted to 80
            Assert.DoesNotContain(lines, l => l.Contains('\u001b'));
        }

        [Fact]
        public void A_palette_colours_the_parts()
        {
            string[] lines = UsageTextView.Render(MonitorPicture.Take(Sample(), 3), 80, Colours).ToArray();
            Assert.StartsWith("<accent>h · 370 B", lines[0]);
            Assert.StartsWith("[<ok>███", lines[1]); // 370 B is below the target: the used part is 'ok'
            Assert.EndsWith("]<ok>  37.0 %</>", lines[1]);
            Assert.Contains(lines, l => l.StartsWith("  inputs/config.json <warn>", StringComparison.Ordinal) && l.EndsWith("<warn> pinned</>", StringComparison.Ordinal));
        }

        [Fact]
        public void The_html_report_is_self_contained_and_carries_exact_figures()
        {
            StateMonitor m = Sample();
            var writer = new StringWriter();
            UsageHtmlReport.Write(writer, new[] { MonitorPicture.Take(m, 20) }, T0.AddMinutes(1));
            string html = writer.ToString();
            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.DoesNotContain("<script", html);
            Assert.DoesNotContain("<link", html);
            Assert.DoesNotContain("url(", html);
            Assert.DoesNotContain("@import", html);
            Assert.Equal(2, Regex.Matches(html, "<svg ").Count);
            Assert.Contains("data-figure=\"current-size\" data-value=\"370\">370 B<", html);
            Assert.Contains("data-figure=\"max-state-size\" data-value=\"1000\">1000 B<", html);
            Assert.Contains("data-figure=\"total-evictions\" data-value=\"2\">2<", html);
            Assert.Contains("data-key=\"inputs/config.json\"", html);
            Assert.Contains("class=\"entry pinned\" data-key=\"inputs/config.json\"", html);
            foreach (Match href in Regex.Matches(html, "(?:href|src)=\"([^\"]*)\""))
            {
                Assert.Fail("external reference " + href.Value);
            }
        }
    }
}
