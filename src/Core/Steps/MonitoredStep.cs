using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace AgentFlow.Resources
{
    /// <summary>
    /// One run of a workflow step against a monitor, as the design document's node-level integration does it: record the
    /// input's size as <c>&lt;step&gt;/input</c> and refuse to run when that is rejected, run, record the output's size as
    /// <c>&lt;step&gt;/output</c>, release the input. It also measures the run (<see cref="StepUsage"/>).
    /// </summary>
    /// <remarks>
    /// <see cref="Start"/>, then <see cref="Complete"/> or <see cref="Fail"/>, on one thread. Steps nest: a step started
    /// while another runs on the same thread reports what it sees to the enclosing ones.
    /// <see cref="StepUsage.PeakSize"/> is the highest CurrentSize seen at the step's own records, at the records of the
    /// steps nested in it, at every <see cref="Observe"/> made on the step's thread while it runs, and the monitor's
    /// PeakSize when the step raised it; a higher value reached and left again by another thread, below the monitor's
    /// earlier peak, is not seen. <see cref="StepUsage.EvictedCount"/> and <see cref="StepUsage.Alerts"/> cover the
    /// whole monitor while the step runs, whichever thread caused them.
    /// </remarks>
    public sealed class MonitoredStep
    {
        [ThreadStatic]
        private static MonitoredStep? t_innermost;

        private readonly StateMonitor _monitor;
        private readonly bool _pinOutput;
        private readonly bool _keepInput;
        private readonly List<ResourceAlert> _alerts = new List<ResourceAlert>();
        private readonly Stopwatch _clock = new Stopwatch();
        private MonitoredStep? _outer;
        private ResourceStats? _before;
        private long _inputSize;
        private bool _inputRecorded;
        private long _peak;
        private bool _running;

        /// <summary>A step named <paramref name="name"/> in <paramref name="monitor"/>.</summary>
        /// <exception cref="ArgumentException">The name is null or empty.</exception>
        public MonitoredStep(StateMonitor monitor, string name, bool pinOutput = false, bool keepInput = false)
        {
            _monitor = monitor ?? throw new ArgumentNullException(nameof(monitor));
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException("A step needs a name: its entries are '<name>/input' and '<name>/output'.", nameof(name));
            }

            Name = name;
            _pinOutput = pinOutput;
            _keepInput = keepInput;
        }

        /// <summary>The step's name.</summary>
        public string Name { get; }

        /// <summary><c>&lt;name&gt;/input</c>.</summary>
        public string InputKey => Name + "/input";

        /// <summary><c>&lt;name&gt;/output</c>.</summary>
        public string OutputKey => Name + "/output";

        /// <summary>The usage record, once the step has ended (refused, completed or failed).</summary>
        public StepUsage? Usage { get; private set; }

        /// <summary>
        /// Records the input. When the monitor rejects it the step is over (refused; <see cref="Usage"/> is set) and must
        /// not run; otherwise it runs until <see cref="Complete"/> or <see cref="Fail"/>.
        /// </summary>
        /// <exception cref="InvalidOperationException">The step was started already.</exception>
        public AllocationResult Start(long inputSize)
        {
            if (_before != null)
            {
                throw new InvalidOperationException($"The step '{Name}' was started already; a MonitoredStep runs once.");
            }

            _before = _monitor.GetStats();
            _inputSize = inputSize;
            _peak = _before.CurrentSize;
            _monitor.AlertRaised += OnAlertRaised;
            _outer = t_innermost;
            t_innermost = this;
            _running = true;
            _clock.Start();
            AllocationResult result;
            try
            {
                result = _monitor.Allocate(InputKey, inputSize);
            }
            catch
            {
                End(outputKey: null, outputSize: 0, succeeded: false);
                throw;
            }

            Observe(_monitor);
            _inputRecorded = result.Recorded;
            if (!result.Recorded)
            {
                End(outputKey: null, outputSize: 0, succeeded: false);
            }

            return result;
        }

        /// <summary>The step ran to its end: records the output (pinned when asked) and releases the input (unless kept).</summary>
        /// <returns>The output's allocation result; when it was rejected the output is not tracked, and the step still succeeded.</returns>
        public AllocationResult Complete(long outputSize)
        {
            EnsureRunning();
            AllocationResult result;
            try
            {
                result = _monitor.Allocate(OutputKey, outputSize, _pinOutput);
                ReleaseInput();
            }
            catch
            {
                End(outputKey: null, outputSize: outputSize, succeeded: true);
                throw;
            }

            End(result.Recorded ? OutputKey : null, outputSize, succeeded: true);
            return result;
        }

        /// <summary>The step failed: no output is recorded, and the input is released (unless kept).</summary>
        public void Fail()
        {
            EnsureRunning();
            try
            {
                ReleaseInput();
            }
            finally
            {
                End(outputKey: null, outputSize: 0, succeeded: false);
            }
        }

        /// <summary>
        /// Notes the monitor's CurrentSize in every step running on this thread against it (for their PeakSize). Commands
        /// that change a monitor call it after each change, so a step sees the peaks its own work reaches.
        /// </summary>
        public static void Observe(StateMonitor monitor)
        {
            MonitoredStep? step = t_innermost;
            if (step == null)
            {
                return;
            }

            long size = monitor.CurrentSize;
            for (; step != null; step = step._outer)
            {
                if (ReferenceEquals(step._monitor, monitor) && size > step._peak)
                {
                    step._peak = size;
                }
            }
        }

        private void ReleaseInput()
        {
            if (!_keepInput && _inputRecorded)
            {
                // With the size, so that a fast monitor (which keeps no sizes) can release it too.
                _monitor.RecordDeallocation(InputKey, _inputSize);
            }
        }

        private void EnsureRunning()
        {
            if (!_running)
            {
                throw new InvalidOperationException($"The step '{Name}' is not running: Start it first, and end it once.");
            }
        }

        private void End(string? outputKey, long outputSize, bool succeeded)
        {
            Observe(_monitor);
            _clock.Stop();
            _running = false;
            _monitor.AlertRaised -= OnAlertRaised;
            if (ReferenceEquals(t_innermost, this))
            {
                t_innermost = _outer;
            }

            ResourceStats after = _monitor.GetStats();
            long peak = after.PeakSize > _before!.PeakSize ? Math.Max(_peak, after.PeakSize) : _peak;
            ResourceAlert[] alerts;
            lock (_alerts)
            {
                alerts = _alerts.ToArray();
            }

            Usage = new StepUsage(
                Name,
                _monitor.Name,
                _inputRecorded ? InputKey : null,
                _inputSize,
                outputKey,
                outputSize,
                _clock.Elapsed,
                peak,
                Math.Max(0, after.TotalEvictions - _before.TotalEvictions),
                alerts,
                succeeded);
        }

        private void OnAlertRaised(object? sender, AlertRaisedEventArgs e)
        {
            // Any thread may raise the monitor's alerts while the step runs.
            lock (_alerts)
            {
                _alerts.Add(e.Alert);
            }
        }
    }
}
