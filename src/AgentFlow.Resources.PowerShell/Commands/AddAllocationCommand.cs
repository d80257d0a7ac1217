using System;
using System.IO;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Add-Allocation: records (or replaces) an allocation; a rejected one is a LimitsExceeded error.</summary>
    [Cmdlet(VerbsCommon.Add, "Allocation", DefaultParameterSetName = ByFileParameterSet)]
    [OutputType(typeof(AllocationEntry))]
    public sealed class AddAllocationCommand : MonitorCmdlet
    {
        private const string ByKeyParameterSet = "ByKey";
        private const string ByFileParameterSet = "ByFile";

        /// <summary>The key (ordinal, case-sensitive). Binds from the Key or Name property.</summary>
        [Parameter(ParameterSetName = ByKeyParameterSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(AllocationKeyCompleter))]
        public string? Key { get; set; }

        /// <summary>The size in bytes (numbers or strings such as '1.5GB'). Binds from Size or Length properties.</summary>
        [Parameter(ParameterSetName = ByKeyParameterSet, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Length")]
        [SizeTransformation]
        public long Size { get; set; }

        /// <summary>A file, recorded under its full path with its length (Get-ChildItem -File | Add-Allocation).</summary>
        /// <remarks>
        /// Typed FileSystemInfo and the default set so that anything from the file system binds here first: on Unix,
        /// PowerShell gives directories a Size property, which would otherwise bind -Key/-Size and record a directory.
        /// </remarks>
        [Parameter(ParameterSetName = ByFileParameterSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public FileSystemInfo? File { get; set; }

        /// <summary>Pin the entry: no cleanup evicts it.</summary>
        [Parameter]
        public SwitchParameter Pin { get; set; }

        /// <summary>Return the entry recorded.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            StateMonitor monitor = ResolveMonitor();
            bool byFile = ParameterSetName == ByFileParameterSet;
            var file = File as FileInfo;
            if (byFile && (file == null || !file.Exists))
            {
                WriteError(ErrorRecords.InvalidAllocationArgument(
                    new ArgumentException($"'{File!.FullName}' is not an existing file (a directory has no length to record); pipe files, as Get-ChildItem -File does."),
                    File));
                return;
            }

            string key = byFile ? file!.FullName : Key!;
            long size = byFile ? file!.Length : Size;
            if (Pin.IsPresent && !RequireCapability(monitor, StoreCapabilities.Pinning, "pin entries"))
            {
                return;
            }

            AllocationOptions options = (Pin.IsPresent ? AllocationOptions.Pin : AllocationOptions.None) | (PassThru.IsPresent ? AllocationOptions.ReturnEntries : AllocationOptions.None);
            if (!TryInvoke(monitor, key, () => monitor.Allocate(key, size, options), out AllocationResult result))
            {
                return;
            }

            if (!result.Recorded)
            {
                WriteError(ErrorRecords.LimitExceeded(monitor, key, size, result));
                return;
            }

            if (PassThru.IsPresent)
            {
                // The entry as this very call recorded it, even if another runspace has evicted it since.
                WriteObject(result.Entry);
            }
        }
    }
}
