using System;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Opens and deletes budgets shared through Redis. Implemented by the module's Redis component, which is compiled
    /// against StackExchange.Redis and loaded into an isolated AssemblyLoadContext on first use; Core stays free of it.
    /// </summary>
    public interface IRedisStoreProvider
    {
        /// <summary>
        /// Attaches to the budget named in <paramref name="options"/>, creating it when it does not exist. An existing
        /// budget keeps its stored limits: limits or an alert bound that differ are refused unless
        /// <see cref="RedisStoreOptions.Force"/>.
        /// </summary>
        /// <exception cref="SharedStoreException">The server is unreachable, refuses the credential, or the stored budget disagrees.</exception>
        StateStore Open(RedisStoreOptions options);

        /// <summary>Creates the budget from a whole <paramref name="state"/>, replacing what was stored under its name.</summary>
        /// <exception cref="ArgumentException">The state is inconsistent; the message lists every problem.</exception>
        /// <exception cref="SharedStoreException">The server is unreachable or refuses the credential.</exception>
        StateStore Restore(RedisStoreOptions options, StoreState state);

        /// <summary>Deletes every key of the budget; returns how many keys there were (0 when it did not exist).</summary>
        /// <exception cref="SharedStoreException">The server is unreachable or refuses the credential.</exception>
        long Delete(RedisStoreOptions options);
    }
}
