using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>
    /// Sync-Allocation: makes the monitor's entries for a folder (or for processes) match what is there now. New files are
    /// recorded, files whose length changed are replaced, entries of deleted files are removed; unchanged entries keep
    /// their LRU place, entries outside the folder are never touched, pins stay. Outputs one SyncSummary.
    /// </summary>
    [Cmdlet(VerbsData.Sync, "Allocation", DefaultParameterSetName = FolderParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SyncSummary), typeof(AllocationEntry))]
    public sealed class SyncAllocationCommand : MonitorCmdlet
    {
        private const string FolderParameterSet = "Folder";
        private const string ProcessParameterSet = "Process";
        private const string Caption = "Sync-Allocation";

        private readonly List<System.Diagnostics.Process> _processes = new List<System.Diagnostics.Process>();

        /// <summary>The folder whose files the monitor should track.</summary>
        [Parameter(ParameterSetName = FolderParameterSet, Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Include the files of subfolders.</summary>
        [Parameter(ParameterSetName = FolderParameterSet)]
        public SwitchParameter Recurse { get; set; }

        /// <summary>Only files whose name matches this pattern (* and ?); entries of other files are left alone.</summary>
        [Parameter(ParameterSetName = FolderParameterSet)]
        [ValidateNotNullOrEmpty]
        public string? Filter { get; set; }

        /// <summary>Processes whose working sets the monitor should track (Get-Process | Sync-Allocation).</summary>
        [Parameter(ParameterSetName = ProcessParameterSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        [AllowEmptyCollection]
        public System.Diagnostics.Process[]? Process { get; set; }

        /// <summary>Also output the entries added, updated and removed.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            if (ParameterSetName == ProcessParameterSet)
            {
                // One summary for every process piped in: the sync runs once they are all here.
                _processes.AddRange(Process!);
                return;
            }

            string folder = GetUnresolvedProviderPathFromPSPath(Path!);
            if (!Directory.Exists(folder))
            {
                WriteError(ErrorRecords.SyncFolderNotFound(Path!, folder));
                return;
            }

            folder = System.IO.Path.GetFullPath(folder).TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar);
            if (folder.Length == 0)
            {
                folder = System.IO.Path.DirectorySeparatorChar.ToString();
            }

            bool recurse = Recurse.IsPresent;
            string? filter = Filter;
            Sync(folder, AllocationSync.ObserveFolder(folder, recurse, filter), key => AllocationSync.IsInFolder(key, folder, recurse, filter));
        }

        /// <inheritdoc />
        protected override void EndCommand()
        {
            if (ParameterSetName == ProcessParameterSet)
            {
                Sync(AllocationSync.ProcessPrefix, AllocationSync.ObserveProcesses(_processes), AllocationSync.IsExitedProcess);
            }
        }

        private void Sync(string scope, IEnumerable<KeyValuePair<string, long>> observed, System.Func<string, bool> isGone)
        {
            StateMonitor monitor = ResolveMonitor();
            if (!RequireCapability(monitor, StoreCapabilities.Entries, "sync entries (it keeps no keys to compare)"))
            {
                return;
            }

            IReadOnlyList<AllocationEntry> tracked = monitor.GetAllocations();
            IReadOnlyList<SyncChange> changes = AllocationSync.Plan(tracked, observed, isGone, out int unchanged);
            var removedEntries = new Dictionary<string, AllocationEntry>(System.StringComparer.Ordinal);
            foreach (AllocationEntry entry in tracked)
            {
                removedEntries[entry.Key] = entry;
            }

            var summary = new SyncSummary(monitor.Name, scope);
            summary.CountUnchanged(unchanged);
            foreach (SyncChange change in changes)
            {
                string description = $"In state monitor '{monitor.Name}': {change}.";
                if (ShouldProcess(description, description + " Continue?", Caption) && Apply(monitor, change, removedEntries))
                {
                    summary.Count(change);
                }
            }

            WriteObject(summary);
        }

        private bool Apply(StateMonitor monitor, SyncChange change, Dictionary<string, AllocationEntry> trackedEntries)
        {
            string key = change.Key;
            if (change.Kind == SyncChangeKind.Removed)
            {
                if (!TryInvoke(monitor, key, () => monitor.RecordDeallocation(key), out bool removed) || !removed)
                {
                    // Removed meanwhile by someone else: nothing left to do.
                    return false;
                }

                if (PassThru.IsPresent)
                {
                    WriteObject(trackedEntries[key]);
                }

                return true;
            }

            // A replacement keeps the entry's pin; only a changed size is written.
            if (!TryInvoke(monitor, key, () => monitor.Allocate(key, change.Size), out AllocationResult result))
            {
                return false;
            }

            if (!result.Recorded)
            {
                WriteError(ErrorRecords.LimitExceeded(monitor, key, change.Size, result));
                return false;
            }

            if (PassThru.IsPresent && monitor.TryGetAllocation(key, out AllocationEntry? entry))
            {
                WriteObject(entry);
            }

            return true;
        }
    }
}
