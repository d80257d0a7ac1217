using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Select-StateMonitor: makes a registered monitor the session's current monitor.</summary>
    [Cmdlet(VerbsCommon.Select, "StateMonitor")]
    [OutputType(typeof(StateMonitor))]
    public sealed class SelectStateMonitorCommand : PSCmdlet
    {
        /// <summary>The monitor (object or name) to make current.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("MonitorName")]
        [MonitorTransformation]
        [ArgumentCompleter(typeof(MonitorNameCompleter))]
        [ValidateNotNull]
        public StateMonitor? Monitor { get; set; }

        /// <summary>Also return the monitor.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // Only a registered monitor can be current: an unregistered one could never be found by name again.
            if (!MonitorRegistry.IsRegistered(Monitor!))
            {
                WriteError(ErrorRecords.MonitorNotFound(Monitor!.Name, $"The state monitor '{Monitor.Name}' was removed (or replaced), so it cannot become the current monitor."));
                return;
            }

            MonitorRegistry.Current = Monitor;
            if (PassThru.IsPresent)
            {
                WriteObject(Monitor);
            }
        }
    }
}
