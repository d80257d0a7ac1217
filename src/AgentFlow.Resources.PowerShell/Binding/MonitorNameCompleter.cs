using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Binding
{
    /// <summary>Completes the names of the registered monitors.</summary>
    public sealed class MonitorNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            WildcardPattern pattern = CompletionText.PatternFor(wordToComplete);
            foreach (StateMonitor monitor in MonitorRegistry.Monitors)
            {
                if (pattern.IsMatch(monitor.Name))
                {
                    yield return new CompletionResult(CompletionText.Quote(monitor.Name), monitor.Name, CompletionResultType.ParameterValue, monitor.ToString());
                }
            }
        }
    }
}
