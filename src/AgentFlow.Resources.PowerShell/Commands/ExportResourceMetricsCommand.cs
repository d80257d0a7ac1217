using System.Linq;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>
    /// Export-ResourceMetrics: the Prometheus text exposition of the selected monitors (every registered monitor
    /// when none is given), to the pipeline as one string, or with -Path atomically to a file (for node_exporter's
    /// textfile collector).
    /// </summary>
    [Cmdlet(VerbsData.Export, "ResourceMetrics", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(string))]
    public sealed class ExportResourceMetricsCommand : MonitorSelectionCmdlet
    {
        /// <summary>The file to write (replaced atomically); omitted: the text goes to the pipeline.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput() => SelectFromInput();

        /// <inheritdoc />
        protected override void EndCommand()
        {
            SelectAllWhenNoneGiven();
            ResourceStats[] stats = Selected.Select(monitor => monitor.GetStats()).ToArray();
            if (Path == null)
            {
                WriteObject(PrometheusExposition.Format(stats));
                return;
            }

            string path = ResolveOutputPath(Path);
            if (!ShouldProcess(path, $"Write the metrics of {stats.Length} state monitor(s) in Prometheus text format"))
            {
                return;
            }

            TryWriteFile(path, file => PrometheusExposition.WriteFile(file, stats));
        }
    }
}
