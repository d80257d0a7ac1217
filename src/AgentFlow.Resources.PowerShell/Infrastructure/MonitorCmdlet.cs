using System;
using System.Linq;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of every command that works on a monitor: the <c>-Monitor</c> parameter (object or name, bound by
    /// property name so entries, stats and alerts carry their monitor along the pipeline), falling back to the
    /// session's current monitor, and engine calls whose alerts go to the warning stream.
    /// </summary>
    public abstract class MonitorCmdlet : StoreCmdlet, IDisposable
    {
        // Kept for the whole command: subscribing per pipeline object cost a sixth of Add-Allocation's time.
        private AlertCapture? _alertCapture;

        /// <summary>The monitor to use; omitted: the session's current monitor.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("MonitorName")]
        [MonitorTransformation]
        [ArgumentCompleter(typeof(MonitorNameCompleter))]
        [ValidateNotNull]
        public virtual StateMonitor? Monitor { get; set; }

        /// <inheritdoc />
        protected override object? StoreFailureTarget => (Monitor ?? SessionMonitor.Current)?.Name;

        /// <summary>
        /// -Monitor when given, else the current monitor; with neither, a terminating NoCurrentMonitor error. A monitor
        /// object that was removed or replaced since it was obtained is a terminating MonitorNotFound error.
        /// </summary>
        protected StateMonitor ResolveMonitor()
        {
            StateMonitor? monitor = Monitor ?? SessionMonitor.Current;
            if (monitor == null)
            {
                ThrowTerminatingError(ErrorRecords.NoCurrentMonitor(MonitorRegistry.Monitors.Select(m => m.Name).ToArray()));
            }

            if (MonitorRegistry.IsRetired(monitor!))
            {
                ThrowTerminatingError(ErrorRecords.MonitorRetired(monitor!));
            }

            return monitor!;
        }

        /// <summary>Writes an InvalidAllocationArgument error and returns true when the key is missing, empty or blank.</summary>
        protected bool RejectInvalidKey(string? key)
        {
            string? problem = AllocationKey.Problem(key);
            if (problem == null)
            {
                return false;
            }

            WriteError(ErrorRecords.InvalidKey(problem, key));
            return true;
        }

        /// <summary>
        /// Runs an engine call and writes the alerts it raised as warnings. The engine's argument errors become
        /// a non-terminating InvalidAllocationArgument error and, when <paramref name="fastOperation"/> names what a fast
        /// monitor may refuse, its refusal a NotSupportedByFastMonitor error; then it returns false.
        /// </summary>
        protected bool TryInvoke<T>(StateMonitor monitor, object? target, Func<T> operation, out T result, string? fastOperation = null) =>
            TryInvoke(monitor, target, operation, static call => call(), out result, fastOperation);

        /// <summary>
        /// <see cref="TryInvoke{T}(StateMonitor, object, Func{T}, out T, string)"/> with the call's state passed in, so that
        /// a static lambda allocates nothing per call (a hot loop such as Add-Allocation -Allocation).
        /// </summary>
        protected bool TryInvoke<TState, T>(StateMonitor monitor, object? target, TState state, Func<TState, T> operation, out T result, string? fastOperation = null)
        {
            result = default!;
            Exception? failure = null;
            AlertCapture capture = CaptureAlertsOf(monitor);
            try
            {
                result = capture.Run(state, operation);

                // A step running on this thread sees the sizes its own work reaches (its PeakSize).
                MonitoredStep.Observe(monitor);
            }
            catch (Exception exception) when (exception is ArgumentException || exception is SharedStoreException || (exception is InvalidOperationException && !monitor.Has(StoreCapabilities.Cleanup) && fastOperation != null))
            {
                failure = exception;
            }

            // Alerts first: they happened before the failure was reported (a fast cleanup raises CleanupFailed).
            foreach (ResourceAlert alert in capture.TakeAlerts())
            {
                WriteWarning(alert.ToString());
            }

            switch (failure)
            {
                case null:
                    return true;
                case SharedStoreException sharedStoreException:
                    WriteStoreFailure(sharedStoreException, target);
                    return false;
                case ArgumentException argumentException:
                    WriteError(ErrorRecords.InvalidAllocationArgument(argumentException, target));
                    return false;
                default:
                    WriteError(ErrorRecords.NotSupportedByFastMonitor(monitor, fastOperation!));
                    return false;
            }
        }

        /// <summary>Stops listening to the monitor's alerts; PowerShell disposes a command when its pipeline ends.</summary>
        public void Dispose()
        {
            _alertCapture?.Dispose();
            _alertCapture = null;
        }

        private AlertCapture CaptureAlertsOf(StateMonitor monitor)
        {
            if (_alertCapture == null || !ReferenceEquals(_alertCapture.Monitor, monitor))
            {
                _alertCapture?.Dispose();
                _alertCapture = AlertCapture.Start(monitor);
            }

            return _alertCapture;
        }

        /// <summary>
        /// True when the monitor has the capabilities; otherwise writes a NotSupportedByFastMonitor error (only
        /// the counters-only stores lack capabilities) and returns false.
        /// </summary>
        protected bool RequireCapability(StateMonitor monitor, StoreCapabilities capabilities, string operation)
        {
            if (monitor.Has(capabilities))
            {
                return true;
            }

            WriteError(ErrorRecords.NotSupportedByFastMonitor(monitor, operation));
            return false;
        }
    }
}
