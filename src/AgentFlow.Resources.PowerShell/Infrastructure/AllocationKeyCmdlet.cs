using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of the commands that act on existing entries by key (Remove-, Use-, Lock-, Unlock-Allocation):
    /// keys from the command line, as strings from the pipeline (<c>Get-LruKey | Remove-Allocation</c>) or from
    /// entries' Key property, and -PassThru.
    /// </summary>
    public abstract class AllocationKeyCmdlet : MonitorCmdlet
    {
        /// <summary>The keys (ordinal, case-sensitive).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(AllocationKeyCompleter))]
        public string[]? Key { get; set; }

        /// <summary>Return the entries acted on.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            StateMonitor monitor = ResolveMonitor();
            if (!CanUse(monitor))
            {
                return;
            }

            foreach (string key in Key!)
            {
                if (!RejectInvalidKey(key))
                {
                    ProcessKey(monitor, key);
                }
            }
        }

        /// <summary>False (after writing an error) when the command cannot work on this monitor at all.</summary>
        protected virtual bool CanUse(StateMonitor monitor) => true;

        /// <summary>Acts on one key.</summary>
        protected abstract void ProcessKey(StateMonitor monitor, string key);

        /// <summary>Applies a change that returns false for an unknown key; writes AllocationNotFound or, with -PassThru, the entry.</summary>
        protected void ChangeEntry(StateMonitor monitor, string key, System.Func<bool> change)
        {
            if (!TryInvoke(monitor, key, change, out bool found))
            {
                return;
            }

            if (!found)
            {
                WriteError(ErrorRecords.AllocationNotFound(monitor, key));
            }
            else if (PassThru.IsPresent && monitor.TryGetAllocation(key, out AllocationEntry? entry))
            {
                WriteObject(entry);
            }
        }
    }
}
