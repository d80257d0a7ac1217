using System;
using System.Collections.Generic;
using StackExchange.Redis;

namespace AgentFlow.Resources.Redis
{
    /// <summary>
    /// The fast (counters-only) budget shared through Redis: totals and counters only, with the rules of
    /// <see cref="CountingStore"/>, one atomic script run per operation.
    /// </summary>
    public sealed class RedisCountingStore : RedisStoreBase
    {
        internal RedisCountingStore(Budget budget, string name, ResourceLimits limits, int maxAlerts, string limitsId)
            : base(budget, name, limits, maxAlerts, limitsId)
        {
        }

        /// <inheritdoc />
        public override StoreCapabilities Capabilities => StoreCapabilities.Snapshots | StoreCapabilities.Shared;

        /// <inheritdoc />
        public override string Kind => "RedisCounters";

        internal override string AllocateOperation => "fadd";

        internal override RedisValue[] AllocateArguments(string key, long size, AllocationOptions options) =>
            new RedisValue[] { key, Reply.Text(size) };

        internal override AllocationResult ReadAllocation(in Reply reply, string key, long size, AllocationOptions options, ref OperationEvents events)
        {
            Collect(reply, ref events);
            if (!reply.FlagField(0))
            {
                return Rejected(reply);
            }

            bool streamed = reply.FlagField(2);
            long charge = reply.LongField(3);
            AllocationEntry? entry = (options & AllocationOptions.ReturnEntries) != 0 ? new AllocationEntry(Name, key, size, charge, false, streamed) : null;
            return AllocationResult.Accepted(replaced: false, streamed, charge, entriesEvicted: 0, entry);
        }

        /// <inheritdoc />
        /// <remarks>Without per-key data the size of the key is unknown: always false.</remarks>
        public override bool Remove(string key, bool returnEntry, out AllocationEntry? removed, ref OperationEvents events)
        {
            removed = null;
            return false;
        }

        /// <inheritdoc />
        public override bool Remove(string key, long size, bool returnEntry, out AllocationEntry? removed, ref OperationEvents events)
        {
            var reply = new Reply(Budget.Run("fremove", key, Reply.Text(size)));
            Collect(reply, ref events);
            removed = null;
            if (!reply.FlagField(0))
            {
                long held = reply.LongField(2);
                switch (reply.Field(1))
                {
                    case "streamedCount":
                        throw new ArgumentException($"Cannot deallocate {size} bytes for '{key}' as a streamed value: the fast monitor holds no streamed entries, so its streamed count would go below zero.", nameof(size));
                    case "streamedBytes":
                        throw new ArgumentException($"Cannot deallocate {size} bytes for '{key}' as a streamed value: the fast monitor holds only {held} streamed bytes, so that total would go below zero.", nameof(size));
                    case "count":
                        throw new ArgumentException($"Cannot deallocate '{key}': the fast monitor holds no entries, so the entry count would go below zero.", nameof(key));
                    default:
                        throw new ArgumentException($"Cannot deallocate {size} bytes for '{key}': the fast monitor holds only {held} bytes, so its total would go below zero.", nameof(size));
                }
            }

            removed = returnEntry ? new AllocationEntry(Name, key, size, reply.LongField(1), false, reply.FlagField(2)) : null;
            return true;
        }

        /// <inheritdoc />
        public override bool Touch(string key) => false;

        /// <inheritdoc />
        public override bool SetPinned(string key, bool pinned) => false;

        /// <inheritdoc />
        public override AllocationEntry? Find(string key) => null;

        /// <inheritdoc />
        public override CleanupResult Cleanup(double targetPercentage, ref OperationEvents events)
        {
            Collect(new Reply(Budget.Run("fcleanup")), ref events);
            throw new InvalidOperationException(CleanupFailureReasons.FastMonitorCannotClean);
        }

        /// <inheritdoc />
        public override CleanupPlan PlanCleanup(double targetPercentage) => throw new InvalidOperationException(CleanupFailureReasons.FastMonitorCannotClean);

        /// <inheritdoc />
        public override IReadOnlyList<string> GetLruKeys(int count) => Array.Empty<string>();

        /// <inheritdoc />
        public override IReadOnlyList<AllocationEntry> GetAllocations() => Array.Empty<AllocationEntry>();

        /// <inheritdoc />
        /// <remarks>The fast store's ApproachingLimit is raised on the upward crossing, so its trigger state is the totals' position against the thresholds.</remarks>
        public override StoreState ExportState() => ExportFromScript(triggersFromTotals: true);
    }
}
