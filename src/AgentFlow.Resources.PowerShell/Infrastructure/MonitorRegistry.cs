using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// The monitors known by name, shared by every runspace of the process (so a name works inside
    /// <c>ForEach-Object -Parallel</c> too), and each runspace's own current monitor.
    /// </summary>
    /// <remarks>
    /// The current monitor is per runspace, like the current location: a parallel runspace starts without
    /// one and uses <c>-Monitor $using:monitor</c>, a name, or Select-StateMonitor. A current monitor that
    /// has since been removed from the registry (in any runspace) no longer counts as current.
    /// </remarks>
    internal static class MonitorRegistry
    {
        private static readonly ConcurrentDictionary<string, StateMonitor> s_monitors =
            new ConcurrentDictionary<string, StateMonitor>(StringComparer.OrdinalIgnoreCase);

        // Weak keys: a closed runspace takes its current monitor with it.
        private static readonly ConditionalWeakTable<Runspace, CurrentSlot> s_current = new ConditionalWeakTable<Runspace, CurrentSlot>();

        // Only used when called on a thread without a runspace (a host calling the cmdlet classes directly).
        private static readonly CurrentSlot s_threadsWithoutRunspace = new CurrentSlot();

        /// <summary>The registered monitors, ordered by name.</summary>
        public static IReadOnlyList<StateMonitor> Monitors =>
            s_monitors.Values.OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToArray();

        /// <summary>The calling runspace's current monitor, or null (none selected, or it was removed).</summary>
        public static StateMonitor? Current
        {
            get
            {
                StateMonitor? monitor = CurrentSlotOfCaller().Monitor;
                return monitor != null && IsRegistered(monitor) ? monitor : null;
            }

            set => CurrentSlotOfCaller().Monitor = value;
        }

        /// <summary>Registers the monitor under its name; false when the name is taken.</summary>
        public static bool TryAdd(StateMonitor monitor) => s_monitors.TryAdd(monitor.Name, monitor);

        /// <summary>Registers the monitor under its name, replacing any monitor of that name.</summary>
        public static void AddOrReplace(StateMonitor monitor) => s_monitors[monitor.Name] = monitor;

        public static bool TryGet(string name, out StateMonitor monitor) => s_monitors.TryGetValue(name, out monitor!);

        /// <summary>True when this very monitor (not just one of the same name) is registered.</summary>
        public static bool IsRegistered(StateMonitor monitor) =>
            s_monitors.TryGetValue(monitor.Name, out StateMonitor? registered) && ReferenceEquals(registered, monitor);

        /// <summary>Unregisters this very monitor; false when it is not registered (a replaced one stays).</summary>
        public static bool Remove(StateMonitor monitor) =>
            ((ICollection<KeyValuePair<string, StateMonitor>>)s_monitors).Remove(new KeyValuePair<string, StateMonitor>(monitor.Name, monitor));

        /// <summary>Clears the calling runspace's current monitor when it is this one.</summary>
        public static void ClearCurrentIf(StateMonitor monitor)
        {
            CurrentSlot slot = CurrentSlotOfCaller();
            if (ReferenceEquals(slot.Monitor, monitor))
            {
                slot.Monitor = null;
            }
        }

        private static CurrentSlot CurrentSlotOfCaller()
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            return runspace == null ? s_threadsWithoutRunspace : s_current.GetOrCreateValue(runspace);
        }

        private sealed class CurrentSlot
        {
            // Volatile: a runspace's pipeline thread can change between invocations.
            private volatile StateMonitor? _monitor;

            public StateMonitor? Monitor
            {
                get => _monitor;
                set => _monitor = value;
            }
        }
    }
}
