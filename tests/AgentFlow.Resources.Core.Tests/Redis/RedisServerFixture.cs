using System;
using System.Threading;
using AgentFlow.Resources.Redis;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// One redis-server for the whole Redis conformance suite (the "Redis" test collection): started before its first
    /// class and stopped after its last. Each monitor gets a key prefix of its own, so tests never see each other's keys.
    /// </summary>
    public sealed class RedisServerFixture : IDisposable
    {
        private static RedisServer? s_current;

        public RedisServerFixture()
        {
            Server = RedisServer.Start();
            s_current = Server;
        }

        public RedisServer Server { get; }

        /// <summary>The suite's server; the store factories are made with <c>new()</c>, so they find it here.</summary>
        public static RedisServer Current => s_current ?? throw new InvalidOperationException("The Redis suite's server is not running: the test class must be in the \"Redis\" collection.");

        public void Dispose()
        {
            s_current = null;
            Server.Dispose();
        }
    }

    [CollectionDefinition("Redis")]
    public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
    {
    }

    /// <summary>The detailed Redis store on the suite's server, under a key prefix of its own per monitor.</summary>
    public sealed class RedisStores : IStoreFactory
    {
        private static int s_prefix;

        /// <summary>
        /// A tenth of the long suites' iterations: each operation is a round trip (about 100 µs over loopback against
        /// well under 1 µs in process), and every case of those suites still runs.
        /// </summary>
        internal const double RoundTripEffort = 0.1;

        public double Effort => RoundTripEffort;

        public StateStore Create(ResourceLimits limits, string name, int maxAlerts) =>
            new RedisStoreProvider().Open(Options(limits, name, maxAlerts, fast: false));

        public StateStore Restore(ResourceLimits limits, string name, int maxAlerts, StoreState state) =>
            new RedisStoreProvider().Restore(Options(limits, name, maxAlerts, fast: false), state);

        internal static RedisStoreOptions Options(ResourceLimits limits, string name, int maxAlerts, bool fast) =>
            new RedisStoreOptions(RedisServerFixture.Current.Configuration, name)
            {
                Limits = limits,
                MaxAlerts = maxAlerts,
                Fast = fast,
                KeyPrefix = "agentflow:t" + Interlocked.Increment(ref s_prefix),
            };
    }

    /// <summary>The counters-only Redis store on the suite's server.</summary>
    public sealed class RedisCountingStores : IStoreFactory
    {
        public StateStore Create(ResourceLimits limits, string name, int maxAlerts) =>
            new RedisStoreProvider().Open(RedisStores.Options(limits, name, maxAlerts, fast: true));

        public StateStore Restore(ResourceLimits limits, string name, int maxAlerts, StoreState state) =>
            new RedisStoreProvider().Restore(RedisStores.Options(limits, name, maxAlerts, fast: true), state);

        public double Effort => RedisStores.RoundTripEffort;
    }
}
