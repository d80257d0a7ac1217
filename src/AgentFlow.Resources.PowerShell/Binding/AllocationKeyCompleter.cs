using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Binding
{
    /// <summary>Completes the keys of the monitor given with -Monitor on the same command line, else of the current monitor.</summary>
    public sealed class AllocationKeyCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            StateMonitor? monitor = MonitorOnCommandLine(fakeBoundParameters) ?? SessionMonitor.Current;
            if (monitor == null)
            {
                return Array.Empty<CompletionResult>();
            }

            WildcardPattern pattern = CompletionText.PatternFor(wordToComplete);
            return monitor.GetAllocations()
                .Where(entry => pattern.IsMatch(entry.Key))
                .OrderBy(entry => entry.Key, StringComparer.OrdinalIgnoreCase)
                .ThenBy(entry => entry.Key, StringComparer.Ordinal)
                .Select(entry => new CompletionResult(CompletionText.Quote(entry.Key), entry.Key, CompletionResultType.ParameterValue, entry.ToString()))
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
}
