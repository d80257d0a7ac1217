using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Reset-StateMonitor: forgets every entry; totals, counters and alerts start from zero. High impact: it confirms by default.</summary>
    [Cmdlet(VerbsCommon.Reset, "StateMonitor", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class ResetStateMonitorCommand : MonitorInputCmdlet
    {
        /// <inheritdoc />
        protected override void ProcessInput()
        {
            StateMonitor monitor = ResolveMonitor();
            if (ShouldProcess($"State monitor '{monitor.Name}' ({monitor})", "Reset (forget every entry, total, counter and alert)"))
            {
                monitor.Reset();
            }
        }
    }
}
