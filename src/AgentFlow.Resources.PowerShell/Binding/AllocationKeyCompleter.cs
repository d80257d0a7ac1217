using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Binding
{
    /// <summary>
    /// Completes the keys of the monitor given with -Monitor on the same command line, else of the current monitor,
    /// for parameters that take keys literally (Remove-, Use-, Lock-, Unlock-Allocation, Get-Allocation -LiteralKey).
    /// </summary>
    public sealed class AllocationKeyCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Complete(wordToComplete, fakeBoundParameters, escapeWildcards: false);

        /// <summary>The keys that start with the word typed so far (or match it as a pattern), quoted; escaped for a pattern parameter.</summary>
        internal static IEnumerable<CompletionResult> Complete(string wordToComplete, IDictionary fakeBoundParameters, bool escapeWildcards)
        {
            StateMonitor? monitor = MonitorOnCommandLine(fakeBoundParameters) ?? SessionMonitor.Current;
            if (monitor == null)
            {
                return Array.Empty<CompletionResult>();
            }

            WildcardPattern pattern = CompletionText.PatternFor(wordToComplete, wordIsPattern: escapeWildcards);
            return monitor.GetAllocations()
                .Where(entry => pattern.IsMatch(entry.Key))
                .OrderBy(entry => entry.Key, StringComparer.OrdinalIgnoreCase)
                .ThenBy(entry => entry.Key, StringComparer.Ordinal)
                .Select(entry => new CompletionResult(
                    CompletionText.Quote(escapeWildcards ? WildcardPattern.Escape(entry.Key) : entry.Key),
                    entry.Key,
                    CompletionResultType.ParameterValue,
                    entry.ToString()))
                .ToArray();
        }

        private static StateMonitor? MonitorOnCommandLine(IDictionary? fakeBoundParameters)
        {
            object? value = fakeBoundParameters?["Monitor"] ?? fakeBoundParameters?["MonitorName"];
            value = value is PSObject wrapped ? wrapped.BaseObject : value;
            return value switch
            {
                StateMonitor monitor => monitor,
                string name when MonitorRegistry.TryGet(name, out StateMonitor named) => named,
                _ => null,
            };
        }
    }

    /// <summary>
    /// Completes keys for a parameter that takes wildcard patterns (Get-Allocation -Key): what it inserts has its
    /// wildcard characters escaped, so a completed <c>b[1].bin</c> finds that key and nothing else.
    /// </summary>
    public sealed class AllocationKeyPatternCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            AllocationKeyCompleter.Complete(wordToComplete, fakeBoundParameters, escapeWildcards: true);
    }
}
