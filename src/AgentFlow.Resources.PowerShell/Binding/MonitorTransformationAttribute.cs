using System;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Binding
{
    /// <summary>
    /// Binds <c>-Monitor</c> from a <see cref="StateMonitor"/> or from the name of a registered monitor
    /// (case-insensitive), so <c>-Monitor build</c> and entries carrying <c>MonitorName</c> both work.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class MonitorTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            // A deserialized object is a PSObject around a PSCustomObject: keep the wrapper, its type names tell what it was.
            object? value = inputData is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case null:
                case StateMonitor _:
                    // null is left to [ValidateNotNull], which names the parameter.
                    return value;
                case string name:
                    if (MonitorRegistry.TryGet(name, out StateMonitor monitor))
                    {
                        return monitor;
                    }

                    throw new ArgumentTransformationMetadataException(
                        $"No state monitor named '{name}' is registered. Run Get-StateMonitor to list the monitors, or New-StateMonitor -Name '{name}' to create one.");
                case PSObject bag when IsDeserializedMonitor(bag):
                    throw new ArgumentTransformationMetadataException(ErrorRecords.DeserializedMonitorMessage(bag.Properties["Name"]?.Value as string));
                default:
                    throw new ArgumentTransformationMetadataException(
                        $"Cannot use a {(value is PSObject other ? other.BaseObject : value).GetType().Name} as a monitor. Pass a StateMonitor (from New-StateMonitor or Get-StateMonitor) or the name of one.");
            }
        }

        private static bool IsDeserializedMonitor(PSObject bag)
        {
            foreach (string typeName in bag.TypeNames)
            {
                if (typeName == "Deserialized." + typeof(StateMonitor).FullName)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
