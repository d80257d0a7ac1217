using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;

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

        // Monitors that were registered and then removed or replaced: a script that still holds one must not go on
        // recording into a monitor nobody can see. Weak keys: being retired keeps no monitor alive.
        private static readonly ConditionalWeakTable<StateMonitor, object> s_retired = new ConditionalWeakTable<StateMonitor, object>();
        private static readonly object s_retiredMark = new object();

        /// <summary>The registered monitors, ordered by name.</summary>
        public static IReadOnlyList<StateMonitor> Monitors =>
            s_monitors.Values.OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToArray();

        /// <summary>Registers the monitor under its name; false when the name is taken.</summary>
        public static bool TryAdd(StateMonitor monitor) => s_monitors.TryAdd(Checked(monitor).Name, monitor);

        /// <summary>Registers the monitor under its name, replacing (and retiring) any monitor of that name.</summary>
        public static void AddOrReplace(StateMonitor monitor)
        {
            StateMonitor? replaced = null;
            s_monitors.AddOrUpdate(Checked(monitor).Name, monitor, (_, old) =>
            {
                replaced = old;
                return monitor;
            });
            if (replaced != null && !ReferenceEquals(replaced, monitor))
            {
                Retire(replaced);
            }
        }

        /// <summary>The monitor registered under <paramref name="name"/> (any case).</summary>
        public static bool TryGet(string name, out StateMonitor monitor) => s_monitors.TryGetValue(name, out monitor!);

        /// <summary>True when this very monitor (not just one of the same name) is registered.</summary>
        public static bool IsRegistered(StateMonitor monitor) =>
            s_monitors.TryGetValue(Checked(monitor).Name, out StateMonitor? registered) && ReferenceEquals(registered, monitor);

        /// <summary>True when the monitor was registered and has since been removed or replaced; a never-registered monitor is not retired.</summary>
        public static bool IsRetired(StateMonitor monitor) => s_retired.TryGetValue(Checked(monitor), out _);

        /// <summary>Unregisters (and retires) this very monitor; false when it is not registered (a replaced one stays).</summary>
        public static bool Remove(StateMonitor monitor)
        {
            bool removed = ((ICollection<KeyValuePair<string, StateMonitor>>)s_monitors).Remove(new KeyValuePair<string, StateMonitor>(Checked(monitor).Name, monitor));
            if (removed)
            {
                Retire(monitor);
            }

            return removed;
        }

        private static void Retire(StateMonitor monitor)
        {
            // ConditionalWeakTable.Add throws for a key already there; two replacements of one monitor may race.
            lock (s_retired)
            {
                if (!s_retired.TryGetValue(monitor, out _))
                {
                    s_retired.Add(monitor, s_retiredMark);
                }
            }
        }

        private static StateMonitor Checked(StateMonitor monitor) => monitor ?? throw new ArgumentNullException(nameof(monitor));
    }
}
