using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of commands whose subject is the monitor itself (Get-ResourceUsage, Reset-StateMonitor):
    /// <c>-Monitor</c> is positional and takes monitors from the pipeline (<c>Get-StateMonitor | Get-ResourceUsage</c>).
    /// </summary>
    public abstract class MonitorInputCmdlet : MonitorCmdlet
    {
        /// <summary>The monitor (object or name); omitted: the session's current monitor.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("MonitorName")]
        [MonitorTransformation]
        [ArgumentCompleter(typeof(MonitorNameCompleter))]
        [ValidateNotNull]
        public override StateMonitor? Monitor { get => base.Monitor; set => base.Monitor = value; }
    }
}
