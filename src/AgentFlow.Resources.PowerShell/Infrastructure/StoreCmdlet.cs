using System.Management.Automation;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of every command that takes a monitor (<see cref="MonitorCmdlet"/>, <see cref="MonitorSelectionCmdlet"/>,
    /// <see cref="RegisteredMonitorCmdlet"/>): a shared (Redis) store that fails anywhere in the command becomes the
    /// module's error record (RedisUnavailable, RedisAuthenticationFailed, ...) through <see cref="ErrorRecords.SharedStore"/>,
    /// never a raw exception. Commands implement <see cref="BeginCommand"/>, <see cref="ProcessInput"/> and
    /// <see cref="EndCommand"/>; the step that failed writes one non-terminating error and stops there, the pipeline
    /// goes on (-ErrorAction Stop makes it terminating, as for every other error).
    /// </summary>
    public abstract class StoreCmdlet : PSCmdlet
    {
        /// <inheritdoc />
        protected sealed override void BeginProcessing()
        {
            // Inline try/catch rather than one helper taking a delegate: no allocation per pipeline object.
            try
            {
                BeginCommand();
            }
            catch (SharedStoreException exception)
            {
                WriteStoreFailure(exception);
            }
        }

        /// <inheritdoc />
        protected sealed override void ProcessRecord()
        {
            try
            {
                ProcessInput();
            }
            catch (SharedStoreException exception)
            {
                WriteStoreFailure(exception);
            }
        }

        /// <inheritdoc />
        protected sealed override void EndProcessing()
        {
            try
            {
                EndCommand();
            }
            catch (SharedStoreException exception)
            {
                WriteStoreFailure(exception);
            }
        }

        /// <summary>The command's begin block (BeginProcessing).</summary>
        protected virtual void BeginCommand()
        {
        }

        /// <summary>The command's process block, once per pipeline object (ProcessRecord).</summary>
        protected virtual void ProcessInput()
        {
        }

        /// <summary>The command's end block (EndProcessing).</summary>
        protected virtual void EndCommand()
        {
        }

        /// <summary>
        /// The target of a store failure's error record: the name of the monitor the command works on, when there is
        /// one (a name, not the monitor: showing a monitor reads its store, which just failed).
        /// </summary>
        protected virtual object? StoreFailureTarget => null;

        /// <summary>Writes the error record of a shared store's failure.</summary>
        protected void WriteStoreFailure(SharedStoreException exception, object? target = null) =>
            WriteError(ErrorRecords.SharedStore(exception, target ?? StoreFailureTarget));
    }
}
