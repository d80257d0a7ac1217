using System;
using System.Linq;
using System.Threading.Tasks;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    public class MonitoredStepTests
    {
        [Fact]
        public void A_completed_step_records_its_output_and_releases_its_input()
        {
            StateMonitor m = Monitor(state: 1000, value: 500);
            var step = new MonitoredStep(m, "fetch");
            Assert.True(step.Start(100).Recorded);
            Assert.Equal(100, m.CurrentSize);
            Assert.True(step.Complete(300).Recorded);
            Assert.Equal(new[] { "fetch/output" }, m.GetLruKeys(10));
            Assert.Equal(300, m.CurrentSize);
            StepUsage usage = step.Usage!;
            Assert.True(usage.Succeeded);
            Assert.Equal("fetch/input", usage.InputKey);
            Assert.Equal("fetch/output", usage.OutputKey);
            Assert.Equal(100, usage.InputSize);
            Assert.Equal(300, usage.OutputSize);
            Assert.Equal(400, usage.PeakSize);
        }

        [Fact]
        public void A_refused_input_ends_the_step_before_it_runs_and_changes_nothing()
        {
            StateMonitor m = Monitor(state: 1000, value: 50);
            var step = new MonitoredStep(m, "big");
            AllocationResult result = step.Start(60);
            Assert.False(result.Recorded);
            Assert.Equal(LimitedResource.ValueSize, result.RejectedResource);
            Assert.Equal(0, m.ValueCount);
            Assert.False(step.Usage!.Succeeded);
            Assert.Null(step.Usage.InputKey);
            Assert.Throws<InvalidOperationException>(() => step.Complete(1));
        }

        [Fact]
        public void A_failed_step_releases_its_input_unless_kept_and_records_no_output()
        {
            StateMonitor m = Monitor(state: 1000, value: 500);
            var failed = new MonitoredStep(m, "a");
            failed.Start(100);
            failed.Fail();
            Assert.Equal(0, m.ValueCount);
            Assert.False(failed.Usage!.Succeeded);
            Assert.Null(failed.Usage.OutputKey);

            var kept = new MonitoredStep(m, "b", keepInput: true);
            kept.Start(100);
            kept.Fail();
            Assert.Equal(new[] { "b/input" }, m.GetLruKeys(10));
        }

        [Fact]
        public void PinOutput_pins_and_a_fast_monitor_releases_the_input_by_its_size()
        {
            StateMonitor m = Monitor(state: 1000, value: 500);
            var pinned = new MonitoredStep(m, "p", pinOutput: true);
            pinned.Start(10);
            pinned.Complete(20);
            Assert.True(m.TryGetAllocation("p/output", out AllocationEntry? entry) && entry!.IsPinned);

            StateMonitor fast = StateMonitor.CreateFast(Limits(state: 1000, value: 500));
            var step = new MonitoredStep(fast, "f");
            step.Start(40);
            step.Complete(70);
            Assert.Equal(70, fast.CurrentSize);
            Assert.Equal(1, fast.ValueCount);
        }

        [Fact]
        public void Nested_steps_report_their_peaks_to_the_enclosing_step_and_the_usage_counts_evictions_and_alerts()
        {
            StateMonitor m = Monitor(state: 1000, value: 500, threshold: 0.8, target: 0.5);
            m.RecordAllocation("old", 300);
            var outer = new MonitoredStep(m, "outer");
            outer.Start(100);
            var inner = new MonitoredStep(m, "inner");
            inner.Start(200);
            // 300 + 100 + 200 + 250 = 850 >= 800: automatic cleanup evicts "old" and the outer input, down to 450.
            inner.Complete(250);
            outer.Complete(50);
            Assert.Equal(850, inner.Usage!.PeakSize);
            Assert.Equal(850, outer.Usage!.PeakSize);
            Assert.Equal(2, inner.Usage.EvictedCount);
            Assert.Equal(2, outer.Usage.EvictedCount);
            Assert.Equal(new[] { AlertType.CleanupTriggered }, outer.Usage.Alerts.Select(a => a.Type));
            Assert.Equal(new[] { "inner/output", "outer/output" }, m.GetLruKeys(10));
            Assert.Equal(300, m.CurrentSize);
            Assert.Equal(inner.Usage.Alerts.Select(a => a.Type), outer.Usage.Alerts.Select(a => a.Type));
        }

        [Fact]
        public void Observe_records_a_peak_reached_between_the_step_records_on_its_thread()
        {
            StateMonitor m = Monitor(state: 1000, value: 1000, auto: false);
            m.RecordAllocation("earlier", 900);
            m.RecordDeallocation("earlier");
            var step = new MonitoredStep(m, "s");
            step.Start(10);
            m.RecordAllocation("temp", 300);
            MonitoredStep.Observe(m);
            m.RecordDeallocation("temp");
            step.Complete(20);
            Assert.Equal(900, m.GetStats().PeakSize);
            Assert.Equal(310, step.Usage!.PeakSize);
        }

        [Fact]
        public void Steps_on_many_threads_keep_the_totals_exact()
        {
            StateMonitor m = Monitor(state: 10_000_000, value: 1000, entries: 100_000, auto: false);
            Parallel.For(0, 8, t =>
            {
                for (int i = 0; i < 200; i++)
                {
                    var step = new MonitoredStep(m, $"t{t}/s{i}");
                    step.Start(64);
                    step.Complete(100);
                }
            });
            Assert.Equal(1600, m.ValueCount);
            Assert.Equal(160_000, m.CurrentSize);
            Assert.DoesNotContain(m.GetAllocations(), e => e.Key.EndsWith("/input", StringComparison.Ordinal));
        }

        [Fact]
        public void A_step_needs_a_name()
        {
            Assert.Throws<ArgumentException>(() => new MonitoredStep(Monitor(), string.Empty));
        }
    }
}
