using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Get-ResourceUsage: a consistent snapshot of a monitor's usage, counters and forecast; with -History its usage samples.</summary>
    [Cmdlet(VerbsCommon.Get, "ResourceUsage", DefaultParameterSetName = StatsParameterSet)]
    [OutputType(typeof(ResourceStats), ParameterSetName = new[] { StatsParameterSet })]
    [OutputType(typeof(UsageSample), ParameterSetName = new[] { HistoryParameterSet })]
    public sealed class GetResourceUsageCommand : MonitorInputCmdlet
    {
        private const string StatsParameterSet = "Stats";
        private const string HistoryParameterSet = "History";

        /// <summary>Output the usage history (one sample per interval, oldest first) instead of the counters.</summary>
        [Parameter(ParameterSetName = HistoryParameterSet, Mandatory = true)]
        public SwitchParameter History { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            StateMonitor monitor = ResolveMonitor();
            if (History.IsPresent)
            {
                WriteObject(monitor.GetHistory(), enumerateCollection: true);
                return;
            }

            WriteObject(monitor.GetStats());
        }
    }
}
