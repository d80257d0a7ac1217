using System;
using System.IO;
using System.Linq;
using System.Text;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    public class PrometheusTests
    {
        [Theory]
        [InlineData("plain", "plain")]
        [InlineData("say \"hi\"", "say \\\"hi\\\"")]
        [InlineData(@"C:\state\run", @"C:\\state\\run")]
        [InlineData("two\nlines", "two\\nlines")]
        [InlineData("Größe-監視", "Größe-監視")]
        public void Label_values_escape_backslash_quote_and_line_feed_only(string value, string escaped) =>
            Assert.Equal(escaped, PrometheusExposition.EscapeLabelValue(value));

        [Fact]
        public void The_exposition_has_every_family_with_help_type_and_exact_values()
        {
            StateMonitor m = Monitor(state: 100, value: 50, name: "we\"b\\ä");
            m.RecordAllocation("a", 40);
            m.RecordAllocation("b", 30);
            m.Pin("b");
            m.RecordAllocation("c", 20); // evicts a
            m.RecordAllocation("huge", 60); // rejected

            string text = PrometheusExposition.Format(new[] { m.GetStats() });
            string label = "monitor=\"we\\\"b\\\\ä\"";
            string[] samples = text.Split('\n').Where(line => line.Length > 0 && !line.StartsWith("#", StringComparison.Ordinal)).ToArray();
            Assert.Equal(
                new[]
                {
                    $"agentflow_state_bytes{{{label}}} 50",
                    $"agentflow_state_limit_bytes{{{label}}} 100",
                    $"agentflow_state_threshold_bytes{{{label}}} 80",
                    $"agentflow_state_peak_bytes{{{label}}} 90",
                    $"agentflow_state_pinned_bytes{{{label}}} 30",
                    $"agentflow_state_entries{{{label}}} 2",
                    $"agentflow_state_entries_limit{{{label}}} 100",
                    $"agentflow_allocations_total{{{label}}} 3",
                    $"agentflow_rejections_total{{{label}}} 1",
                    $"agentflow_evictions_total{{{label}}} 1",
                    $"agentflow_evicted_bytes_total{{{label}}} 40",
                    $"agentflow_alerts_total{{{label},type=\"ApproachingLimit\"}} 0",
                    $"agentflow_alerts_total{{{label},type=\"LimitExceeded\"}} 1",
                    $"agentflow_alerts_total{{{label},type=\"CleanupTriggered\"}} 1",
                    $"agentflow_alerts_total{{{label},type=\"CleanupFailed\"}} 0",
                    $"agentflow_alerts_total{{{label},type=\"PredictedExhaustion\"}} 0",
                },
                samples);
            Assert.Contains("# HELP agentflow_evictions_total Entries evicted by any cleanup.\n# TYPE agentflow_evictions_total counter\n", text);
            Assert.Contains("# TYPE agentflow_state_bytes gauge\n", text);
            Assert.EndsWith("\n", text);
        }

        [Fact]
        public void Monitors_are_ordered_by_name_within_each_family()
        {
            StateMonitor b = Monitor(name: "b");
            StateMonitor a = Monitor(name: "a");
            string text = PrometheusExposition.Format(new[] { b.GetStats(), a.GetStats() });
            string[] bytes = text.Split('\n').Where(l => l.StartsWith("agentflow_state_bytes{", StringComparison.Ordinal)).ToArray();
            Assert.Equal(new[] { "agentflow_state_bytes{monitor=\"a\"} 0", "agentflow_state_bytes{monitor=\"b\"} 0" }, bytes);
        }

        [Fact]
        public void A_file_is_replaced_whole_in_utf8_without_a_byte_order_mark_and_leaves_no_temporary_file()
        {
            string folder = Path.Combine(Path.GetTempPath(), "agentflow-prom-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                string path = Path.Combine(folder, "agentflow.prom");
                File.WriteAllText(path, "old content that is longer than nothing");
                StateMonitor m = Monitor(name: "Größe");
                PrometheusExposition.WriteFile(path, new[] { m.GetStats() });
                byte[] bytes = File.ReadAllBytes(path);
                Assert.NotEqual(0xEF, bytes[0]);
                Assert.Equal(PrometheusExposition.Format(new[] { m.GetStats() }), Encoding.UTF8.GetString(bytes));
                Assert.Equal(new[] { "agentflow.prom" }, Directory.GetFiles(folder).Select(Path.GetFileName).ToArray());

                Assert.Throws<DirectoryNotFoundException>(() => PrometheusExposition.WriteFile(Path.Combine(folder, "missing", "x.prom"), new[] { m.GetStats() }));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
