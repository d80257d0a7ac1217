using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Use-Allocation: records an access: the entries become the most recently used.</summary>
    [Cmdlet(VerbsOther.Use, "Allocation")]
    [OutputType(typeof(AllocationEntry))]
    public sealed class UseAllocationCommand : AllocationKeyCmdlet
    {
        /// <inheritdoc />
        protected override bool CanUse(StateMonitor monitor) => RequireCapability(monitor, StoreCapabilities.LruOrder, "record accesses (it keeps no LRU order)");

        /// <inheritdoc />
        protected override void ProcessKey(StateMonitor monitor, string key) => ChangeEntry(monitor, key, () => monitor.RecordAccess(key));
    }
}
