using System;
using System.Management.Automation;

namespace AgentFlow.Resources.PowerShell.Binding
{
    /// <summary>
    /// A monitor name must have a visible character and no wildcard characters, so that
    /// <c>Get-StateMonitor -Name</c> patterns and tab completion always find it.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateMonitorNameAttribute : ValidateArgumentsAttribute
    {
        /// <inheritdoc />
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            string? name = (arguments is PSObject wrapped ? wrapped.BaseObject : arguments) as string;
            if (name == null || name.Trim().Length == 0)
            {
                throw new ValidationMetadataException("A monitor name must contain a visible character.");
            }

            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                throw new ValidationMetadataException($"The monitor name '{name}' contains a wildcard character (*, ?, [ or ]); choose a name without them.");
            }
        }
    }
}
