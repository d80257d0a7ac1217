using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// The tests that collect the process-wide Meter: a collection reads every live monitor of the process, so two of
    /// them at once would read each other's monitors (and the shared ones would count each other's reads).
    /// </summary>
    [CollectionDefinition("Meter")]
    public sealed class MeterCollection
    {
    }

    [Collection("Meter")]
    public class MeterTests
    {
        private sealed class Reading
        {
            public Reading(Instrument instrument, double value, IReadOnlyDictionary<string, object?> tags)
            {
                Instrument = instrument;
                Value = value;
                Tags = tags;
            }

            public Instrument Instrument { get; }

            public double Value { get; }

            public IReadOnlyDictionary<string, object?> Tags { get; }
        }

        /// <summary>Collects every instrument of the Meter once, keeping only the measurements of <paramref name="monitorName"/>.</summary>
        private static (List<Instrument> Instruments, List<Reading> Readings) Collect(string monitorName)
        {
            var instruments = new List<Instrument>();
            var readings = new List<Reading>();
            using var listener = new MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ResourceMeter.MeterName)
                {
                    instruments.Add(instrument);
                    l.EnableMeasurementEvents(instrument);
                }
            };
            void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
            {
                var copy = new Dictionary<string, object?>();
                foreach (KeyValuePair<string, object?> tag in tags)
                {
                    copy[tag.Key] = tag.Value;
                }

                if (Equals(copy.GetValueOrDefault("monitor"), monitorName))
                {
                    readings.Add(new Reading(instrument, value, copy));
                }
            }

            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
            listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
            listener.Start();
            listener.RecordObservableInstruments();
            return (instruments, readings);
        }

        [Fact]
        public void The_meter_publishes_the_documented_instruments()
        {
            _ = new StateMonitor(Limits(), "meter-names-" + Guid.NewGuid().ToString("N"));
            Assert.True(ResourceMeter.IsAvailable);
            (List<Instrument> instruments, _) = Collect("none");
            string[] described = instruments
                .Select(i => $"{i.Name} [{i.Unit}] {i.GetType().Name.Split('`')[0]}<{i.GetType().GetGenericArguments()[0].Name}>")
                .OrderBy(s => s, StringComparer.Ordinal)
                .ToArray();
            Assert.Equal(
                new[]
                {
                    "agentflow.alerts [{alert}] ObservableCounter<Int64>",
                    "agentflow.allocations [{allocation}] ObservableCounter<Int64>",
                    "agentflow.evicted.size [By] ObservableCounter<Int64>",
                    "agentflow.evictions [{eviction}] ObservableCounter<Int64>",
                    "agentflow.state.entries [{entry}] ObservableGauge<Int64>",
                    "agentflow.state.limit [By] ObservableGauge<Int64>",
                    "agentflow.state.size [By] ObservableGauge<Int64>",
                    "agentflow.state.usage [1] ObservableGauge<Double>",
                },
                described);
        }

        [Fact]
        public void A_listener_reads_a_monitors_figures_tagged_with_its_name()
        {
            string name = "meter-values-" + Guid.NewGuid().ToString("N");
            var monitor = new StateMonitor(Limits(state: 100, value: 50), name);
            monitor.RecordAllocation("a", 40);
            monitor.RecordAllocation("b", 30);
            monitor.RecordAllocation("c", 20); // 90 >= 80: evicts a (40) down to the target of 70
            monitor.RecordAllocation("huge", 60); // over MaxValueSize: rejected
            monitor.RecordAllocation("b", 10); // replaced

            (_, List<Reading> readings) = Collect(name);
            string[] seen = readings
                .Select(r => $"{r.Instrument.Name}{string.Concat(r.Tags.Where(t => t.Key != "monitor").OrderBy(t => t.Key).Select(t => $" {t.Key}={t.Value}"))} = {r.Value}")
                .OrderBy(s => s, StringComparer.Ordinal)
                .ToArray();
            Assert.Equal(
                new[]
                {
                    "agentflow.alerts type=ApproachingLimit = 0",
                    "agentflow.alerts type=CleanupFailed = 0",
                    "agentflow.alerts type=CleanupTriggered = 1",
                    "agentflow.alerts type=LimitExceeded = 1",
                    "agentflow.alerts type=PredictedExhaustion = 0",
                    "agentflow.allocations outcome=recorded = 4",
                    "agentflow.allocations outcome=rejected = 1",
                    "agentflow.evicted.size = 40",
                    "agentflow.evictions = 1",
                    "agentflow.state.entries = 2",
                    "agentflow.state.limit = 100",
                    "agentflow.state.size = 30",
                    "agentflow.state.usage = 0.3",
                },
                seen);
        }

        [Fact]
        public void A_fast_monitor_counts_recorded_allocations_without_a_per_key_map()
        {
            string name = "meter-fast-" + Guid.NewGuid().ToString("N");
            StateMonitor monitor = StateMonitor.CreateFast(Limits(state: 100, value: 50), name);
            monitor.RecordAllocation("a", 10);
            monitor.RecordAllocation("a", 10);
            monitor.RecordDeallocation("a", 10);
            Assert.Equal(2, monitor.GetStats().RecordedAllocations);
            (_, List<Reading> readings) = Collect(name);
            Assert.Equal(2, readings.Single(r => r.Instrument.Name == "agentflow.allocations" && Equals(r.Tags["outcome"], "recorded")).Value);
            monitor.Reset();
            Assert.Equal(0, monitor.GetStats().RecordedAllocations);
        }
    }
}
