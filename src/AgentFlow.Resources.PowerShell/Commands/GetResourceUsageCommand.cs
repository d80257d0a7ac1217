using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Get-ResourceUsage: a consistent snapshot of a monitor's usage and counters.</summary>
    [Cmdlet(VerbsCommon.Get, "ResourceUsage")]
    [OutputType(typeof(ResourceStats))]
    public sealed class GetResourceUsageCommand : MonitorInputCmdlet
    {
        /// <inheritdoc />
        protected override void ProcessRecord() => WriteObject(ResolveMonitor().GetStats());
    }
}
