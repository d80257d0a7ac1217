using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Select-StateMonitor: makes a registered monitor the session's current monitor.</summary>
    [Cmdlet(VerbsCommon.Select, "StateMonitor")]
    [OutputType(typeof(StateMonitor))]
    public sealed class SelectStateMonitorCommand : RegisteredMonitorCmdlet
    {
        /// <summary>Also return the monitor.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            // Only a registered monitor can be current: an unregistered one could never be found by name again.
            if (!EnsureRegistered("cannot become the current monitor"))
            {
                return;
            }

            SessionMonitor.Current = Monitor;
            if (PassThru.IsPresent)
            {
                WriteObject(Monitor);
            }
        }
    }
}
