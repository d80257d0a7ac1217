using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;

namespace AgentFlow.Resources
{
    /// <summary>
    /// The monitors known by name in this process (names are case-insensitive), shared by every caller: the
    /// PowerShell module's runspaces, a snapshot import, a host that embeds the engine. Thread-safe.
    /// </summary>
    public static class MonitorRegistry
    {
        private static readonly ConcurrentDictionary<string, StateMonitor> s_monitors =
            new ConcurrentDictionary<string, StateMonitor>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The registered monitors, ordered by name.</summary>
        public static IReadOnlyList<StateMonitor> Monitors =>
            s_monitors.Values.OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToArray();

        /// <summary>Registers the monitor under its name; false when the name is taken.</summary>
        public static bool TryAdd(StateMonitor monitor) => s_monitors.TryAdd(Checked(monitor).Name, monitor);

        /// <summary>Registers the monitor under its name, replacing any monitor of that name.</summary>
        public static void AddOrReplace(StateMonitor monitor) => s_monitors[Checked(monitor).Name] = monitor;

        /// <summary>The monitor registered under <paramref name="name"/> (any case).</summary>
        public static bool TryGet(string name, out StateMonitor monitor) => s_monitors.TryGetValue(name, out monitor!);

        /// <summary>True when this very monitor (not just one of the same name) is registered.</summary>
        public static bool IsRegistered(StateMonitor monitor) =>
            s_monitors.TryGetValue(Checked(monitor).Name, out StateMonitor? registered) && ReferenceEquals(registered, monitor);

        /// <summary>Unregisters this very monitor; false when it is not registered (a replaced one stays).</summary>
        public static bool Remove(StateMonitor monitor) =>
            ((ICollection<KeyValuePair<string, StateMonitor>>)s_monitors).Remove(new KeyValuePair<string, StateMonitor>(Checked(monitor).Name, monitor));

        private static StateMonitor Checked(StateMonitor monitor) => monitor ?? throw new ArgumentNullException(nameof(monitor));
    }
}
