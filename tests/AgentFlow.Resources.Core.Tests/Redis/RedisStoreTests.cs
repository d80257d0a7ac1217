using System;
using System.Linq;
using AgentFlow.Resources.Redis;
using StackExchange.Redis;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>What only a Redis store has: its keys, its script by SHA, pipelined runs, stored limits.</summary>
    [Collection("Redis")]
    public sealed class RedisStoreTests
    {
        private static int s_name;

        private static RedisStoreOptions Options(ResourceLimits limits, string? name = null) =>
            RedisStores.Options(limits, name ?? "redis-tests-" + System.Threading.Interlocked.Increment(ref s_name), StateMonitor.DefaultMaxAlerts, fast: false);

        [Fact]
        public void Every_key_of_a_budget_lives_under_one_hash_tagged_prefix_in_lower_case()
        {
            RedisStoreOptions options = Options(Limits(), "Mixed.Case");
            var m = new StateMonitor(new RedisStoreProvider().Open(options));
            m.RecordAllocation("a", 10);
            m.Pin("a");
            m.RecordAllocation("b", 10);
            m.RecordAllocation("c", 200); // rejected: an alert is queued
            using ConnectionMultiplexer redis = ConnectionMultiplexer.Connect(RedisServerFixture.Current.Configuration);
            string[] keys = redis.GetServer(RedisServerFixture.Current.Configuration).Keys(pattern: options.KeyPrefix + ":*").Select(k => (string)k!).OrderBy(k => k, StringComparer.Ordinal).ToArray();
            string root = options.KeyPrefix + ":{mixed.case}:";
            Assert.Equal(new[] { "alerts", "counters", "entries", "lru", "meta", "pinned" }.Select(k => root + k), keys);
        }

        [Fact]
        public void The_totals_and_the_limits_are_packed_fields_and_the_other_counters_named_ones()
        {
            RedisStoreOptions options = Options(Limits(state: 1000, value: 500, entries: 10));
            var m = new StateMonitor(new RedisStoreProvider().Open(options));
            m.RecordAllocation("a", 300);
            m.RecordAllocation("b", 200);
            m.Pin("b");
            Assert.False(m.RecordAllocation("c", 600)); // over MaxValueSize: counted as rejected
            using ConnectionMultiplexer redis = ConnectionMultiplexer.Connect(RedisServerFixture.Current.Configuration);
            IDatabase db = redis.GetDatabase();
            string root = options.KeyPrefix + ":{" + options.Name + "}:";

            byte[] totals = (byte[])db.HashGet(root + "counters", "totals")!;
            // size, count, peak, pinned size and count, the three triggers, the clock (a pin keeps the stamp)
            Assert.Equal(new double[] { 500, 2, 500, 200, 1, 0, 0, 0, 2 }, Doubles(totals));
            Assert.Equal("1", (string?)db.HashGet(root + "counters", "rejected"));
            Assert.False(db.HashExists(root + "counters", "size")); // kept in totals only

            byte[] limits = (byte[])db.HashGet(root + "meta", "limits")!;
            Assert.Equal(new double[] { 1000, 500, 10, 800, 8, 700, 7, 1, 0, 10, StateMonitor.DefaultMaxAlerts }, Doubles(limits));
            Assert.Equal("2", (string?)db.HashGet(root + "meta", "version"));

            StoreCounters read = ((RedisStoreBase)m.Store).ReadCounters();
            Assert.Equal((500L, 2L, 500L, 200L, 1L, 1L), (read.CurrentSize, read.ValueCount, read.PeakSize, read.PinnedSize, read.PinnedCount, read.RejectedAllocations));
        }

        [Fact]
        public void A_budget_of_the_first_key_layout_is_refused_with_its_version_named()
        {
            RedisStoreOptions options = Options(Limits());
            using ConnectionMultiplexer redis = ConnectionMultiplexer.Connect(RedisServerFixture.Current.Configuration);
            string root = options.KeyPrefix + ":{" + options.Name + "}:";
            redis.GetDatabase().HashSet(root + "meta", new[] { new HashEntry("version", "1"), new HashEntry("maxState", "1000") });
            var refused = Assert.Throws<SharedStoreException>(() => new RedisStoreProvider().Open(options));
            Assert.Equal(SharedStoreFailure.LimitsMismatch, refused.Failure);
            Assert.Contains("has key layout version 1; this module reads version 2", refused.Message, StringComparison.Ordinal);
        }

        private static double[] Doubles(byte[] packed) =>
            Enumerable.Range(0, packed.Length / 8).Select(i => BitConverter.ToDouble(packed, i * 8)).ToArray();

        [Fact]
        public void After_SCRIPT_FLUSH_the_script_is_sent_again_and_nothing_is_lost()
        {
            var m = new StateMonitor(new RedisStoreProvider().Open(Options(Limits(state: 1000, value: 500))));
            Assert.True(m.RecordAllocation("a", 100));
            Assert.Equal("+OK", RedisServerFixture.Current.Command("SCRIPT", "FLUSH"));
            Assert.True(m.RecordAllocation("b", 100));
            Assert.Equal("+OK", RedisServerFixture.Current.Command("SCRIPT", "FLUSH"));
            AllocationResult[] run = m.AllocateMany(new[] { new AllocationRequest("c", 100), new AllocationRequest("d", 100) });
            Assert.All(run, r => Assert.True(r.Recorded));
            Assert.Equal(new[] { "a", "b", "c", "d" }, m.GetLruKeys(10));
            Assert.Equal(400, m.CurrentSize);
        }

        [Fact]
        public void A_pipelined_run_gives_what_the_same_calls_one_by_one_give()
        {
            ResourceLimits limits = Limits(state: 1000, value: 300, entries: 8, threshold: 0.8, target: 0.5);
            var shared = new StateMonitor(new RedisStoreProvider().Open(Options(limits)));
            var local = new StateMonitor(limits, "local");
            var random = new Random(7);
            var requests = Enumerable.Range(0, 300).Select(i => new AllocationRequest("k" + random.Next(12), random.Next(0, 320), i % 7 == 0 ? AllocationOptions.Pin : AllocationOptions.None)).ToArray();
            AllocationResult[] piped = shared.AllocateMany(requests);
            AllocationResult[] single = requests.Select(r => local.Allocate(r.Key, r.Size, r.Options)).ToArray();
            Assert.Equal(single.Select(r => (r.Recorded, r.Replaced, r.EntriesEvicted, r.ResidentSize)), piped.Select(r => (r.Recorded, r.Replaced, r.EntriesEvicted, r.ResidentSize)));
            Assert.Equal(Describe(local), Describe(shared));
            Assert.Equal(local.GetStats().TotalEvictions, shared.GetStats().TotalEvictions);
            Assert.Equal(local.GetAlerts().Select(a => a.Message), shared.GetAlerts().Select(a => a.Message));
        }

        [Fact]
        public void A_second_attach_uses_the_stored_limits_and_refuses_others_unless_forced()
        {
            RedisStoreOptions first = Options(Limits(state: 4000, value: 1000));
            new RedisStoreProvider().Open(first);
            var again = new RedisStoreOptions(first.Configuration, first.Name) { KeyPrefix = first.KeyPrefix };
            Assert.Equal(4000, new RedisStoreProvider().Open(again).Limits.MaxStateSize);
            var other = new RedisStoreOptions(first.Configuration, first.Name) { KeyPrefix = first.KeyPrefix, Limits = Limits(state: 8000, value: 1000) };
            var refused = Assert.Throws<SharedStoreException>(() => new RedisStoreProvider().Open(other));
            Assert.Equal(SharedStoreFailure.LimitsMismatch, refused.Failure);
            Assert.Contains("MaxStateSize is 4000 there, 8000 here", refused.Message, StringComparison.Ordinal);
            other.Force = true;
            Assert.Equal(8000, new RedisStoreProvider().Open(other).Limits.MaxStateSize);
            Assert.Equal(8000, new RedisStoreProvider().Open(again).Limits.MaxStateSize);
        }

        [Fact]
        public void A_process_attached_before_limits_are_forced_cleans_plans_reports_and_saves_with_the_new_ones()
        {
            ResourceLimits first = Limits(state: 1000, value: 100, entries: 100, threshold: 0.9, auto: false);
            RedisStoreOptions options = Options(first);
            var cleaner = new StateMonitor(new RedisStoreProvider().Open(options));
            var planner = new StateMonitor(new RedisStoreProvider().Open(Same(options, null)));
            var reporter = new StateMonitor(new RedisStoreProvider().Open(Same(options, null)));
            var saver = new StateMonitor(new RedisStoreProvider().Open(Same(options, null)));
            for (int i = 0; i < 10; i++)
            {
                Assert.True(cleaner.RecordAllocation("k" + i, 50));
            }

            RedisStoreOptions forced = Same(options, Limits(state: 2000, value: 100, entries: 100, threshold: 0.9, auto: false));
            forced.MaxAlerts = 7;
            forced.Force = true;
            new RedisStoreProvider().Open(forced);

            // Each process's first call after the change: 20 % is 400 bytes of the new 2000, not 200 of the old 1000.
            CleanupPlan plan = planner.PlanCleanup(0.2);
            Assert.Equal(400, plan.TargetBytes);
            Assert.Equal(new[] { "k0", "k1" }, plan.Candidates.Select(c => c.Key));
            ResourceStats stats = reporter.GetStats();
            Assert.Equal((2000L, 0.25, 7), (stats.MaxStateSize, stats.UsagePercentage, reporter.MaxAlerts));
            StateSnapshot snapshot = StateSnapshot.Capture(saver);
            Assert.Equal((2000L, 7, 500L), (snapshot.Limits.MaxStateSize, snapshot.MaxAlerts, snapshot.State.Counters.CurrentSize));
            CleanupResult cleaned = cleaner.Cleanup(0.2);
            Assert.Equal((400L, 2), (cleaned.TargetBytes, cleaned.EntriesRemoved));
            Assert.Equal(new[] { "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9" }, cleaner.GetLruKeys(20));
            Assert.Equal(2000, cleaner.Limits.MaxStateSize);
        }

        [Fact]
        public void Stored_limits_edited_by_hand_are_a_clear_error_and_forcing_valid_ones_mends_them()
        {
            RedisStoreOptions options = Options(Limits(state: 1000, value: 100));
            var m = new StateMonitor(new RedisStoreProvider().Open(options));
            Assert.True(m.RecordAllocation("a", 10));
            using ConnectionMultiplexer redis = ConnectionMultiplexer.Connect(RedisServerFixture.Current.Configuration);
            string meta = options.KeyPrefix + ":{" + options.Name + "}:meta";
            redis.GetDatabase().HashSet(meta, new[] { new HashEntry("maxState", "abc"), new HashEntry("limitsId", "edited") });

            var read = Assert.Throws<SharedStoreException>(() => m.GetStats());
            Assert.Equal(SharedStoreFailure.LimitsMismatch, read.Failure);
            Assert.Contains("'maxState' is 'abc', not a whole number", read.Message, StringComparison.Ordinal);
            var attach = Assert.Throws<SharedStoreException>(() => new RedisStoreProvider().Open(Same(options, null)));
            Assert.Contains("'maxState' is 'abc'", attach.Message, StringComparison.Ordinal);

            RedisStoreOptions mend = Same(options, Limits(state: 1000, value: 100));
            mend.Force = true;
            new RedisStoreProvider().Open(mend);
            Assert.Equal((10L, 1000L), (m.GetStats().CurrentSize, m.Limits.MaxStateSize));
        }

        [Fact]
        public void Attaching_with_the_stored_limits_keeps_this_processs_own_prediction_settings()
        {
            ResourceLimits shared = Limits(state: 1000, value: 100);
            RedisStoreOptions options = Options(shared);
            new RedisStoreProvider().Open(options);
            ResourceLimits predicting = ResourceLimits.Builder().MaxStateSize(1000).MaxValueSize(100).MaxCacheEntries(shared.MaxCacheEntries)
                .CleanupThreshold(shared.CleanupThreshold).CleanupTarget(shared.CleanupTarget).AutoCleanup(shared.AutoCleanup)
                .EnableStreaming(shared.EnableStreaming).StreamChunkSize(shared.StreamChunkSize)
                .PredictionHorizon(TimeSpan.FromMinutes(10)).PredictiveCleanup(true).Build();
            StateStore store = new RedisStoreProvider().Open(Same(options, predicting));
            Assert.Equal((TimeSpan.FromMinutes(10), true), (store.Limits.PredictionHorizon, store.Limits.PredictiveCleanup));
            Assert.Equal(predicting, store.Limits);
        }

        private static RedisStoreOptions Same(RedisStoreOptions options, ResourceLimits? limits) =>
            new RedisStoreOptions(options.Configuration, options.Name) { KeyPrefix = options.KeyPrefix, Limits = limits };

        [Fact]
        public void Every_operation_on_a_deleted_budget_fails_as_deleted_and_recreates_nothing()
        {
            RedisStoreOptions options = Options(Limits(state: 1000, value: 100));
            var m = new StateMonitor(new RedisStoreProvider().Open(options));
            Assert.True(m.RecordAllocation("a", 10));
            Assert.True(m.Pin("a"));
            Assert.Equal(4, new RedisStoreProvider().Delete(options)); // meta, counters, entries, pinned (an emptied lru is no key)
            Action[] calls =
            {
                () => m.Pin("a"), () => m.Unpin("a"), () => m.RecordAllocation("a", 20), () => m.RecordAllocation("b", 20),
                () => m.Remove("a"), () => m.Cleanup(0.5),
            };
            foreach (Action call in calls)
            {
                Assert.Equal(SharedStoreFailure.BudgetDeleted, Assert.Throws<SharedStoreException>(call).Failure);
            }

            using ConnectionMultiplexer redis = ConnectionMultiplexer.Connect(RedisServerFixture.Current.Configuration);
            Assert.Empty(redis.GetServer(RedisServerFixture.Current.Configuration).Keys(pattern: options.KeyPrefix + ":{" + options.Name + "}:*"));
        }

        [Theory]
        [InlineData(LimitedResource.CacheEntries, 4L, 5L)]
        [InlineData(LimitedResource.StateSize, 40L, 50L)]
        public void Limits_forced_lower_raise_the_threshold_alert_at_the_next_removal_that_leaves_usage_at_the_new_threshold(LimitedResource resource, long current, long limit)
        {
            // The stored trigger still says "below" after -Force lowers a threshold under the usage; the next
            // operation is the first to see the crossing, and a removal is an operation like any other.
            RedisStoreOptions first = Options(Limits(state: 10_000, value: 10, entries: 10, threshold: 0.8, auto: false));
            var m = new StateMonitor(new RedisStoreProvider().Open(first));
            foreach (string key in new[] { "a", "b", "c", "d", "e" })
            {
                Assert.True(m.RecordAllocation(key, 10));
            }

            Assert.Empty(m.GetAlerts());
            ResourceLimits lower = resource == LimitedResource.CacheEntries
                ? Limits(state: 10_000, value: 10, entries: 5, threshold: 0.8, auto: false)
                : Limits(state: 50, value: 10, entries: 10, threshold: 0.8, auto: false);
            var other = new StateMonitor(new RedisStoreProvider().Open(new RedisStoreOptions(first.Configuration, first.Name) { KeyPrefix = first.KeyPrefix, Limits = lower, Force = true }));
            Assert.NotNull(m.Remove("a"));
            var alert = Assert.IsType<ApproachingLimitAlert>(Assert.Single(other.GetAlerts()));
            Assert.Equal((resource, current, limit), (alert.Resource, alert.Current, alert.Limit));
            Assert.Equal((40L, 4L), (other.CurrentSize, other.ValueCount));
        }
    }
}
