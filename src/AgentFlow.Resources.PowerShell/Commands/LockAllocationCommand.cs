using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Lock-Allocation: pins entries: no cleanup evicts them.</summary>
    [Cmdlet(VerbsCommon.Lock, "Allocation")]
    [OutputType(typeof(AllocationEntry))]
    public sealed class LockAllocationCommand : AllocationKeyCmdlet
    {
        /// <inheritdoc />
        protected override bool CanUse(StateMonitor monitor) => RequireCapability(monitor, StoreCapabilities.Pinning, "pin entries");

        /// <inheritdoc />
        protected override void ProcessKey(StateMonitor monitor, string key) => ChangeEntry(monitor, key, () => monitor.Pin(key));
    }
}
