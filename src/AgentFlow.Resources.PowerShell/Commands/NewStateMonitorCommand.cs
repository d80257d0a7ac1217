using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net;
using AgentFlow.Resources.PowerShell.Binding;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>
    /// New-StateMonitor: creates a monitor, registers it by name and makes it the session's current monitor. With
    /// -Redis the monitor attaches to a budget shared through Redis (created when it does not exist yet).
    /// </summary>
    [Cmdlet(VerbsCommon.New, "StateMonitor", DefaultParameterSetName = LimitsParameterSet)]
    [OutputType(typeof(StateMonitor))]
    public sealed class NewStateMonitorCommand : PSCmdlet
    {
        private const string LimitsParameterSet = "Limits";
        private const string PresetParameterSet = "Preset";
        private const string RedisParameterSet = "Redis";

        /// <summary>The limits to enforce (default: the default limits; for a shared budget that exists: the stored limits).</summary>
        [Parameter(ParameterSetName = LimitsParameterSet, Position = 0, ValueFromPipeline = true)]
        [Parameter(ParameterSetName = RedisParameterSet, ValueFromPipeline = true)]
        [LimitsTransformation]
        [ValidateNotNull]
        public ResourceLimits? Limits { get; set; }

        /// <summary>A StackExchange.Redis configuration string: the monitor's state lives in that Redis, shared by every process attached to the name.</summary>
        [Parameter(ParameterSetName = RedisParameterSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string? Redis { get; set; }

        /// <summary>The Redis ACL user and password, so that no password sits in a script or in the history.</summary>
        [Parameter(ParameterSetName = RedisParameterSet)]
        [Credential]
        [ValidateNotNull]
        public PSCredential? Credential { get; set; }

        /// <summary>Use the limits of a configuration profile instead of -Limits.</summary>
        [Parameter(ParameterSetName = PresetParameterSet, Mandatory = true)]
        public LimitsPreset Preset { get; set; }

        /// <summary>The monitor's name (case-insensitive in the registry); default: Monitor1, Monitor2, ... A shared budget needs one.</summary>
        [Parameter(ParameterSetName = LimitsParameterSet)]
        [Parameter(ParameterSetName = PresetParameterSet)]
        [Parameter(ParameterSetName = RedisParameterSet, Mandatory = true)]
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

        /// <summary>Replace a monitor of the same name (with -Redis: also the stored limits of the shared budget, for everyone).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
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

            if (ParameterSetName == RedisParameterSet)
            {
                AttachShared(history);
                return;
            }

            ResourceLimits limits = ParameterSetName == PresetParameterSet ? ResourceLimits.FromPreset(Preset) : Limits ?? ResourceLimits.Default;
            IReadOnlyList<string> problems = limits.Validate();
            if (problems.Count > 0)
            {
                WriteError(ErrorRecords.InvalidResourceLimits(problems, limits));
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

        private void AttachShared(UsageHistorySettings history)
        {
            bool limitsGiven = MyInvocation.BoundParameters.ContainsKey(nameof(Limits));
            if (limitsGiven)
            {
                IReadOnlyList<string> problems = Limits!.Validate();
                if (problems.Count > 0)
                {
                    WriteError(ErrorRecords.InvalidResourceLimits(problems, Limits));
                    return;
                }
            }

            // Checked before connecting: a name taken in this session fails the same way whatever the server says.
            if (!Force.IsPresent && MonitorRegistry.TryGet(Name!, out _))
            {
                WriteError(ErrorRecords.MonitorNameInUse(Name!));
                return;
            }

            var options = new RedisStoreOptions(Redis!, Name!)
            {
                Limits = limitsGiven ? Limits : null,
                MaxAlerts = MyInvocation.BoundParameters.ContainsKey(nameof(MaxAlerts)) ? MaxAlerts : (int?)null,
                Fast = Fast.IsPresent,
                Force = Force.IsPresent,
                Credential = Credential == null ? null : new NetworkCredential(Credential.UserName, Credential.Password),
            };
            if (!SharedBudgets.TryOpen(this, options, out StateStore? store))
            {
                return;
            }

            var monitor = new StateMonitor(store!, history);
            if (!SessionMonitor.RegisterAsCurrent(monitor, Force.IsPresent))
            {
                WriteError(ErrorRecords.MonitorNameInUse(Name!));
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
