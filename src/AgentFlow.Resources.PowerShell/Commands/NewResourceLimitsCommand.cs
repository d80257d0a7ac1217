using System.Collections.Generic;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>New-ResourceLimits: builds limits from a preset and values; invalid ones are reported, not returned.</summary>
    [Cmdlet(VerbsCommon.New, "ResourceLimits", DefaultParameterSetName = ValuesParameterSet)]
    [OutputType(typeof(ResourceLimits))]
    public sealed class NewResourceLimitsCommand : LimitsParametersCmdlet
    {
        /// <inheritdoc />
        protected override void EndProcessing()
        {
            ResourceLimits limits = BuildLimitsFromParameters();
            IReadOnlyList<string> problems = limits.Validate();
            if (problems.Count > 0)
            {
                WriteError(ErrorRecords.InvalidResourceLimits(problems, limits));
                return;
            }

            WriteObject(limits);
        }
    }
}
