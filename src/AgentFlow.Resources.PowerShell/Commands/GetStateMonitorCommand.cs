using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Get-StateMonitor: lists the registered monitors (by name, with wildcards) or the current one.</summary>
    [Cmdlet(VerbsCommon.Get, "StateMonitor", DefaultParameterSetName = NameParameterSet)]
    [OutputType(typeof(StateMonitor))]
    public sealed class GetStateMonitorCommand : PSCmdlet
    {
        private const string NameParameterSet = "Name";
        private const string CurrentParameterSet = "Current";

        /// <summary>Names or wildcard patterns (case-insensitive); omitted: every monitor.</summary>
        [Parameter(ParameterSetName = NameParameterSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(MonitorNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Only the session's current monitor (nothing when there is none).</summary>
        [Parameter(ParameterSetName = CurrentParameterSet, Mandatory = true)]
        public SwitchParameter Current { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == CurrentParameterSet)
            {
                StateMonitor? current = SessionMonitor.Current;
                if (current != null)
                {
                    WriteObject(current);
                }

                return;
            }

            if (Name == null)
            {
                WriteObject(MonitorRegistry.Monitors, enumerateCollection: true);
                return;
            }

            foreach (string name in Name)
            {
                if (!WildcardPattern.ContainsWildcardCharacters(name))
                {
                    if (MonitorRegistry.TryGet(name, out StateMonitor monitor))
                    {
                        WriteObject(monitor);
                    }
                    else
                    {
                        WriteError(ErrorRecords.MonitorNotFound(name));
                    }

                    continue;
                }

                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                foreach (StateMonitor monitor in MonitorRegistry.Monitors)
                {
                    if (pattern.IsMatch(monitor.Name))
                    {
                        WriteObject(monitor);
                    }
                }
            }
        }
    }
}
