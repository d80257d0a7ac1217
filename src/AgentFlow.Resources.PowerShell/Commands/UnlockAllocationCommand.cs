using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Unlock-Allocation: unpins entries (they keep their place in LRU order).</summary>
    [Cmdlet(VerbsCommon.Unlock, "Allocation")]
    [OutputType(typeof(AllocationEntry))]
    public sealed class UnlockAllocationCommand : AllocationKeyCmdlet
    {
        /// <inheritdoc />
        protected override bool CanUse(StateMonitor monitor) => RequireCapability(monitor, StoreCapabilities.Pinning, "unpin entries");

        /// <inheritdoc />
        protected override void ProcessKey(StateMonitor monitor, string key) => ChangeEntry(monitor, key, () => monitor.Unpin(key));
    }
}
