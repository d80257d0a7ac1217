using System;
using System.Collections.Generic;
using System.Globalization;
using StackExchange.Redis;

namespace AgentFlow.Resources.Redis
{
    /// <summary>
    /// The module's entry point into the Redis component (loaded in its own AssemblyLoadContext): attaches to, restores
    /// and deletes shared budgets. The budget's limits, alert bound and mode live in its meta hash, so every process
    /// attached to it enforces the same ones.
    /// </summary>
    public sealed class RedisStoreProvider : IRedisStoreProvider
    {
        // Bumped when the key layout or the script's records change incompatibly.
        private const string LayoutVersion = "2";

        /// <inheritdoc />
        public StateStore Open(RedisStoreOptions options)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            ResourceLimits? requested = options.Limits;
            if (requested != null)
            {
                requested.EnsureValid(nameof(options));
            }

            Budget budget = Connect(options);
            ResourceLimits limits = requested ?? ResourceLimits.Default;
            int maxAlerts = options.MaxAlerts ?? StateMonitor.DefaultMaxAlerts;
            Dictionary<string, string> stored = Attach(budget, force: false, limits, maxAlerts, options.Fast);
            bool created = stored["created"] == "1";
            if (created)
            {
                return Create(budget, options, limits, maxAlerts, stored["limitsId"]);
            }

            bool storedFast = stored["fast"] == "1";
            if (storedFast != options.Fast)
            {
                throw new SharedStoreException(SharedStoreFailure.LimitsMismatch,
                    $"The shared budget '{options.Name}' on {budget.Connection.Server} is a {Mode(storedFast)} budget; this asks for a {Mode(options.Fast)} one. Attach with{(storedFast ? string.Empty : "out")} -Fast, or delete the budget (Remove-SharedBudget) to start a new one.");
            }

            StoredLimits? storedLimits = null;
            try
            {
                storedLimits = StoredLimits.Read(stored, requested);
            }
            catch (SharedStoreException) when (options.Force && requested != null)
            {
                // Unreadable stored limits (a meta hash edited by hand): -Force with -Limits writes valid ones.
            }

            List<string> differences = storedLimits is StoredLimits read
                ? Differences(read.Limits, read.MaxAlerts, requested, options.MaxAlerts)
                : new List<string> { "the stored limits cannot be read" };
            if (differences.Count > 0 && !options.Force)
            {
                throw new SharedStoreException(SharedStoreFailure.LimitsMismatch,
                    $"The shared budget '{options.Name}' on {budget.Connection.Server} is stored with other limits: {string.Join("; ", differences)}. Omit -Limits to use the stored ones, or add -Force to replace them for every process attached.");
            }

            if (differences.Count > 0)
            {
                limits = requested ?? storedLimits!.Value.Limits;
                maxAlerts = options.MaxAlerts ?? storedLimits?.MaxAlerts ?? maxAlerts;
                return Create(budget, options, limits, maxAlerts, Attach(budget, force: true, limits, maxAlerts, options.Fast)["limitsId"]);
            }

            // The stored ones, with this process's own prediction settings (they are not shared).
            StoredLimits kept = storedLimits!.Value;
            return Create(budget, options, kept.Limits, kept.MaxAlerts, kept.Id);
        }

        /// <inheritdoc />
        public StateStore Restore(RedisStoreOptions options, StoreState state)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            if (state == null)
            {
                throw new ArgumentNullException(nameof(state));
            }

            ResourceLimits limits = options.Limits ?? throw new ArgumentException("Restoring a shared budget needs the limits of the state.", nameof(options));
            int maxAlerts = options.MaxAlerts ?? StateMonitor.DefaultMaxAlerts;
            StoreCapabilities capabilities = options.Fast ? StoreCapabilities.Snapshots | StoreCapabilities.Shared : StoreCapabilities.Detailed | StoreCapabilities.Snapshots | StoreCapabilities.Shared;
            state.EnsureValid(limits, maxAlerts, capabilities);

            Budget budget = Connect(options);
            string limitsId = Attach(budget, force: true, limits, maxAlerts, options.Fast)["limitsId"];
            StoreCounters c = state.Counters;
            AlertTriggers t = state.Triggers;
            var args = new List<RedisValue>
            {
                c.CurrentSize, c.ValueCount, c.PeakSize, c.PinnedSize, c.PinnedCount, c.StreamedCount, c.StreamedBytes, c.TotalEvictions,
                c.EvictedBytes, c.RejectedAllocations, state.AlertsDropped, t.StateAtThreshold ? 1 : 0, t.EntriesAtThreshold ? 1 : 0,
                t.AutomaticCleanupFailing ? 1 : 0, 0,
            };
            foreach (KeyValuePair<AlertType, long> raised in state.AlertsRaised.ByType())
            {
                args.Add(raised.Value);
            }

            args.Add(state.Entries.Count);
            foreach (StoreEntry entry in state.Entries)
            {
                args.Add(entry.Key);
                args.Add(entry.Size);
                args.Add(entry.IsPinned ? "1" : "0");
            }

