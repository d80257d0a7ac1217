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
            if (!monitor.Has(StoreCapabilities.Entries))
            {
                RemoveBySize(monitor, key);
                return;
            }

            // The look-up only words the confirmation; the removal itself is one atomic step that returns what it removed.
            if (!TryInvoke(monitor, key, () => monitor.TryGetAllocation(key, out AllocationEntry? found) ? found : null, out AllocationEntry? entry))
            {
                return;
            }

            if (entry == null)
            {
                WriteError(ErrorRecords.AllocationNotFound(monitor, key));
                return;
            }

            if (ShouldProcess($"'{Wording.Key(key)}' ({ByteSize.Format(entry.Size)}) in state monitor '{monitor.Name}'", "Remove allocation")
                && TryInvoke(monitor, key, () => monitor.Remove(key), out AllocationEntry? removed))
            {
                WriteRemoved(monitor, key, removed);
            }
        }

        // A store without entries does not know the key's size: the caller says it.
        private void RemoveBySize(StateMonitor monitor, string key)
        {
            if (Size == null)
            {
                WriteError(ErrorRecords.SizeRequiredForFastMonitor(monitor, key));
                return;
            }

            long size = Size.Value;
            if (ShouldProcess($"'{Wording.Key(key)}' ({ByteSize.Format(size)}) in fast state monitor '{monitor.Name}'", "Remove allocation")
                && TryInvoke(monitor, key, () => monitor.Remove(key, size), out AllocationEntry? removed))
            {
                WriteRemoved(monitor, key, removed);
            }
        }

        private void WriteRemoved(StateMonitor monitor, string key, AllocationEntry? removed)
        {
            if (removed == null)
            {
                // Evicted or removed by another runspace between the confirmation and the removal.
                WriteError(ErrorRecords.AllocationNotFound(monitor, key));
            }
            else if (PassThru.IsPresent)
            {
                WriteObject(removed);
            }
        }
    }
}
