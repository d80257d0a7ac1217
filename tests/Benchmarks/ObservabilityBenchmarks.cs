using System;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>
    /// What usage history, prediction and the Meter instruments add to the update path: the update of an existing
    /// key (as in <see cref="HotPathBenchmarks"/>) on a monitor without history (the floor: the engine before
    /// sampling existed), with the default history on the system clock, with a prediction horizon as well, and with a
    /// MeterListener that has enabled every AgentFlow.Resources instrument and collects them once per iteration.
    /// </summary>
    [MemoryDiagnoser]
    [CategoriesColumn]
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    public class ObservabilityBenchmarks
    {
        private const int KeyCount = HotPathBenchmarks.KeyCount;

        private string[] _keys = Array.Empty<string>();
        private long[] _sizes = Array.Empty<long>();
        private StateMonitor _withoutHistory = null!;
        private StateMonitor _withHistory = null!;
        private StateMonitor _withPrediction = null!;
        private StateMonitor _listened = null!;
        private StateMonitor _fastWithoutHistory = null!;
        private StateMonitor _fastWithHistory = null!;
        private MeterListener _listener = null!;
        private long _measured; // measurements the listener received
        private int _published;
        private int _flip;

        [GlobalSetup]
        public void Setup()
        {
            _keys = BenchmarkData.Keys(KeyCount);
            _sizes = BenchmarkData.Sizes(KeyCount);
            long bytes = 2 * KeyCount * 4096L;
            _withoutHistory = Filled(BenchmarkData.DetailedMonitor(2 * KeyCount, bytes, new UsageHistorySettings(UsageHistorySettings.DefaultInterval, 0), TimeSpan.Zero));
            _withHistory = Filled(BenchmarkData.DetailedMonitor(2 * KeyCount, bytes, null, TimeSpan.Zero));
            _withPrediction = Filled(BenchmarkData.DetailedMonitor(2 * KeyCount, bytes, null, TimeSpan.FromMinutes(10)));
            _listened = Filled(BenchmarkData.DetailedMonitor(2 * KeyCount, bytes, null, TimeSpan.FromMinutes(10)));

            _fastWithoutHistory = FastMonitor(new UsageHistorySettings(UsageHistorySettings.DefaultInterval, 0));
            _fastWithHistory = FastMonitor(null);

            _listener = new MeterListener();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ResourceMeter.MeterName)
                {
                    _published++;
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, _, _) => _measured++);
            _listener.SetMeasurementEventCallback<double>((_, _, _, _) => _measured++);
            _listener.Start();
            _listener.RecordObservableInstruments();
            BenchmarkData.Require(_published == 8, $"the listener enabled {_published} instruments, not the 8 of the meter");
            Console.WriteLine($"// MeterListener: {_published} instruments enabled, {_measured} measured by the first collection");
        }

        [GlobalCleanup]
        public void Cleanup() => _listener.Dispose();

        [Benchmark(Baseline = true, OperationsPerInvoke = KeyCount), BenchmarkCategory("Update")]
        public int Update_WithoutHistory() => Update(_withoutHistory);

        [Benchmark(OperationsPerInvoke = KeyCount), BenchmarkCategory("Update")]
        public int Update_WithHistory() => Update(_withHistory);

        [Benchmark(OperationsPerInvoke = KeyCount), BenchmarkCategory("Update")]
        public int Update_WithHistoryAndPrediction() => Update(_withPrediction);

        [Benchmark(OperationsPerInvoke = KeyCount), BenchmarkCategory("Update")]
        public int Update_WithPredictionAndListener()
        {
            int recorded = Update(_listened);
            _listener.RecordObservableInstruments();
            return recorded;
        }

        [Benchmark(Baseline = true, OperationsPerInvoke = KeyCount), BenchmarkCategory("FastPair")]
        public int FastPair_WithoutHistory() => Pairs(_fastWithoutHistory);

        [Benchmark(OperationsPerInvoke = KeyCount), BenchmarkCategory("FastPair")]
        public int FastPair_WithHistory() => Pairs(_fastWithHistory);

        private static StateMonitor FastMonitor(UsageHistorySettings? history) =>
            StateMonitor.CreateFast(ResourceLimits.Builder().MaxStateSize(long.MaxValue / 2).MaxCacheEntries(long.MaxValue / 2).Build(), "bench-fast", StateMonitor.DefaultMaxAlerts, history);

        private int Pairs(StateMonitor monitor)
        {
            string[] keys = _keys;
            long[] sizes = _sizes;
            int removed = 0;
            for (int i = 0; i < keys.Length; i++)
            {
                monitor.RecordAllocation(keys[i], sizes[i]);
                if (monitor.RecordDeallocation(keys[i], sizes[i]))
                {
                    removed++;
                }
            }

            return removed;
        }

        private StateMonitor Filled(StateMonitor monitor)
        {
            for (int i = 0; i < KeyCount; i++)
            {
                monitor.RecordAllocation(_keys[i], _sizes[i]);
            }

            BenchmarkData.Require(monitor.ValueCount == KeyCount, "monitor lost keys");
            return monitor;
        }

        private int Update(StateMonitor monitor)
        {
            int flip = _flip ^= 1;
            string[] keys = _keys;
            long[] sizes = _sizes;
            int recorded = 0;
            for (int i = 0; i < keys.Length; i++)
            {
                if (monitor.RecordAllocation(keys[i], sizes[i] + flip))
                {
                    recorded++;
                }
            }

            return recorded;
        }
    }
}
