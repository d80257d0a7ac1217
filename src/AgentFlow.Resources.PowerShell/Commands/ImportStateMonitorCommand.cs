using System;
using System.IO;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>
    /// Import-StateMonitor: rebuilds a monitor exactly from a snapshot file, registers it and makes it current.
    /// Nothing is replayed: no alert is raised, nothing is evicted. A bad file registers nothing.
    /// </summary>
    [Cmdlet(VerbsData.Import, "StateMonitor", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(StateMonitor))]
    public sealed class ImportStateMonitorCommand : PSCmdlet
    {
        /// <summary>The snapshot file (wildcards allowed); FileInfo objects bind by their path.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Register the monitor under this name instead of the name in the file.</summary>
        [Parameter]
        [ValidateMonitorName]
        public string? Name { get; set; }

        /// <summary>Replace a registered monitor of the same name.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (string path in SnapshotFiles.ResolveExisting(this, Path!))
            {
                Import(path);
            }
        }

        private void Import(string path)
        {
            // With -Name the clash is known before reading what may be a large file.
            if (Name != null && !Force.IsPresent && MonitorRegistry.TryGet(Name, out _))
            {
                WriteError(ErrorRecords.MonitorNameInUse(Name));
                return;
            }

            StateMonitor? monitor = Read(path);
            if (monitor == null)
            {
                return;
            }

            bool replacing = MonitorRegistry.TryGet(monitor.Name, out _);
            if (replacing && !Force.IsPresent)
            {
                WriteError(ErrorRecords.MonitorNameInUse(monitor.Name));
                return;
            }

            string action = replacing ? $"Replace the registered monitor with the snapshot in '{path}'" : $"Import the snapshot in '{path}'";
            if (!ShouldProcess($"State monitor '{monitor.Name}' ({monitor})", action))
            {
                return;
            }

            if (!SessionMonitor.RegisterAsCurrent(monitor, Force.IsPresent))
            {
                WriteError(ErrorRecords.MonitorNameInUse(monitor.Name));
                return;
            }

            WriteObject(monitor);
        }

        /// <summary>The restored (unregistered) monitor, or null after writing why the file cannot be used.</summary>
        private StateMonitor? Read(string path)
        {
            try
            {
                StateMonitor monitor = SnapshotReader.ReadFile(path).Restore(Name);
                if (Name == null && (monitor.Name.Trim().Length == 0 || WildcardPattern.ContainsWildcardCharacters(monitor.Name)))
                {
                    WriteError(ErrorRecords.InvalidStateSnapshot(path, $"the monitor name '{monitor.Name}' contains a wildcard character (*, ?, [ or ]); import it with -Name."));
                    return null;
                }

                return monitor;
            }
            catch (InvalidSnapshotException exception)
            {
                WriteError(ErrorRecords.InvalidStateSnapshot(exception));
            }
            catch (Exception exception) when (SnapshotFiles.IsMissingDependency(exception))
            {
                ThrowTerminatingError(ErrorRecords.SnapshotsRequirePowerShell7(exception));
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                WriteError(ErrorRecords.SnapshotReadFailed(path, exception));
            }

            return null;
        }
    }
}
