using System;

namespace AgentFlow.Resources
{
    /// <summary>
    /// The growth of resident bytes estimated from recent history, and when usage reaches the cleanup threshold
    /// and the limit at that rate.
    /// </summary>
    /// <remarks>
    /// The method is an ordinary least-squares line (time in seconds against bytes) through the latest
    /// <see cref="UsageForecaster.WindowSamples"/> history intervals up to now, each holding the latest value seen in
    /// it; an interval without a change holds the value before it, so time without changes is a plateau. It was
    /// chosen over Holt's linear trend because it has no smoothing constants to tune, its memory is exactly the
    /// window (a burst leaves the estimate completely once it is older than the window, whereas exponential
    /// smoothing never quite forgets it), and every figure can be checked by hand.
    /// </remarks>
    public readonly struct UsageForecast
    {
        internal UsageForecast(int samples, double? bytesPerSecond, TimeSpan? toThreshold, TimeSpan? toLimit)
        {
            Samples = samples;
            GrowthRate = bytesPerSecond;
            TimeToThreshold = toThreshold;
            TimeToLimit = toLimit;
        }

        /// <summary>How many samples the estimate used (0 to the window).</summary>
        public int Samples { get; }

        /// <summary>Bytes per second (negative when shrinking); null with fewer than 3 samples.</summary>
        public double? GrowthRate { get; }

        /// <summary>Time until CurrentSize reaches the cleanup threshold (zero when already there); null when not growing or fewer than 3 samples.</summary>
        public TimeSpan? TimeToThreshold { get; }

        /// <summary>Time until CurrentSize reaches MaxStateSize; null when not growing or fewer than 3 samples.</summary>
        public TimeSpan? TimeToLimit { get; }
    }

    /// <summary>Computes a <see cref="UsageForecast"/> from history points (least squares, see <see cref="UsageForecast"/>).</summary>
    internal static class UsageForecaster
    {
        /// <summary>How many of the latest intervals the estimate uses.</summary>
        public const int WindowSamples = 10;

        /// <summary>The fewest real samples that give an estimate.</summary>
        public const int MinimumSamples = 3;

        /// <summary>
        /// One value per interval for the latest <see cref="WindowSamples"/> intervals up to <paramref name="endTicks"/>,
        /// oldest first: a sample holds its value until the next sample (an interval without a change kept the value
        /// it had), and nothing is made up before the first sample.
        /// </summary>
        /// <remarks>Fills <paramref name="into"/> through <paramref name="scratch"/> (buffers of <see cref="WindowSamples"/> points), so that the evaluation on the update path allocates nothing.</remarks>
        public static HistoryPoints Series(HistoryPoints samples, long endTicks, long intervalTicks, HistoryPoints scratch, HistoryPoints into)
        {
            HistoryPoints backwards = scratch.Reset(0);
            int index = samples.Count - 1;
            for (long cursor = endTicks; backwards.Count < WindowSamples; cursor -= intervalTicks)
            {
                while (index >= 0 && samples.Ticks[index] > cursor)
                {
                    index--;
                }

                if (index < 0)
                {
                    break;
                }

                backwards.Add(cursor, samples.Sizes[index], samples.Counts[index]);
            }

            HistoryPoints series = into.Reset(backwards.Count);
            for (int i = backwards.Count - 1; i >= 0; i--)
            {
                series.Add(backwards.Ticks[i], backwards.Sizes[i], backwards.Counts[i]);
            }

            return series;
        }

        /// <summary>The least-squares forecast over <paramref name="series"/> (see <see cref="Series"/>).</summary>
        /// <param name="series">One value per interval, oldest first.</param>
        /// <param name="realSamples">How many samples the history really holds (an estimate needs <see cref="MinimumSamples"/>).</param>
        /// <param name="currentSize">Resident bytes now.</param>
        /// <param name="limits">The threshold and the limit to predict.</param>
        public static UsageForecast Forecast(HistoryPoints series, int realSamples, long currentSize, ResourceLimits limits)
        {
            int n = series.Count;
            if (realSamples < MinimumSamples || n < MinimumSamples)
            {
                return new UsageForecast(Math.Min(realSamples, n), null, null, null);
            }

            // Times relative to the newest point, in seconds, keep the sums small.
            long originTicks = series.Ticks[n - 1];
            double sumX = 0, sumY = 0;
            for (int i = 0; i < n; i++)
            {
                sumX += Seconds(series.Ticks[i] - originTicks);
                sumY += series.Sizes[i];
            }

            double meanX = sumX / n, meanY = sumY / n;
            double sxy = 0, sxx = 0;
            for (int i = 0; i < n; i++)
            {
                double dx = Seconds(series.Ticks[i] - originTicks) - meanX;
                sxy += dx * (series.Sizes[i] - meanY);
                sxx += dx * dx;
            }

            double rate = sxx > 0 ? sxy / sxx : 0;
            return new UsageForecast(n, rate, TimeUntil(limits.CleanupThresholdBytes, currentSize, rate), TimeUntil(limits.MaxStateSize, currentSize, rate));
        }

        private static double Seconds(long ticks) => ticks / (double)TimeSpan.TicksPerSecond;

        private static TimeSpan? TimeUntil(long level, long currentSize, double rate)
        {
            if (!(rate > 0))
            {
                return null;
            }

            if (currentSize >= level)
            {
                return TimeSpan.Zero;
            }

            // Rounded up to whole milliseconds: finer digits would only show floating-point noise.
            double milliseconds = Math.Ceiling((level - currentSize) / rate * 1000);
            return milliseconds >= TimeSpan.MaxValue.TotalMilliseconds ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)milliseconds * TimeSpan.TicksPerMillisecond);
        }
    }
}
