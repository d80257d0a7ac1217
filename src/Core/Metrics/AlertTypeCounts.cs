using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AgentFlow.Resources
{
    /// <summary>
    /// How many alerts of each type a monitor raised: one property per type, and an indexer by type. An object
    /// with properties rather than a dictionary keyed by the enum, so that it survives <c>ConvertTo-Json</c>,
    /// <c>Export-Clixml</c> and <c>Format-List</c> as named counts.
    /// </summary>
    public sealed class AlertTypeCounts
    {
        private readonly long[] _counts;

        /// <summary>No alert of any type.</summary>
        public static AlertTypeCounts None { get; } = new AlertTypeCounts(new long[AlertCounts.TypeCount]);

        /// <summary>Creates the counts from one count per <see cref="AlertType"/>, in declaration order (missing types count 0).</summary>
        public AlertTypeCounts(IReadOnlyList<long> counts)
        {
            if (counts == null)
            {
                throw new ArgumentNullException(nameof(counts));
            }

            if (counts.Count > AlertCounts.TypeCount)
            {
                throw new ArgumentException($"There are {AlertCounts.TypeCount} alert types, but {counts.Count} counts were given.", nameof(counts));
            }

            _counts = new long[AlertCounts.TypeCount];
            for (int i = 0; i < counts.Count; i++)
            {
                _counts[i] = counts[i];
            }
        }

        /// <summary>ApproachingLimit alerts raised.</summary>
        public long ApproachingLimit => this[AlertType.ApproachingLimit];

        /// <summary>LimitExceeded alerts raised.</summary>
        public long LimitExceeded => this[AlertType.LimitExceeded];

        /// <summary>CleanupTriggered alerts raised.</summary>
        public long CleanupTriggered => this[AlertType.CleanupTriggered];

        /// <summary>CleanupFailed alerts raised.</summary>
        public long CleanupFailed => this[AlertType.CleanupFailed];

        /// <summary>PredictedExhaustion alerts raised.</summary>
        public long PredictedExhaustion => this[AlertType.PredictedExhaustion];

        /// <summary>The count of one type.</summary>
        public long this[AlertType type] =>
            (int)type >= 0 && (int)type < _counts.Length ? _counts[(int)type] : throw new ArgumentOutOfRangeException(nameof(type), type, "Not an alert type.");

        /// <summary>Every type with its count, in declaration order (zeros included).</summary>
        public IReadOnlyList<KeyValuePair<AlertType, long>> ByType()
        {
            AlertType[] types = AlertCounts.AllTypes;
            var pairs = new KeyValuePair<AlertType, long>[types.Length];
            for (int i = 0; i < types.Length; i++)
            {
                pairs[i] = new KeyValuePair<AlertType, long>(types[i], _counts[(int)types[i]]);
            }

            return pairs;
        }

        /// <summary>A copy of the counts, one per type in declaration order.</summary>
        internal long[] ToArray() => (long[])_counts.Clone();

        /// <summary>"ApproachingLimit 1, LimitExceeded 0, ..." in declaration order.</summary>
        public override string ToString()
        {
            var text = new StringBuilder();
            foreach (KeyValuePair<AlertType, long> pair in ByType())
            {
                if (text.Length > 0)
                {
                    text.Append(", ");
                }

                text.Append(pair.Key).Append(' ').Append(pair.Value.ToString(CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }
    }
}