            foreach (ResourceAlert alert in state.Alerts)
            {
                args.Add(AlertRecords.Encode(alert));
            }

            budget.Run("restore", args.ToArray());
            return Create(budget, options, limits, maxAlerts, limitsId);
        }

        /// <inheritdoc />
        public long Delete(RedisStoreOptions options)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            Budget budget = Connect(options);
            return budget.Call(db => db.KeyDeleteAsync(budget.AllKeys), "delete");
        }

        private static Budget Connect(RedisStoreOptions options)
        {
            Connection connection = RedisConnections.Get(options);
            var budget = new Budget(connection, options.KeyPrefix, options.Name);
            budget.LoadScript();
            return budget;
        }

        private static StateStore Create(Budget budget, RedisStoreOptions options, ResourceLimits limits, int maxAlerts, string limitsId) =>
            options.Fast
                ? new RedisCountingStore(budget, options.Name, limits, maxAlerts, limitsId)
                : new RedisStore(budget, options.Name, limits, maxAlerts, limitsId);

        private static string Mode(bool fast) => fast ? "counters-only (-Fast)" : "detailed";

        /// <summary>Creates the budget with these values when it does not exist (or overwrites them with <paramref name="force"/>); returns what is stored.</summary>
        private static Dictionary<string, string> Attach(Budget budget, bool force, ResourceLimits limits, int maxAlerts, bool fast)
        {
            var args = new List<RedisValue> { force ? "1" : "0" };
            void Add(string field, string value)
            {
                args.Add(field);
                args.Add(value);
            }

            Add("version", LayoutVersion);
            Add("fast", fast ? "1" : "0");
            Add("maxAlerts", Text(maxAlerts));
            Add("maxState", Text(limits.MaxStateSize));
            Add("maxValue", Text(limits.MaxValueSize));
            Add("maxEntries", Text(limits.MaxCacheEntries));
            Add("threshold", limits.CleanupThreshold.ToString("R", CultureInfo.InvariantCulture));
            Add("target", limits.CleanupTarget.ToString("R", CultureInfo.InvariantCulture));
            Add("auto", limits.AutoCleanup ? "1" : "0");
            Add("stream", limits.EnableStreaming ? "1" : "0");
            Add("chunk", Text(limits.StreamChunkSize));
            Add("thrBytes", Text(limits.CleanupThresholdBytes));
            Add("thrEntries", Text(limits.CleanupThresholdEntries));
            Add("tgtBytes", Text(limits.CleanupTargetBytes));
            Add("tgtEntries", Text(limits.CleanupTargetEntries));
            Add("limitsId", StoredLimits.NewId()); // kept only when this call writes the limits
            var items = (RedisResult[])budget.Run("attach", args.ToArray())!;
            var stored = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i + 1 < items.Length; i += 2)
            {
                stored[(string)items[i]!] = (string)items[i + 1]!;
            }

            if (stored.TryGetValue("version", out string? version) && version != LayoutVersion)
            {
                throw new SharedStoreException(SharedStoreFailure.LimitsMismatch,
                    $"The shared budget '{budget.Prefix}' on {budget.Connection.Server} has key layout version {version}; this module reads version {LayoutVersion}. Use the same module version on every host.");
            }

            return stored;
        }

        private static List<string> Differences(ResourceLimits stored, int storedMaxAlerts, ResourceLimits? requested, int? maxAlerts)
        {
            var differences = new List<string>();
            void Compare<T>(string name, T have, T want)
            {
                if (!EqualityComparer<T>.Default.Equals(have, want))
                {
                    differences.Add($"{name} is {have} there, {want} here");
                }
            }

            if (requested != null)
            {
                Compare(nameof(ResourceLimits.MaxStateSize), stored.MaxStateSize, requested.MaxStateSize);
                Compare(nameof(ResourceLimits.MaxValueSize), stored.MaxValueSize, requested.MaxValueSize);
                Compare(nameof(ResourceLimits.MaxCacheEntries), stored.MaxCacheEntries, requested.MaxCacheEntries);
                Compare(nameof(ResourceLimits.CleanupThreshold), stored.CleanupThreshold, requested.CleanupThreshold);
                Compare(nameof(ResourceLimits.CleanupTarget), stored.CleanupTarget, requested.CleanupTarget);
                Compare(nameof(ResourceLimits.AutoCleanup), stored.AutoCleanup, requested.AutoCleanup);
                Compare(nameof(ResourceLimits.EnableStreaming), stored.EnableStreaming, requested.EnableStreaming);
                Compare(nameof(ResourceLimits.StreamChunkSize), stored.StreamChunkSize, requested.StreamChunkSize);
            }

            if (maxAlerts.HasValue)
            {
                Compare("MaxAlerts", storedMaxAlerts, maxAlerts.Value);
            }

            return differences;
        }

        private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
