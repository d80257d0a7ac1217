using System;
using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>
    /// A monitor's usage history and the prediction made from it: samples on the clock, and the edge-trigger
    /// state of PredictedExhaustion (raised once when the forecast falls inside the horizon, again only after it
    /// has left it).
    /// </summary>
    internal sealed class UsageWatch
    {
        private readonly object _gate = new object();

        // Buffers of the evaluation that runs on the update path (once per interval), so that it allocates nothing; guarded by _gate.
        private readonly HistoryPoints _samples = new HistoryPoints(UsageForecaster.WindowSamples);
        private readonly HistoryPoints _scratch = new HistoryPoints(UsageForecaster.WindowSamples);
        private readonly HistoryPoints _series = new HistoryPoints(UsageForecaster.WindowSamples);
        private bool _exhaustionPredicted;

        public UsageWatch(UsageHistorySettings settings)
        {
            Settings = settings;
            History = new UsageHistory(settings);
        }

        public UsageHistorySettings Settings { get; }

        public UsageHistory History { get; }

        public UsageClock Clock => Settings.Clock;

        /// <summary>True while PredictedExhaustion has been raised and the forecast still says so.</summary>
        public bool ExhaustionPredicted
        {
            get
            {
                lock (_gate)
                {
                    return _exhaustionPredicted;
                }
            }
        }

        /// <summary>The forecast at <paramref name="nowTicks"/>: time since the latest change counts as a plateau at the current size.</summary>
        public UsageForecast Forecast(long nowTicks, long currentSize, long currentCount, ResourceLimits limits) =>
            ForecastUpTo(nowTicks, currentSize, currentCount, limits, null, new HistoryPoints(UsageForecaster.WindowSamples), new HistoryPoints(UsageForecaster.WindowSamples));

        /// <summary>
        /// After a change that opened a new interval: the forecast, whether exhaustion is predicted within the
        /// horizon now, and whether that is new (the alert is due).
        /// </summary>
        public PredictionOutcome Evaluate(long nowTicks, long currentSize, long currentCount, ResourceLimits limits)
        {
            lock (_gate)
            {
                UsageForecast forecast = ForecastUpTo(nowTicks, currentSize, currentCount, limits, _samples, _scratch, _series);
                bool predicted = limits.PredictionHorizon > TimeSpan.Zero && forecast.TimeToThreshold.HasValue && forecast.TimeToThreshold.Value < limits.PredictionHorizon;
                bool raise = predicted && !_exhaustionPredicted;
                _exhaustionPredicted = predicted;
                return new PredictionOutcome(forecast, predicted, raise);
            }
        }

        private UsageForecast ForecastUpTo(long nowTicks, long currentSize, long currentCount, ResourceLimits limits, HistoryPoints? samplesBuffer, HistoryPoints scratch, HistoryPoints seriesBuffer)
        {
            HistoryPoints samples = History.Read(currentSize, currentCount, UsageForecaster.WindowSamples, samplesBuffer);
            if (samples.Count == 0)
            {
                return default;
            }

            History.IsPastOpenInterval(nowTicks, out long nowInterval);
            long end = Math.Max(nowInterval, samples.Ticks[samples.Count - 1]);
            HistoryPoints series = UsageForecaster.Series(samples, end, Settings.Interval.Ticks, scratch, seriesBuffer);
            return UsageForecaster.Forecast(series, samples.Count, currentSize, limits);
        }

        /// <summary>The history and the prediction's edge state, for a snapshot.</summary>
        public UsageHistoryState Export(long maxStateSize)
        {
            IReadOnlyList<UsageSample> closed = History.ReadClosed(maxStateSize, out DateTime? open);
            return new UsageHistoryState(Settings.Interval, Settings.Length, closed, open, ExhaustionPredicted);
        }

        /// <summary>Puts a snapshot's history and prediction edge state back.</summary>
        public void Restore(UsageHistoryState state)
        {
            History.Restore(state.ClosedSamples, state.OpenInterval);
            lock (_gate)
            {
                _exhaustionPredicted = state.ExhaustionPredicted;
            }
        }

        public void Reset()
        {
            History.Clear();
            lock (_gate)
            {
                _exhaustionPredicted = false;
            }
        }
    }

    /// <summary>What <see cref="UsageWatch.Evaluate"/> found.</summary>
    internal readonly struct PredictionOutcome
    {
        public PredictionOutcome(UsageForecast forecast, bool exhaustionPredicted, bool raiseAlert)
        {
            Forecast = forecast;
            ExhaustionPredicted = exhaustionPredicted;
            RaiseAlert = raiseAlert;
        }

        public UsageForecast Forecast { get; }

        public bool ExhaustionPredicted { get; }

        public bool RaiseAlert { get; }
    }
}
