using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>
    /// Invoke-MonitoredStep: runs a script block as a workflow step against a monitor. The input's estimated size is
    /// recorded as &lt;step&gt;/input first (a rejection is the usual LimitsExceeded error, and the step does not run), the
    /// output streams down the pipeline as it is produced and its estimated size is recorded as &lt;step&gt;/output, and
    /// the input is released, also when the step fails.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "MonitoredStep")]
    [OutputType(typeof(object))]
    public sealed class InvokeMonitoredStepCommand : MonitorCmdlet
    {
        // Step runners by argument count (see StepRunner).
        private static readonly ConcurrentDictionary<int, string> s_runners = new ConcurrentDictionary<int, string>();

        private readonly List<StepUsage> _usages = new List<StepUsage>();

        /// <summary>The step's name: its entries are &lt;Name&gt;/input and &lt;Name&gt;/output.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>The step.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNull]
        public ScriptBlock? ScriptBlock { get; set; }

        /// <summary>The step's input: $_ and the first argument. From the pipeline, the step runs once per object.</summary>
        [Parameter(ValueFromPipeline = true)]
        [AllowNull]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public object? InputObject { get; set; }

        /// <summary>More arguments, after the input. They count as input.</summary>
        [Parameter]
        [Alias("Args")]
        [AllowEmptyCollection]
        public object?[]? ArgumentList { get; set; }

        /// <summary>Pin the output's entry: no cleanup evicts it.</summary>
        [Parameter]
        public SwitchParameter PinOutput { get; set; }

        /// <summary>Keep the input's entry after the step (by default it is removed).</summary>
        [Parameter]
        public SwitchParameter KeepInput { get; set; }

        /// <summary>The name of a variable (without $) that receives the step's usage record.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? UsageVariable { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            StateMonitor monitor = ResolveMonitor();
            if (PinOutput.IsPresent && !RequireCapability(monitor, StoreCapabilities.Pinning, "pin entries"))
            {
                return;
            }

            object?[] arguments = ArgumentList ?? Array.Empty<object?>();
            var inputSize = new PSObjectSizeEstimator();
            inputSize.Add(InputObject);
            foreach (object? argument in arguments)
            {
                inputSize.Add(argument);
            }

            var step = new MonitoredStep(monitor, Name!, PinOutput.IsPresent, KeepInput.IsPresent);
            if (!TryInvoke(monitor, step.InputKey, () => step.Start(inputSize.Size), out AllocationResult started))
            {
                return;
            }

            if (!started.Recorded)
            {
                SetUsage(step.Usage!);
                WriteError(ErrorRecords.LimitExceeded(monitor, step.InputKey, inputSize.Size, started));
                return;
            }

            var output = new StepOutput(this, ScriptBlock!, InputObject, arguments);
            bool ran = false;
            try
            {
                InvokeCommand.InvokeScript(StepRunner(arguments.Length), false, PipelineResultTypes.None, null, output);
                ran = true;
            }
            catch (RuntimeException exception) when (!exception.WasThrownFromThrowStatement && !(exception is PipelineStoppedException) && !(exception is ActionPreferenceStopException))
            {
                // Without this PowerShell would wrap the step's own error in a CmdletInvocationException of this command.
                exception.WasThrownFromThrowStatement = true;
                throw;
            }
            finally
            {
                if (!ran)
                {
                    // Nothing is written here: the step's own error is on its way to the caller and must stay what it is.
                    step.Fail();
                    SetUsage(step.Usage!);
                }
            }

            if (TryInvoke(monitor, step.OutputKey, () => step.Complete(output.Size), out AllocationResult finished) && !finished.Recorded)
            {
                WriteError(ErrorRecords.LimitExceeded(monitor, step.OutputKey, output.Size, finished));
            }

            SetUsage(step.Usage!);
        }

        /// <summary>
        /// The script that runs a step dot-sourced, in the caller's scope as ForEach-Object does, with the input as $_ and
        /// as the first argument. It names no variable of its own (a dot-sourced script's variables would land in the
        /// caller's scope, where a nested step would overwrite them): everything comes from the StepOutput in $args[0],
        /// and each argument is written out, since only a variable can be splatted. The step's errors are merged into its
        /// output (2>&1) so that StepOutput writes them to this command's error stream.
        /// </summary>
        private static string StepRunner(int argumentCount) =>
            s_runners.GetOrAdd(argumentCount, count =>
            {
                var call = new StringBuilder(". $args[0].Step $_");
                for (int i = 0; i < count; i++)
                {
                    call.Append(" $args[0].Arguments[").Append(i.ToString(CultureInfo.InvariantCulture)).Append(']');
                }

                return ",$args[0].Input | . { process { " + call + " 2>&1 } } $args[0] | . { process { $args[0].Emit($_) } } $args[0]";
            });

        private void SetUsage(StepUsage usage)
        {
            _usages.Add(usage);
            if (UsageVariable != null)
            {
                // One run: the record; a run per pipeline object: every record so far, in order.
                SessionState.PSVariable.Set(UsageVariable, _usages.Count == 1 ? (object)usage : _usages.ToArray());
            }
        }

        /// <summary>What the step runner needs: the step, its input and arguments, and where its output goes (measured, then passed on at once).</summary>
        public sealed class StepOutput
        {
            private readonly InvokeMonitoredStepCommand _command;
            private readonly PSObjectSizeEstimator _estimator = new PSObjectSizeEstimator();

            internal StepOutput(InvokeMonitoredStepCommand command, ScriptBlock step, object? input, object?[] arguments)
            {
                _command = command;
                Step = step;
                Input = input;
                Arguments = arguments;
            }

            /// <summary>The step to run.</summary>
            public ScriptBlock Step { get; }

            /// <summary>Its input.</summary>
            public object? Input { get; }

            /// <summary>Its arguments after the input.</summary>
            public object?[] Arguments { get; }

            /// <summary>The estimated bytes of the output so far.</summary>
            public long Size => _estimator.Size;

            /// <summary>Called by the step runner for each object: output is measured and written on, ErrorRecords are written as errors.</summary>
            public void Emit(PSObject? item)
            {
                // The runner merges the step's error stream into its output (2>&1), so its errors arrive here as ErrorRecords.
                if (item?.BaseObject is ErrorRecord error)
                {
                    _command.WriteError(error);
                    return;
                }

                _estimator.Add(item);
                _command.WriteObject(item);
            }
        }
    }
}
