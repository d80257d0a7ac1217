using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace AgentFlow.Resources.Redis
{
    /// <summary>
    /// What the two Redis stores share: the budget, the shared alert queue and its dropped count, the counters, and
    /// the reading of a script's evictions and alerts into the operation's events.
    /// </summary>
    public abstract class RedisStoreBase : StateStore
    {
        // The totals field first (BudgetTotals), then the named counters ReadAll needs.
        private static readonly RedisValue[] s_counterFields = { BudgetTotals.Field, "strCount", "strBytes", "evictions", "evBytes", "rejected" };

        // The counters hash's count of each alert type, in AlertType order (the state script part's RAISED_FIELD).
        private static readonly RedisValue[] s_raisedFields = { "raisedA", "raisedL", "raisedT", "raisedF", "raisedP" };

        // The export script's counters: COUNTER_FIELDS of the counterlist script part, the alert counts last.
        private const int ExportedCounters = 15 + 5;

        // A script that must work with the limits this process holds answers this, having done nothing, when the budget
        // holds others (another process attached with -Force): the limits are read again and the call repeated.
        private const string LimitsChanged = "AGENTFLOW_LIMITS_CHANGED";

        // How often a call is repeated for limits replaced while it ran, before it gives up.
        private const int LimitsAttempts = 8;

        // The id of the stored limits that Limits and MaxAlerts hold (StoredLimits).
        private string _limitsId;

        internal RedisStoreBase(Budget budget, string name, ResourceLimits limits, int maxAlerts, string limitsId)
            : base(name, limits, maxAlerts)
        {
            Budget = budget;
            Raised = new RaisedAlerts(maxAlerts);
            _limitsId = limitsId;
        }

        /// <summary>The prefix every key of this budget starts with (<c>agentflow:{name}:</c>).</summary>
        public string KeyPrefix => Budget.Prefix;

        /// <summary>The Redis endpoints, without any credential.</summary>
        public string Server => Budget.Connection.Server;

        internal Budget Budget { get; }

        private RaisedAlerts Raised { get; }

        /// <inheritdoc />
        /// <remarks>The client's own view: it reconnects in the background, and reports a connection once one is back.</remarks>
        public override bool IsReachable => Budget.Connection.Multiplexer.IsConnected;

        /// <inheritdoc />
        public override long CurrentSize => ReadSizeAndCount().Size;

        /// <inheritdoc />
        public override long ValueCount => ReadSizeAndCount().Count;

        /// <inheritdoc />
        public override long AlertsDropped =>
            (long?)Budget.Call(db => db.HashGetAsync(Budget.Counters, "dropped"), "read the alerts dropped of") ?? 0;

        /// <summary>The script operation that records an allocation.</summary>
        internal abstract string AllocateOperation { get; }

        /// <inheritdoc />
        public override AllocationResult Allocate(string key, long size, AllocationOptions options, ref OperationEvents events) =>
            ReadAllocation(new Reply(Budget.Run(AllocateOperation, AllocateArguments(key, size, options))), key, size, options, ref events);

        /// <inheritdoc />
        /// <remarks>
        /// The calls are pipelined: all are sent, then all replies read, so the run costs about one round trip. Each
        /// call is still one atomic script, applied in the order sent. After a server restart the calls that found
        /// the script missing (NOSCRIPT) changed nothing and are sent again, in order, after the others.
        /// </remarks>
        public override void AllocateMany(IReadOnlyList<AllocationRequest> requests, AllocationResult[] results, ref OperationEvents events)
        {
            var arguments = new RedisValue[requests.Count][];
            for (int i = 0; i < arguments.Length; i++)
            {
                arguments[i] = AllocateArguments(requests[i].Key, requests[i].Size, requests[i].Options);
            }

            RedisResult[] replies = Budget.RunMany(AllocateOperation, arguments);
            for (int i = 0; i < replies.Length; i++)
            {
                AllocationRequest r = requests[i];
                results[i] = ReadAllocation(new Reply(replies[i]), r.Key, r.Size, r.Options, ref events);
            }
        }

        internal abstract RedisValue[] AllocateArguments(string key, long size, AllocationOptions options);

        internal abstract AllocationResult ReadAllocation(in Reply reply, string key, long size, AllocationOptions options, ref OperationEvents events);

        /// <inheritdoc />
        public override IReadOnlyList<ResourceAlert> DrainAlerts(IReadOnlyCollection<AlertType>? types)
        {
            var records = (RedisResult[])Budget.Run("drain", AlertRecords.Letters(types))!;
            var alerts = new ResourceAlert[records.Length];
            for (int i = 0; i < alerts.Length; i++)
            {
                alerts[i] = Decode((string)records[i]!);
            }

            return alerts;
        }

        /// <inheritdoc />
        public override IReadOnlyList<ResourceAlert> PeekAlerts()
        {
            RedisValue[] records = Budget.Call(db => db.ListRangeAsync(Budget.Alerts), "read the alerts of");
            var alerts = new ResourceAlert[records.Length];
            for (int i = 0; i < alerts.Length; i++)
            {
                alerts[i] = Decode(records[i]!);
            }

            return alerts;
        }

        /// <inheritdoc />
        public override void ClearAlerts() => Budget.Call(db => db.KeyDeleteAsync(Budget.Alerts), "clear the alerts of");

        /// <inheritdoc />
        /// <remarks>Queued, counted and bounded like the alerts the script raises, in one atomic script run.</remarks>
        public override void Publish(ResourceAlert alert, ref OperationEvents events)
        {
            if (alert == null)
            {
                throw new ArgumentNullException(nameof(alert));
            }

            string record = AlertRecords.Encode(alert);
            Budget.Run("publish", record);
            Raised.Remember(record, alert);
            events.Add(alert);
        }

        /// <inheritdoc />
        /// <remarks>The budget's counts, shared by every process attached to it: one read of the counters hash.</remarks>
        public override long[]? ReadAlertCounts()
        {
            RedisValue[] v = Budget.Call(db => db.HashGetAsync(Budget.Counters, s_raisedFields), "read the alert counts of");
            var counts = new long[v.Length];
            for (int i = 0; i < counts.Length; i++)
            {
                counts[i] = Value(v[i]);
            }

            return counts;
        }

        /// <inheritdoc />
        public override StoreCounters ReadCounters() => ReadAll().Counters;

        /// <inheritdoc />
        public override void Reset() =>
            Budget.Call(db => db.KeyDeleteAsync(new[] { Budget.Counters, Budget.Entries, Budget.Lru, Budget.Pinned, Budget.Alerts }), "reset");

        /// <summary>Every counter and the edge-trigger state, read in one command; the stored limits beside it, in the same round trip.</summary>
        internal (StoreCounters Counters, AlertTriggers Triggers) ReadAll()
        {
            (RedisValue[] v, RedisValue[] stored) = Budget.Call(
                db => db.HashGetAsync(Budget.Counters, s_counterFields), ReadStoredLimits, "read the counters of");
            Adopt(stored);
            var totals = new BudgetTotals(v[0]);
            var counters = new StoreCounters
            {
                CurrentSize = totals.Size,
                ValueCount = totals.Count,
                PeakSize = totals.Peak,
                PinnedSize = totals.PinnedSize,
                PinnedCount = totals.PinnedCount,
                StreamedCount = Value(v[1]),
                StreamedBytes = Value(v[2]),
                TotalEvictions = Value(v[3]),
                EvictedBytes = Value(v[4]),
                RejectedAllocations = Value(v[5]),
            };
            var triggers = new AlertTriggers
            {
                StateAtThreshold = totals.StateAtThreshold,
                EntriesAtThreshold = totals.EntriesAtThreshold,
                AutomaticCleanupFailing = totals.AutomaticCleanupFailing,
            };
            return (counters, triggers);
        }

        /// <summary>Notes the evictions and alerts of a script's reply in <paramref name="events"/>; returns the evicted entries.</summary>
        internal AllocationEntry[] Collect(in Reply reply, ref OperationEvents events)
        {
            int evictions = reply.EvictionCount;
            var entries = evictions == 0 ? Array.Empty<AllocationEntry>() : new AllocationEntry[evictions];
            for (int i = 0; i < evictions; i++)
            {
                (string key, long size, long charge, EvictionReason reason) = reply.Eviction(i);
                entries[i] = new AllocationEntry(Name, key, size, charge, false, charge < size);
                events.AddEviction(entries[i], reason);
            }

            for (int i = reply.AlertsStart; i < reply.Length; i++)
            {
                ResourceAlert alert = AlertRecords.Decode(reply[i], Name);
                Raised.Remember(reply[i], alert);
                events.Add(alert);
            }

            return entries;
        }

        /// <summary>The rejection in a reply whose first field is '0': resource, attempted value, limit.</summary>
        internal static AllocationResult Rejected(in Reply reply)
        {
            LimitedResource resource = reply.Field(1) switch
            {
                "S" => LimitedResource.StateSize,
                "V" => LimitedResource.ValueSize,
                _ => LimitedResource.CacheEntries,
            };
            return AllocationResult.Rejected(resource, reply.LongField(2), reply.LongField(3));
        }

        /// <summary>The whole state in one atomic script run; a counters-only budget's triggers are its totals' position.</summary>
        internal StoreState ExportFromScript(bool triggersFromTotals)
        {
            var items = (RedisResult[])RunWithLimits("export", static () => Array.Empty<RedisValue>())!;
            var c = new long[ExportedCounters];
            for (int i = 0; i < c.Length; i++)
            {
                c[i] = Reply.Long((string)items[i]!);
            }

            int count = int.Parse((string)items[ExportedCounters]!, CultureInfo.InvariantCulture);
            AllocationEntry[] entries = ReadEntries(items, ExportedCounters + 1, count);
            var stored = new StoreEntry[count];
            for (int i = 0; i < count; i++)
            {
                stored[i] = new StoreEntry(entries[i].Key, entries[i].Size, entries[i].IsPinned);
            }

            var alerts = new List<ResourceAlert>();
            for (int i = ExportedCounters + 1 + (4 * count); i < items.Length; i++)
            {
                alerts.Add(Decode((string)items[i]!));
            }

            var counters = new StoreCounters
            {
                CurrentSize = c[0],
                ValueCount = c[1],
                PeakSize = c[2],
                PinnedSize = c[3],
                PinnedCount = c[4],
                StreamedCount = c[5],
                StreamedBytes = c[6],
                TotalEvictions = c[7],
                EvictedBytes = c[8],
                RejectedAllocations = c[9],
            };
            var triggers = triggersFromTotals
                ? new AlertTriggers { StateAtThreshold = c[0] >= Limits.CleanupThresholdBytes, EntriesAtThreshold = c[1] >= Limits.CleanupThresholdEntries }
                : new AlertTriggers { StateAtThreshold = c[11] == 1, EntriesAtThreshold = c[12] == 1, AutomaticCleanupFailing = c[13] == 1 };
            var raised = new AlertTypeCounts(new ArraySegment<long>(c, 15, s_raisedFields.Length));
            return new StoreState(stored, counters, triggers, alerts, c[10], raised);
        }

        internal AllocationEntry[] ReadEntries(RedisResult[] items, int start, int count)
        {
            var entries = new AllocationEntry[count];
            for (int i = 0; i < count; i++)
            {
                int at = start + (4 * i);
                long size = Reply.Long((string)items[at + 1]!);
                long charge = Reply.Long((string)items[at + 2]!);
                entries[i] = new AllocationEntry(Name, (string)items[at]!, size, charge, (string)items[at + 3]! == "1", charge < size);
            }

            return entries;
        }

        /// <summary>
        /// Runs a script whose work depends on the limits this process holds (a cleanup's target, a snapshot's
        /// limits): it carries their id, and the script refuses, doing nothing, when the budget holds others. Then the
        /// limits are read again and the call repeated with what <paramref name="arguments"/> makes of them.
        /// </summary>
        internal RedisResult RunWithLimits(string operation, Func<RedisValue[]> arguments)
        {
            for (int attempt = 1; ; attempt++)
            {
                RedisValue[] values = arguments();
                Array.Resize(ref values, values.Length + 1);
                values[values.Length - 1] = Volatile.Read(ref _limitsId);
                RedisResult result = Budget.Run(operation, values);
                if (result.Resp2Type != ResultType.BulkString || (string?)result != LimitsChanged)
                {
                    return result;
                }

                if (attempt == LimitsAttempts)
                {
                    throw new SharedStoreException(SharedStoreFailure.Unavailable,
                        $"The limits of the shared budget '{Name}' on {Server} were replaced {LimitsAttempts} times during one '{operation}' call, which changed nothing; try again.");
                }

                Adopt(Budget.Call(ReadStoredLimits, "read the limits of"));
            }
        }

        private Task<RedisValue[]> ReadStoredLimits(IDatabase db) => db.HashGetAsync(Budget.Meta, StoredLimits.Fields);

        /// <summary>Takes the stored limits when another process replaced them; a deleted budget's (none) change nothing.</summary>
        private void Adopt(RedisValue[] stored)
        {
            RedisValue id = stored[stored.Length - 1];
            if ((id.IsNull ? string.Empty : (string)id!) == Volatile.Read(ref _limitsId) || StoredLimits.Read(stored, Limits) is not StoredLimits read)
            {
                return;
            }

            ReplaceLimits(read.Limits, read.MaxAlerts);
            Volatile.Write(ref _limitsId, read.Id); // after the limits: a reader that sees this id sees them
        }

        private ResourceAlert Decode(string record) => Raised.Find(record) ?? AlertRecords.Decode(record, Name);

        private (long Size, long Count) ReadSizeAndCount()
        {
            (RedisValue field, RedisValue[] stored) = Budget.Call(
                db => db.HashGetAsync(Budget.Counters, BudgetTotals.Field), ReadStoredLimits, "read the totals of");
            Adopt(stored);
            var totals = new BudgetTotals(field);
            return (totals.Size, totals.Count);
        }

        private static long Value(RedisValue value) => value.IsNull ? 0 : Reply.Long(value!);
    }
}
