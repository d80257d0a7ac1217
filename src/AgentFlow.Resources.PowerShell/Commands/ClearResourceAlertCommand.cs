using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Clear-ResourceAlert: empties a monitor's alert queue.</summary>
    [Cmdlet(VerbsCommon.Clear, "ResourceAlert", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class ClearResourceAlertCommand : MonitorCmdlet
    {
        /// <inheritdoc />
        protected override void ProcessInput()
        {
            StateMonitor monitor = ResolveMonitor();
            if (ShouldProcess($"State monitor '{monitor.Name}' ({monitor.PeekAlerts().Count} alerts queued)", "Clear alerts"))
            {
                monitor.ClearAlerts();
            }
        }
    }
}
