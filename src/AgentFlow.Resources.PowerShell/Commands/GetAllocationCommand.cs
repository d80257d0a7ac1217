using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Get-Allocation: the tracked entries, least recently used first.</summary>
    /// <remarks>
    /// Keys typed after -Key are wildcard patterns (escaped wildcard characters match themselves); keys that come down
    /// the pipeline (strings from Get-LruKey, entries' Key property) and -LiteralKey are matched exactly, so that a key
    /// such as <c>b[1].bin</c> is always found, as Get-Item's -Path and -LiteralPath do.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "Allocation", DefaultParameterSetName = KeyParameterSet)]
    [OutputType(typeof(AllocationEntry))]
    public sealed class GetAllocationCommand : MonitorCmdlet
    {
        private const string KeyParameterSet = "Key";
        private const string LiteralKeyParameterSet = "LiteralKey";

        // -Key given on the command line holds patterns; bound from the pipeline, it holds keys.
        private bool _keyIsPattern;

        /// <summary>Keys or wildcard patterns (case-sensitive, like the keys); omitted: every entry. Pipeline input is matched literally.</summary>
        [Parameter(ParameterSetName = KeyParameterSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(AllocationKeyPatternCompleter))]
        public string[]? Key { get; set; }

        /// <summary>Keys matched exactly: wildcard characters are part of the key.</summary>
        [Parameter(ParameterSetName = LiteralKeyParameterSet, Mandatory = true)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(AllocationKeyCompleter))]
        public string[]? LiteralKey { get; set; }

        /// <summary>Only the N least recently used of the entries selected.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Oldest { get; set; }

        /// <summary>Only pinned entries.</summary>
        [Parameter]
        public SwitchParameter Pinned { get; set; }

        /// <inheritdoc />
        protected override void BeginCommand()
        {
            // Before the first pipeline object is bound, BoundParameters holds only what was typed.
            _keyIsPattern = MyInvocation.BoundParameters.ContainsKey(nameof(Key));
        }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            StateMonitor monitor = ResolveMonitor();
            if (!RequireCapability(monitor, StoreCapabilities.Entries, "list its entries"))
            {
                return;
            }

            IEnumerable<AllocationEntry> entries;
            if (ParameterSetName == LiteralKeyParameterSet)
            {
                entries = SelectLiteral(monitor, LiteralKey!);
            }
            else if (Key == null)
            {
                entries = monitor.GetAllocations();
            }
            else
            {
                entries = _keyIsPattern ? SelectByPattern(monitor, Key) : SelectLiteral(monitor, Key);
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

        // One key (a pipeline object) is a single look-up, so Get-LruKey | Get-Allocation stays linear; several keep LRU order.
        private IEnumerable<AllocationEntry> SelectLiteral(StateMonitor monitor, string[] keys)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            AllocationEntry? single = null;
            foreach (string key in keys)
            {
                if (RejectInvalidKey(key))
                {
                    continue;
                }

                if (monitor.TryGetAllocation(key, out AllocationEntry? entry))
                {
                    found.Add(key);
                    single = entry;
                }
                else
                {
                    WriteError(ErrorRecords.AllocationNotFound(monitor, key));
                }
            }

            if (found.Count <= 1)
            {
                return single == null ? Array.Empty<AllocationEntry>() : new[] { single };
            }

            return monitor.GetAllocations().Where(entry => found.Contains(entry.Key));
        }

        // Keeps LRU order. A pattern without (unescaped) wildcards names one key, and matching nothing is an error, as with
        // Get-Item; an invalid pattern is an InvalidKeyPattern error.
        private IEnumerable<AllocationEntry> SelectByPattern(StateMonitor monitor, string[] patternTexts)
        {
            IReadOnlyList<AllocationEntry> all = monitor.GetAllocations();
            var patterns = new List<WildcardPattern>();
            var exactKeys = new HashSet<string>(StringComparer.Ordinal);
            foreach (string text in patternTexts)
            {
                if (WildcardPattern.ContainsWildcardCharacters(text))
                {
                    var pattern = new WildcardPattern(text, WildcardOptions.None);
                    if (TryValidate(pattern, text))
                    {
                        patterns.Add(pattern);
                    }

                    continue;
                }

                // '`[x`]' and 'a`*' name the keys '[x]' and 'a*'.
                string key = WildcardPattern.Unescape(text);
                if (RejectInvalidKey(key))
                {
                    continue;
                }

                if (monitor.TryGetAllocation(key, out _))
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

        // WildcardPattern parses lazily: the first match throws for '[bad'. Find out before any entry is matched.
        private bool TryValidate(WildcardPattern pattern, string text)
        {
            try
            {
                pattern.IsMatch(string.Empty);
                return true;
            }
            catch (WildcardPatternException exception)
            {
                WriteError(ErrorRecords.InvalidKeyPattern(text, exception));
                return false;
            }
        }
    }
}
