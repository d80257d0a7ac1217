using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Remove-StateMonitor: unregisters a monitor (objects that hold it keep working).</summary>
    [Cmdlet(VerbsCommon.Remove, "StateMonitor", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveStateMonitorCommand : RegisteredMonitorCmdlet
    {
        /// <inheritdoc />
        protected override void ProcessInput()
        {
            StateMonitor monitor = Monitor!;
            if (!ShouldProcess($"State monitor '{monitor.Name}' ({Describe(monitor)})", "Remove state monitor"))
            {
                return;
            }

            if (!MonitorRegistry.Remove(monitor))
            {
                WriteError(ErrorRecords.MonitorNotFound(monitor.Name, $"The state monitor '{monitor.Name}' is not registered (it was already removed or replaced)."));
                return;
            }

            // Other runspaces stop seeing it as current by themselves: a current monitor must be registered.
            SessionMonitor.ClearCurrentIf(monitor);
        }

        // A monitor whose shared store is unreachable can still be unregistered: its usage is then not shown.
        private static string Describe(StateMonitor monitor)
        {
            try
            {
                return monitor.ToString();
            }
            catch (SharedStoreException)
            {
                return $"a {monitor.Store.Kind} store that cannot be reached now";
            }
        }
    }
}
