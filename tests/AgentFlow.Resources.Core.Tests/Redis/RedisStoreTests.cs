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
    }
}
