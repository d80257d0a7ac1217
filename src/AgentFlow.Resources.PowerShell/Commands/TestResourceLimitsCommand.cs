using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Test-ResourceLimits: says whether limits (given, piped, or built from values) are valid.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "ResourceLimits", DefaultParameterSetName = ValuesParameterSet)]
    [OutputType(typeof(bool))]
    [OutputType(typeof(LimitsValidation))]
    public sealed class TestResourceLimitsCommand : LimitsParametersCmdlet
    {
        private const string LimitsParameterSet = "Limits";

        /// <summary>The limits to test.</summary>
        [Parameter(ParameterSetName = LimitsParameterSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [LimitsTransformation]
        [ValidateNotNull]
        public ResourceLimits? Limits { get; set; }

        /// <summary>Return a LimitsValidation (IsValid, Problems, Limits) instead of a bool.</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // The Values set has no pipeline input, so this runs once for it.
            var validation = new LimitsValidation(ParameterSetName == LimitsParameterSet ? Limits! : BuildLimitsFromParameters());
            if (Detailed.IsPresent)
            {
                WriteObject(validation);
            }
            else
            {
                WriteObject(validation.IsValid);
            }
        }
    }
}
