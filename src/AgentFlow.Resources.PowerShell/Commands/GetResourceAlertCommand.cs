using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Get-ResourceAlert: the queued alerts, oldest first; drained unless -Peek (with -Type only those are drained).</summary>
    [Cmdlet(VerbsCommon.Get, "ResourceAlert")]
    [OutputType(typeof(ResourceAlert))]
    public sealed class GetResourceAlertCommand : MonitorCmdlet
    {
        /// <summary>Copy the alerts and leave them queued.</summary>
        [Parameter]
        public SwitchParameter Peek { get; set; }

        /// <summary>Only alerts of these types (the others stay queued).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public AlertType[]? Type { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            StateMonitor monitor = ResolveMonitor();
            IEnumerable<ResourceAlert> alerts;
            if (Peek.IsPresent)
            {
                alerts = Type == null ? monitor.PeekAlerts() : monitor.PeekAlerts().Where(alert => Type.Contains(alert.Type));
            }
            else
            {
                alerts = Type == null ? monitor.GetAlerts() : monitor.GetAlerts(Type);
            }

            WriteObject(alerts.ToArray(), enumerateCollection: true);
        }
    }
}
