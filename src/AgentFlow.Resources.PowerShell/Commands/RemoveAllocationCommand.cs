using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Remove-Allocation: records deallocations (a fast monitor needs -Size).</summary>
    [Cmdlet(VerbsCommon.Remove, "Allocation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AllocationEntry))]
    public sealed class RemoveAllocationCommand : AllocationKeyCmdlet
    {
        /// <summary>The size that was recorded: needed by fast monitors only (a detailed monitor knows it and ignores this).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SizeTransformation]
        public long? Size { get; set; }

        /// <inheritdoc />
        protected override void ProcessKey(StateMonitor monitor, string key)
        {
            if (monitor.IsFast)
            {
                RemoveFromFastMonitor(monitor, key);
                return;
            }

            if (!TryInvoke(monitor, key, () => monitor.TryGetAllocation(key, out AllocationEntry? found) ? found : null, out AllocationEntry? entry))
            {
                return;
            }

            if (entry == null)
            {
                WriteError(ErrorRecords.AllocationNotFound(monitor, key));
                return;
            }

            if (!ShouldProcess($"'{key}' ({ByteSize.Format(entry.Size)}) in state monitor '{monitor.Name}'", "Remove allocation"))
            {
                return;
            }

            if (!TryInvoke(monitor, key, () => monitor.RecordDeallocation(key), out bool removed))
            {
                return;
            }

            if (!removed)
            {
                // Evicted by another runspace between the look-up and the removal.
                WriteError(ErrorRecords.AllocationNotFound(monitor, key));
            }
            else if (PassThru.IsPresent)
            {
                WriteObject(entry);
            }
        }

        private void RemoveFromFastMonitor(StateMonitor monitor, string key)
        {
            if (Size == null)
            {
                WriteError(ErrorRecords.SizeRequiredForFastMonitor(monitor, key));
                return;
            }

            long size = Size.Value;
            if (!ShouldProcess($"'{key}' ({ByteSize.Format(size)}) in fast state monitor '{monitor.Name}'", "Remove allocation"))
            {
                return;
            }

            if (TryInvoke(monitor, key, () => monitor.RecordDeallocation(key, size), out bool removed) && removed && PassThru.IsPresent)
            {
                // The charge the fast monitor gave back: one chunk for a streamed value, else the whole size.
                WriteObject(new AllocationEntry(monitor.Name, key, size, monitor.Limits.ResidentSize(size), false, monitor.Limits.IsStreamed(size)));
            }
        }
    }
}
