using System;
using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>What one run of a <see cref="MonitoredStep"/> used.</summary>
    public sealed class StepUsage
    {
        internal StepUsage(
            string name,
            string monitorName,
            string? inputKey,
            long inputSize,
            string? outputKey,
            long outputSize,
            TimeSpan duration,
            long peakSize,
            long evictedCount,
            IReadOnlyList<ResourceAlert> alerts,
            bool succeeded)
        {
            Name = name;
            MonitorName = monitorName;
            InputKey = inputKey;
            InputSize = inputSize;
            OutputKey = outputKey;
            OutputSize = outputSize;
            Duration = duration;
            PeakSize = peakSize;
            EvictedCount = evictedCount;
            Alerts = alerts;
            Succeeded = succeeded;
        }

        /// <summary>The step's name.</summary>
        public string Name { get; }

        /// <summary>The monitor the step was recorded in.</summary>
        public string MonitorName { get; }

        /// <summary>The key the input was recorded under (<c>&lt;step&gt;/input</c>), or null when it was refused.</summary>
        public string? InputKey { get; }

        /// <summary>The input's estimated bytes.</summary>
        public long InputSize { get; }

        /// <summary>The key the output was recorded under (<c>&lt;step&gt;/output</c>), or null when none was recorded.</summary>
        public string? OutputKey { get; }

        /// <summary>The output's estimated bytes (0 when the step did not finish).</summary>
        public long OutputSize { get; }

        /// <summary>How long the step took, from recording its input to recording its output.</summary>
        public TimeSpan Duration { get; }

        /// <summary>The highest CurrentSize of the monitor seen during the step (see <see cref="MonitoredStep"/>).</summary>
        public long PeakSize { get; }

        /// <summary>Entries the monitor evicted while the step ran.</summary>
        public long EvictedCount { get; }

        /// <summary>Alerts the monitor raised while the step ran, oldest first.</summary>
        public IReadOnlyList<ResourceAlert> Alerts { get; }

        /// <summary>True when the step ran to its end.</summary>
        public bool Succeeded { get; }

        /// <inheritdoc />
        public override string ToString() =>
            $"{Name}: {(Succeeded ? "succeeded" : "failed")}, input {ByteSize.Format(InputSize)}, output {ByteSize.Format(OutputSize)}, peak {ByteSize.Format(PeakSize)}";
    }
}
