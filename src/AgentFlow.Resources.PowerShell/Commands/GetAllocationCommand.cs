using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Get-Allocation: the tracked entries, least recently used first.</summary>
    [Cmdlet(VerbsCommon.Get, "Allocation")]
    [OutputType(typeof(AllocationEntry))]
    public sealed class GetAllocationCommand : MonitorCmdlet
    {
        /// <summary>Keys or wildcard patterns (case-sensitive, like the keys); omitted: every entry.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(AllocationKeyCompleter))]
        public string[]? Key { get; set; }

        /// <summary>Only the N least recently used of the entries selected.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Oldest { get; set; }

        /// <summary>Only pinned entries.</summary>
        [Parameter]
        public SwitchParameter Pinned { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            StateMonitor monitor = ResolveMonitor();
            if (!RequireCapability(monitor, StoreCapabilities.Entries, "list its entries"))
            {
                return;
            }

            IEnumerable<AllocationEntry> entries = monitor.GetAllocations();
            if (Key != null)
            {
                entries = SelectByKey(monitor, entries.ToArray());
            }

            if (Pinned.IsPresent)
            {
                entries = entries.Where(entry => entry.IsPinned);
            }

            if (MyInvocation.BoundParameters.ContainsKey(nameof(Oldest)))
            {
                entries = entries.Take(Oldest);
            }

            WriteObject(entries.ToArray(), enumerateCollection: true);
        }

        // Keeps LRU order; a key without wildcards that matches nothing is an error, as with Get-Item.
        private IEnumerable<AllocationEntry> SelectByKey(StateMonitor monitor, AllocationEntry[] all)
        {
            var patterns = new List<WildcardPattern>();
            var exactKeys = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (string key in Key!)
            {
                if (WildcardPattern.ContainsWildcardCharacters(key))
                {
                    patterns.Add(new WildcardPattern(key, WildcardOptions.None));
                }
                else if (all.Any(entry => entry.Key == key))
                {
                    exactKeys.Add(key);
                }
                else
                {
                    WriteError(ErrorRecords.AllocationNotFound(monitor, key));
                }
            }

            return all.Where(entry => exactKeys.Contains(entry.Key) || patterns.Any(pattern => pattern.IsMatch(entry.Key)));
        }
    }
}
