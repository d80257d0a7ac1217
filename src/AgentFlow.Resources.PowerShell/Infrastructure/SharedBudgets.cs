using System;
using System.Management.Automation;
using AgentFlow.Resources.Isolation;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// The cmdlets' one way into budgets shared through Redis: the Redis component (loaded into its own
    /// AssemblyLoadContext on first use) and the error records of its failures. An error's target is the budget's
    /// name, never the options, which hold the credential.
    /// </summary>
    internal static class SharedBudgets
    {
        /// <summary>Attaches to (or creates) the budget; writes the error and returns false when that fails.</summary>
        public static bool TryOpen(Cmdlet cmdlet, RedisStoreOptions options, out StateStore? store) =>
            TryUse(cmdlet, options, provider => provider.Open(options), out store);

        /// <summary>Deletes the budget's keys; writes the error and returns false when that fails.</summary>
        public static bool TryDelete(Cmdlet cmdlet, RedisStoreOptions options, out long keysDeleted) =>
            TryUse(cmdlet, options, provider => provider.Delete(options), out keysDeleted);

        private static bool TryUse<T>(Cmdlet cmdlet, RedisStoreOptions options, Func<IRedisStoreProvider, T> use, out T result)
        {
            result = default!;
            try
            {
                result = use(ModuleDependencies.Redis.Instance);
                return true;
            }
            catch (IsolatedComponentException e)
            {
                cmdlet.WriteError(ErrorRecords.IsolatedComponent(e));
            }
            catch (SharedStoreException e)
            {
                cmdlet.WriteError(ErrorRecords.SharedStore(e, options.Name));
            }
            catch (ArgumentException e)
            {
                cmdlet.WriteError(ErrorRecords.InvalidRedisConfiguration(e, options.Name));
            }

            return false;
        }
    }
}
