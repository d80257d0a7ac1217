using System;
using System.Collections.Generic;
using System.Globalization;
using StackExchange.Redis;

namespace AgentFlow.Resources.Redis
{
    /// <summary>
    /// A budget's limits as its meta hash stores them: named fields written by attach, with the id of that writing
    /// (<c>limitsId</c>, new each time attach creates the budget or <c>-Force</c> replaces its limits), so a process can
    /// tell with one field that another has replaced them. Only what every process shares is stored: the prediction
    /// settings (<see cref="ResourceLimits.PredictionHorizon"/>, <see cref="ResourceLimits.PredictiveCleanup"/>) stay
    /// each process's own.
    /// </summary>
    internal readonly struct StoredLimits
    {
        /// <summary>The meta hash's fields, in the order <see cref="Read(RedisValue[], ResourceLimits?)"/> takes them.</summary>
        public static readonly string[] Names = { "maxState", "maxValue", "maxEntries", "threshold", "target", "auto", "stream", "chunk", "maxAlerts", "limitsId" };

        /// <summary><see cref="Names"/> as the client sends them.</summary>
        public static readonly RedisValue[] Fields = Array.ConvertAll(Names, name => (RedisValue)name);

        private StoredLimits(ResourceLimits limits, int maxAlerts, string id)
        {
            Limits = limits;
            MaxAlerts = maxAlerts;
            Id = id;
        }

        public ResourceLimits Limits { get; }

        public int MaxAlerts { get; }

        /// <summary>The id of the writing these limits came from; empty for a budget made before ids were written.</summary>
        public string Id { get; }

        /// <summary>A new id for limits about to be written.</summary>
        public static string NewId() => Guid.NewGuid().ToString("N");

        /// <summary>The limits in an attach reply.</summary>
        /// <param name="stored">Every field of the meta hash, by name.</param>
        /// <param name="local">This process's own limits, whose prediction settings are kept; null for the defaults.</param>
        public static StoredLimits Read(IReadOnlyDictionary<string, string> stored, ResourceLimits? local)
        {
            var values = new string?[Names.Length];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = stored.TryGetValue(Names[i], out string? value) ? value : null;
            }

            return Read(values, local) ?? throw Unreadable("the meta hash has no 'maxState'.");
        }

        /// <summary>The limits in a read of <see cref="Fields"/>; null when the budget has no limits (its keys were deleted).</summary>
        /// <param name="fields">The values of <see cref="Fields"/>, in that order.</param>
        /// <param name="local">This process's own limits, whose prediction settings are kept; null for the defaults.</param>
        public static StoredLimits? Read(RedisValue[] fields, ResourceLimits? local) =>
            Read(Array.ConvertAll(fields, f => f.IsNull ? null : (string?)f), local);

        private static StoredLimits? Read(string?[] v, ResourceLimits? local)
        {
            if (v[0] == null)
            {
                return null;
            }

            try
            {
                ResourceLimitsBuilder builder = ResourceLimits.Builder()
                    .MaxStateSize(Long(v, 0))
                    .MaxValueSize(Long(v, 1))
                    .MaxCacheEntries(Long(v, 2))
                    .CleanupThreshold(Fraction(v, 3))
                    .CleanupTarget(Fraction(v, 4))
                    .AutoCleanup(v[5] == "1")
                    .EnableStreaming(v[6] == "1")
                    .StreamChunkSize(Long(v, 7));
                if (local != null)
                {
                    builder.PredictionHorizon(local.PredictionHorizon).PredictiveCleanup(local.PredictiveCleanup);
                }

                return new StoredLimits(builder.Build(), (int)Long(v, 8), v[9] ?? string.Empty);
            }
            catch (ArgumentException e)
            {
                throw Unreadable(e.Message);
            }
        }

        // A meta hash edited by hand must not surface as a bare FormatException from whichever read met it first.
        private static long Long(string?[] v, int i) =>
            long.TryParse(v[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) && (i != 8 || value is >= 1 and <= int.MaxValue)
                ? value
                : throw Unreadable($"'{Names[i]}' is '{v[i]}', not a whole number{(i == 8 ? " from 1 to " + int.MaxValue.ToString(CultureInfo.InvariantCulture) : string.Empty)}.");

        private static double Fraction(string?[] v, int i) =>
            double.TryParse(v[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                ? value
                : throw Unreadable($"'{Names[i]}' is '{v[i]}', not a number.");

        private static SharedStoreException Unreadable(string problem) =>
            new SharedStoreException(SharedStoreFailure.LimitsMismatch,
                "The shared budget's stored limits cannot be read: " + problem + " Attach with -Limits and -Force to write valid ones.");
    }
}
