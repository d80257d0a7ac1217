using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>Registered monitors by name or PowerShell wildcard pattern (case-insensitive), for every command that takes names.</summary>
    internal static class MonitorNames
    {
        /// <summary>The monitors whose names match <paramref name="nameOrPattern"/>, by name; a plain name matches at most one.</summary>
        public static IReadOnlyList<StateMonitor> Match(string nameOrPattern)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(nameOrPattern))
            {
                return MonitorRegistry.TryGet(nameOrPattern, out StateMonitor monitor) ? new[] { monitor } : new StateMonitor[0];
            }

            var pattern = new WildcardPattern(nameOrPattern, WildcardOptions.IgnoreCase);
            return MonitorRegistry.Monitors.Where(m => pattern.IsMatch(m.Name)).ToArray();
        }
    }
}
