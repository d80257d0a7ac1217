using System;
using System.Collections;
using System.Globalization;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>
    /// Add-Allocation: records (or replaces) an allocation given by key and size, by file, by key and a value whose size is
    /// estimated, or many at once from a dictionary; a rejected one is a LimitsExceeded error. -WhatIf and -Confirm say what
    /// would be recorded and what automatic cleanup would evict (low impact: recording is routine).
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "Allocation", DefaultParameterSetName = ByFileParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(AllocationEntry))]
    public sealed class AddAllocationCommand : MonitorCmdlet
    {
        private const string ByKeyParameterSet = "ByKey";
        private const string ByFileParameterSet = "ByFile";
        private const string ByValueParameterSet = "ByValue";
        private const string ByDictionaryParameterSet = "ByDictionary";

        // Planning costs a look at the LRU order, so it is done only when ShouldProcess would show it.
        private bool _describeFirst;

        // Pipeline input for a shared (Redis) monitor is sent in runs of this many allocations (one round trip
        // each), so a piped Add-Allocation is not one network round trip per object.
        private const int SharedRunLength = 256;

        private readonly List<AllocationRequest> _run = new List<AllocationRequest>();
        private StateMonitor? _runMonitor;

        /// <summary>The key (ordinal, case-sensitive). Binds from the Key or Name property.</summary>
        [Parameter(ParameterSetName = ByKeyParameterSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ByValueParameterSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
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

        /// <summary>A value whose estimated size (the rules of Measure-AllocationSize) is recorded under -Key.</summary>
        /// <remarks>Named only: in the first two positions it would be ambiguous with -Key/-Size.</remarks>
        [Parameter(ParameterSetName = ByValueParameterSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public object? Value { get; set; }

        /// <summary>Many allocations in one call: key → size (sizes as -Size takes them), recorded in the dictionary's order.</summary>
        [Parameter(ParameterSetName = ByDictionaryParameterSet, Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public IDictionary? Allocation { get; set; }

        /// <summary>Pin the entry: no cleanup evicts it.</summary>
        [Parameter]
        public SwitchParameter Pin { get; set; }

        /// <summary>Return the entry recorded.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void BeginCommand() => _describeFirst = ShouldProcessPreference.IsInEffect(this, ConfirmImpact.Low);

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            StateMonitor monitor = ResolveMonitor();
            if (Pin.IsPresent && !RequireCapability(monitor, StoreCapabilities.Pinning, "pin entries"))
            {
                return;
            }

            switch (ParameterSetName)
            {
                case ByFileParameterSet:
                    var file = File as FileInfo;
                    if (file == null || !file.Exists)
                    {
                        WriteError(File is DirectoryInfo || Directory.Exists(File!.FullName)
                            ? ErrorRecords.InvalidAllocationArgument(
                                new ArgumentException($"'{Wording.Key(File!.FullName)}' is a directory, which has no length to record; pipe files, as Get-ChildItem -File does."),
                                File)
                            : ErrorRecords.FileNotFound(File));
                        return;
                    }

                    Record(monitor, file.FullName, file.Length);
                    break;
                case ByValueParameterSet:
                    Record(monitor, Key!, new PSObjectSizeEstimator().Add(Value));
                    break;
                case ByDictionaryParameterSet:
                    RecordEach(monitor, Allocation!);
                    break;
                default:
                    Record(monitor, Key!, Size);
                    break;
            }
        }

        // One item after the other, each exactly as its own call would be: its own error, its own warnings, in order.
        private void RecordEach(StateMonitor monitor, IDictionary allocations)
        {
            IDictionaryEnumerator items = allocations.GetEnumerator();
            while (items.MoveNext())
            {
                object itemKey = items.Key is PSObject wrappedKey ? wrappedKey.BaseObject : items.Key;
                string key = itemKey as string ?? Convert.ToString(itemKey, CultureInfo.InvariantCulture) ?? string.Empty;
                if (!SizeTransformationAttribute.TryConvertSize(items.Value, out long size, out string problem))
                {
                    WriteError(ErrorRecords.InvalidAllocationArgument(new ArgumentException($"Cannot record '{key}': {problem}"), key));
                    continue;
                }

                Record(monitor, key, size);
            }
        }

        private void Record(StateMonitor monitor, string key, long size)
        {
            if (RejectInvalidKey(key) || (_describeFirst && !ShouldRecord(monitor, key, size)))
            {
                return;
            }

            AllocationOptions options = (Pin.IsPresent ? AllocationOptions.Pin : AllocationOptions.None) | (PassThru.IsPresent ? AllocationOptions.ReturnEntries : AllocationOptions.None);
            if (monitor.Has(StoreCapabilities.Shared) && key.Length > 0)
            {
                if (!ReferenceEquals(_runMonitor, monitor))
                {
                    FlushRun();
                    _runMonitor = monitor;
                }

                _run.Add(new AllocationRequest(key, size, options));
                if (_run.Count == SharedRunLength)
                {
                    FlushRun();
                }

                return;
            }

            if (!TryInvoke(monitor, key, (monitor, key, size, options), static call => call.monitor.Allocate(call.key, call.size, call.options), out AllocationResult result))
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
    
        private bool ShouldRecord(StateMonitor monitor, string key, long size)
        {
            if (!TryInvoke(monitor, key, () => monitor.PlanAllocation(key, size, Pin.IsPresent), out AllocationPlan plan))
            {
                return false;
            }

            string description = PlanText.DescribeAllocation(plan, monitor.Limits.MaxStateSize);
            return ShouldProcess(description, description + " Continue?", "Add allocation");
        }

        /// <inheritdoc />
        protected override void EndCommand() => FlushRun();

        // Records the pending run of a shared monitor and reports each outcome in input order, as ProcessRecord would.
        private void FlushRun()
        {
            if (_run.Count == 0)
            {
                return;
            }

            StateMonitor monitor = _runMonitor!;
            AllocationRequest[] run = _run.ToArray();
            _run.Clear();
            if (!TryInvoke(monitor, run[0].Key, () => monitor.AllocateMany(run), out AllocationResult[] results))
            {
                return;
            }

            for (int i = 0; i < results.Length; i++)
            {
                if (!results[i].Recorded)
                {
                    WriteError(ErrorRecords.LimitExceeded(monitor, run[i].Key, run[i].Size, results[i]));
                }
                else if (PassThru.IsPresent)
                {
                    WriteObject(results[i].Entry);
                }
            }
        }
    }
}
