using System;
using System.Collections.Generic;
using System.Globalization;

namespace AgentFlow.Resources
{
    /// <summary>
    /// A monitor's usage history at one moment, for a snapshot: its settings, the closed samples (oldest first),
    /// the start of the open interval (whose usage is the monitor's current usage), and whether exhaustion was
    /// predicted at the last evaluation (the edge state of the PredictedExhaustion alert).
    /// </summary>
    public sealed class UsageHistoryState
    {
        /// <summary>Creates the state. Nothing is checked here: <see cref="Validate"/> says what is inconsistent.</summary>
        public UsageHistoryState(TimeSpan interval, int length, IReadOnlyList<UsageSample> closedSamples, DateTime? openInterval, bool exhaustionPredicted)
        {
            Interval = interval;
            Length = length;
            ClosedSamples = closedSamples ?? throw new ArgumentNullException(nameof(closedSamples));
            OpenInterval = openInterval;
            ExhaustionPredicted = exhaustionPredicted;
        }

        /// <summary>At most one sample per interval.</summary>
        public TimeSpan Interval { get; }

        /// <summary>How many samples are kept, the open interval's included (0: none).</summary>
        public int Length { get; }

        /// <summary>The closed intervals' samples, oldest first: at most <see cref="Length"/> - 1.</summary>
        public IReadOnlyList<UsageSample> ClosedSamples { get; }

        /// <summary>The start of the open interval (UTC), or null before the first change.</summary>
        public DateTime? OpenInterval { get; }

        /// <summary>True when the last evaluation predicted exhaustion within the horizon (the alert was raised for it).</summary>
        public bool ExhaustionPredicted { get; }

        /// <summary>Every way this history disagrees with itself, one sentence each (empty when consistent).</summary>
        public IReadOnlyList<string> Validate()
        {
            var problems = new List<string>();
            try
            {
                _ = new UsageHistorySettings(Interval, Length);
            }
            catch (ArgumentOutOfRangeException exception)
            {
                problems.Add(exception.Message.Split('\n')[0].Trim());
                return problems;
            }

            int capacity = Math.Max(0, Length - 1);
            if (ClosedSamples.Count > capacity)
            {
                problems.Add($"The history holds {Number(ClosedSamples.Count)} closed samples, more than its length of {Number(Length)} keeps ({Number(capacity)}).");
            }

            if (Length == 0 && (OpenInterval.HasValue || ExhaustionPredicted))
            {
                problems.Add("A history of length 0 has no open interval and predicts nothing.");
            }

            for (int i = 0; i < ClosedSamples.Count; i++)
            {
                UsageSample sample = ClosedSamples[i];
                if (sample == null)
                {
                    problems.Add($"History sample {i} is missing.");
                    continue;
                }

                if (sample.CurrentSize < 0 || sample.ValueCount < 0)
                {
                    problems.Add($"History sample {i} has a negative size or count.");
                }

                DateTime? next = i + 1 < ClosedSamples.Count ? ClosedSamples[i + 1]?.Timestamp : OpenInterval;
                if (next.HasValue && next.Value <= sample.Timestamp)
                {
                    problems.Add($"History sample {i} ({sample.Timestamp.ToString("o", CultureInfo.InvariantCulture)}) is not older than the one after it.");
                }
            }

            if (ClosedSamples.Count > 0 && !OpenInterval.HasValue)
            {
                problems.Add("A history with closed samples must also have an open interval (\"openInterval\" is null).");
            }

            return problems;
        }

        private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
