using System;
using System.Collections.Generic;
using System.Globalization;
using StackExchange.Redis;

namespace AgentFlow.Resources.Redis
{
    /// <summary>
    /// A detailed budget shared through Redis: entries, one LRU order, pins, automatic cleanup and one alert queue for
    /// every process and host attached to it. Each operation is one atomic run of its budget script, which applies the
    /// same rules as <see cref="MemoryStore"/> (docs/design/redis-store.md).
    /// </summary>
    public sealed class RedisStore : RedisStoreBase
    {
        internal RedisStore(Budget budget, string name, ResourceLimits limits, int maxAlerts, string limitsId)
            : base(budget, name, limits, maxAlerts, limitsId)
        {
        }

        /// <inheritdoc />
        public override StoreCapabilities Capabilities => StoreCapabilities.Detailed | StoreCapabilities.Snapshots | StoreCapabilities.Shared;

        /// <inheritdoc />
        public override string Kind => "Redis";

        internal override string AllocateOperation => "add";

        internal override RedisValue[] AllocateArguments(string key, long size, AllocationOptions options) =>
            new RedisValue[] { key, Reply.Text(size), (options & AllocationOptions.Pin) != 0 ? "1" : "0" };

        internal override AllocationResult ReadAllocation(in Reply reply, string key, long size, AllocationOptions options, ref OperationEvents events)
        {
            AllocationEntry[] evicted = Collect(reply, ref events);
            if (!reply.FlagField(0))
            {
                return Rejected(reply);
            }

            bool streamed = reply.FlagField(2);
            long charge = reply.LongField(3);
            AllocationEntry? entry = (options & AllocationOptions.ReturnEntries) != 0
                ? new AllocationEntry(Name, key, reply.LongField(4), charge, reply.FlagField(5), charge < reply.LongField(4))
                : null;
            return AllocationResult.Accepted(reply.FlagField(1), streamed, charge, evicted.Length, entry);
        }

        /// <inheritdoc />
        public override bool Remove(string key, bool returnEntry, out AllocationEntry? removed, ref OperationEvents events)
        {
            var reply = new Reply(Budget.Run("remove", key));
            Collect(reply, ref events);
            removed = null;
            if (!reply.FlagField(0))
            {
                return false;
            }

            if (returnEntry)
            {
                long size = reply.LongField(1);
                long charge = reply.LongField(2);
                removed = new AllocationEntry(Name, key, size, charge, reply.FlagField(3), charge < size);
            }

            return true;
        }

        /// <inheritdoc />
        /// <remarks>The budget knows every entry's size, so the caller's size is not needed.</remarks>
        public override bool Remove(string key, long size, bool returnEntry, out AllocationEntry? removed, ref OperationEvents events) =>
            Remove(key, returnEntry, out removed, ref events);

        /// <inheritdoc />
        public override bool Touch(string key) => (long)Budget.Run("touch", key) == 1;

        /// <inheritdoc />
        public override bool SetPinned(string key, bool pinned) => new Reply(Budget.Run("pin", key, pinned ? "1" : "0")).FlagField(0);

        /// <inheritdoc />
        public override AllocationEntry? Find(string key)
        {
            RedisValue value = Budget.Call(db => db.HashGetAsync(Budget.Entries, key), "read");
            if (value.IsNull)
            {
                return null;
            }

            string[] f = ((string)value!).Split('|');
            long size = Reply.Long(f[0]);
            long charge = Reply.Long(f[1]);
            return new AllocationEntry(Name, key, size, charge, f[2] == "1", charge < size);
        }

        /// <inheritdoc />
        public override CleanupResult Cleanup(double targetPercentage, ref OperationEvents events)
        {
            long targetBytes = 0;
            var reply = new Reply(RunWithLimits("cleanup", () =>
            {
                targetBytes = TargetBytes(targetPercentage);
                return new RedisValue[] { Reply.Text(targetBytes), targetPercentage.ToString("R", CultureInfo.InvariantCulture) };
            }));
            AllocationEntry[] evicted = Collect(reply, ref events);
            return new CleanupResult(Name, targetPercentage, targetBytes, reply.LongField(0), evicted, reply.LongField(1), reply.LongField(2), reply.LongField(3));
        }

        /// <inheritdoc />
        public override CleanupPlan PlanCleanup(double targetPercentage)
        {
            long targetBytes = 0;
            var items = (RedisResult[])RunWithLimits("plan", () =>
            {
                targetBytes = TargetBytes(targetPercentage);
                return new RedisValue[] { Reply.Text(targetBytes) };
            })!;
            long current = (long)items[0];
            var candidates = new List<AllocationEntry>();
            long bytes = 0;
            for (int i = 3; i + 2 < items.Length; i += 3)
            {
                long size = Reply.Long((string)items[i + 1]!);
                long charge = Reply.Long((string)items[i + 2]!);
                candidates.Add(new AllocationEntry(Name, (string)items[i]!, size, charge, false, charge < size));
                bytes += charge;
            }

            return new CleanupPlan(Name, targetPercentage, targetBytes, current, candidates, bytes, (long)items[1], (long)items[2]);
        }

        /// <inheritdoc />
        public override IReadOnlyList<string> GetLruKeys(int count)
        {
            var items = (RedisResult[])Budget.Run("keys", Reply.Text(count))!;
            var keys = new string[items.Length];
            for (int i = 0; i < keys.Length; i++)
            {
                keys[i] = (string)items[i]!;
            }

            return keys;
        }

        /// <inheritdoc />
        public override IReadOnlyList<AllocationEntry> GetAllocations()
        {
            var items = (RedisResult[])Budget.Run("entries")!;
            return ReadEntries(items, 0, items.Length / 4);
        }

        /// <inheritdoc />
        public override StoreState ExportState() => ExportFromScript(triggersFromTotals: false);
    }
}
