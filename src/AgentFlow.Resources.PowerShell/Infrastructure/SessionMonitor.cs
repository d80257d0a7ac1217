using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// Each runspace's current monitor, over the process-wide <see cref="MonitorRegistry"/> of names.
    /// </summary>
    /// <remarks>
    /// The current monitor is per runspace, like the current location: a parallel runspace starts without
    /// one and uses <c>-Monitor $using:monitor</c>, a name, or Select-StateMonitor. A current monitor that
    /// has since been removed from the registry (in any runspace) no longer counts as current.
    /// </remarks>
    internal static class SessionMonitor
    {
        // Weak keys: a closed runspace takes its current monitor with it.
        private static readonly ConditionalWeakTable<Runspace, CurrentSlot> s_current = new ConditionalWeakTable<Runspace, CurrentSlot>();

        // Only used when called on a thread without a runspace (a host calling the cmdlet classes directly).
        private static readonly CurrentSlot s_threadsWithoutRunspace = new CurrentSlot();

        /// <summary>The calling runspace's current monitor, or null (none selected, or it was removed).</summary>
        public static StateMonitor? Current
        {
            get
            {
                StateMonitor? monitor = CurrentSlotOfCaller().Monitor;
                return monitor != null && MonitorRegistry.IsRegistered(monitor) ? monitor : null;
            }

            set => CurrentSlotOfCaller().Monitor = value;
        }

        /// <summary>
        /// Registers the monitor under its name (with <paramref name="replace"/>, in place of any monitor of that
        /// name) and makes it the calling runspace's current monitor; false when the name is taken.
        /// </summary>
        public static bool RegisterAsCurrent(StateMonitor monitor, bool replace)
        {
            if (replace)
            {
                MonitorRegistry.AddOrReplace(monitor);
            }
            else if (!MonitorRegistry.TryAdd(monitor))
            {
                return false;
            }

            Current = monitor;
            return true;
        }

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
