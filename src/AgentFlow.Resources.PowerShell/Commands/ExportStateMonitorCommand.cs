using System;
using System.IO;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>
    /// Export-StateMonitor: writes a monitor's whole state (entries in LRU order with pins, every counter, queued
    /// alerts, edge-trigger state) to a snapshot file, atomically: a crash leaves the old file or the new one.
    /// </summary>
    [Cmdlet(VerbsData.Export, "StateMonitor", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportStateMonitorCommand : MonitorInputCmdlet
    {
        /// <summary>The snapshot file to write (replaced when it exists, unless -NoClobber); the second position, after -Monitor.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Do not replace an existing file.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>Return the file written.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            StateMonitor monitor = ResolveMonitor();
            if (!monitor.Has(StoreCapabilities.Snapshots))
            {
                WriteError(ErrorRecords.SnapshotsNotSupported(monitor));
                return;
            }

            string? path = SnapshotFiles.ResolveForWriting(this, Path!);
            if (path == null)
            {
                return;
            }

            if (NoClobber.IsPresent && File.Exists(path))
            {
                WriteError(ErrorRecords.NoClobber(path));
                return;
            }

            string action = File.Exists(path) ? "Replace with a state snapshot" : "Write a state snapshot";
            if (!ShouldProcess(path, $"{action} of monitor '{monitor.Name}' ({monitor})"))
            {
                return;
            }

            try
            {
                SnapshotWriter.WriteFile(StateSnapshot.Capture(monitor), path, NoClobber.IsPresent);
            }
            catch (IOException) when (NoClobber.IsPresent && File.Exists(path))
            {
                // Created by someone else while the snapshot was being written: -NoClobber still holds.
                WriteError(ErrorRecords.NoClobber(path));
                return;
            }
            catch (Exception exception) when (SnapshotFiles.IsMissingDependency(exception))
            {
                ThrowTerminatingError(ErrorRecords.SnapshotsRequirePowerShell7(exception));
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                WriteError(ErrorRecords.SnapshotWriteFailed(path, exception));
                return;
            }

            if (PassThru.IsPresent)
            {
                // Through the provider, like Get-Item: the FileInfo then carries the properties its format view shows.
                WriteObject(InvokeProvider.Item.Get(new[] { path }, false, true), enumerateCollection: true);
            }
        }
    }
}
