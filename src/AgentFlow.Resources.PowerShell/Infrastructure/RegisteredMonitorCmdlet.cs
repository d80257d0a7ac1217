using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of commands that act on a monitor's registration (Select-StateMonitor, Remove-StateMonitor):
    /// <c>-Monitor</c> is required (there is no current monitor to fall back on for these), positional and
    /// bound from the pipeline, and only a monitor that is still registered qualifies.
    /// </summary>
    public abstract class RegisteredMonitorCmdlet : StoreCmdlet
    {
        /// <summary>The monitor (object or name).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("MonitorName")]
        [MonitorTransformation]
        [ArgumentCompleter(typeof(MonitorNameCompleter))]
        [ValidateNotNull]
        public StateMonitor? Monitor { get; set; }

        /// <inheritdoc />
        protected override object? StoreFailureTarget => Monitor?.Name;

        /// <summary>True when -Monitor is registered; otherwise writes MonitorNotFound saying why it cannot be used.</summary>
        protected bool EnsureRegistered(string whatFails)
        {
            if (MonitorRegistry.IsRegistered(Monitor!))
            {
                return true;
            }

            WriteError(ErrorRecords.MonitorNotFound(Monitor!.Name, $"The state monitor '{Monitor.Name}' is not registered (it was removed or replaced), so it {whatFails}."));
            return false;
        }
    }
}
