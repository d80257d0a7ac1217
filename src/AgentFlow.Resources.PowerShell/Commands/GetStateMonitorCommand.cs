using System.Collections.Generic;
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
                IReadOnlyList<StateMonitor> matches = MonitorNames.Match(name);
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    WriteError(ErrorRecords.MonitorNotFound(name));
                }

                WriteObject(matches, enumerateCollection: true);
            }
        }
    }
}
