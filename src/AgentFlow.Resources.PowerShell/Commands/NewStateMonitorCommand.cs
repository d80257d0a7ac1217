using System;
using System.Collections.Generic;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>New-StateMonitor: creates a monitor, registers it by name and makes it the session's current monitor.</summary>
    [Cmdlet(VerbsCommon.New, "StateMonitor", DefaultParameterSetName = LimitsParameterSet)]
    [OutputType(typeof(StateMonitor))]
    public sealed class NewStateMonitorCommand : PSCmdlet
    {
        private const string LimitsParameterSet = "Limits";
        private const string PresetParameterSet = "Preset";

        /// <summary>The limits to enforce (default: the default limits).</summary>
        [Parameter(ParameterSetName = LimitsParameterSet, Position = 0, ValueFromPipeline = true)]
        [LimitsTransformation]
        [ValidateNotNull]
        public ResourceLimits? Limits { get; set; }

        /// <summary>Use the limits of a configuration profile instead of -Limits.</summary>
        [Parameter(ParameterSetName = PresetParameterSet, Mandatory = true)]
        public LimitsPreset Preset { get; set; }

        /// <summary>The monitor's name (case-insensitive in the registry); default: Monitor1, Monitor2, ...</summary>
        [Parameter]
        [ValidateMonitorName]
        public string? Name { get; set; }

        /// <summary>Counters only: no per-key map, LRU, pins or cleanup.</summary>
        [Parameter]
        public SwitchParameter Fast { get; set; }

        /// <summary>How many alerts are kept before the oldest is dropped.</summary>
        [Parameter]
        [ValidateRange(1, 1000000)]
        public int MaxAlerts { get; set; } = StateMonitor.DefaultMaxAlerts;

        /// <summary>At most one usage history sample per interval (default 1 second, at least 1 millisecond).</summary>
        [Parameter]
        public TimeSpan HistoryInterval { get; set; } = UsageHistorySettings.DefaultInterval;

        /// <summary>How many usage history samples are kept (default 3600; 0 keeps none, so nothing is predicted).</summary>
        [Parameter]
        [ValidateRange(0, UsageHistorySettings.MaxLength)]
        public int HistoryLength { get; set; } = UsageHistorySettings.DefaultLength;

        /// <summary>Replace a monitor of the same name.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ResourceLimits limits = ParameterSetName == PresetParameterSet ? ResourceLimits.FromPreset(Preset) : Limits ?? ResourceLimits.Default;
            IReadOnlyList<string> problems = limits.Validate();
            if (problems.Count > 0)
            {
                WriteError(ErrorRecords.InvalidResourceLimits(problems, limits));
                return;
            }

            UsageHistorySettings history;
            try
            {
                history = new UsageHistorySettings(HistoryInterval, HistoryLength);
            }
            catch (ArgumentOutOfRangeException exception)
            {
                WriteError(ErrorRecords.InvalidHistorySettings(exception, HistoryInterval));
                return;
            }

            StateMonitor monitor = Name != null ? Create(limits, Name, history) : RegisterUnnamed(limits, history);
            if (Name != null && !SessionMonitor.RegisterAsCurrent(monitor, Force.IsPresent))
            {
                WriteError(ErrorRecords.MonitorNameInUse(Name));
                return;
            }

            WriteObject(monitor);
        }

        private StateMonitor Create(ResourceLimits limits, string? name, UsageHistorySettings history) =>
            Fast.IsPresent ? StateMonitor.CreateFast(limits, name, MaxAlerts, history) : new StateMonitor(limits, name, MaxAlerts, history);

        // Generated names (Monitor1, Monitor2, ...) may already be taken by a user's -Name: take the next one.
        // Registered (and made current) here, since only registering tells whether the name was free.
        private StateMonitor RegisterUnnamed(ResourceLimits limits, UsageHistorySettings history)
        {
            while (true)
            {
                StateMonitor monitor = Create(limits, null, history);
                if (SessionMonitor.RegisterAsCurrent(monitor, replace: false))
                {
                    return monitor;
                }
            }
        }
    }
}
