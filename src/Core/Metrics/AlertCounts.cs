using System;
using System.Threading;

namespace AgentFlow.Resources
{
    /// <summary>How many alerts of each type a store raised since it was created or reset (for the metrics; alerts are rare, so atomic increments cost nothing that matters).</summary>
    internal sealed class AlertCounts
    {
        private static readonly AlertType[] Types = (AlertType[])Enum.GetValues(typeof(AlertType));

        private readonly long[] _counts = new long[Types.Length];

        /// <summary>How many alert types there are (the length of <see cref="Read"/>).</summary>
        public static int TypeCount => Types.Length;

        /// <summary>Every alert type, in declaration order.</summary>
        public static AlertType[] AllTypes => (AlertType[])Types.Clone();

        public void Count(AlertType type) => Interlocked.Increment(ref _counts[(int)type]);

        public long[] Read()
        {
            var copy = new long[_counts.Length];
            for (int i = 0; i < copy.Length; i++)
            {
                copy[i] = Interlocked.Read(ref _counts[i]);
            }

            return copy;
        }

        public void Restore(AlertTypeCounts counts)
        {
            for (int i = 0; i < _counts.Length; i++)
            {
                Interlocked.Exchange(ref _counts[i], counts[Types[i]]);
            }
        }

        public void Reset()
        {
            for (int i = 0; i < _counts.Length; i++)
            {
                Interlocked.Exchange(ref _counts[i], 0);
            }
        }
    }
}
