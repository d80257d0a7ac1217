using System;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// The value parameters of New-ResourceLimits, shared with Test-ResourceLimits: a preset (default: Default)
    /// with each value given on the command line laid over it.
    /// </summary>
    public abstract class LimitsParametersCmdlet : PSCmdlet
    {
        /// <summary>The name of the parameter set that holds the value parameters.</summary>
        protected const string ValuesParameterSet = "Values";

        /// <summary>The configuration profile to start from (default: Default).</summary>
        [Parameter(ParameterSetName = ValuesParameterSet, Position = 0)]
        public LimitsPreset Preset { get; set; }

        /// <summary>Total bytes all resident values may take.</summary>
        [Parameter(ParameterSetName = ValuesParameterSet)]
        [SizeTransformation]
        public long MaxStateSize { get; set; }

        /// <summary>Bytes one value may take.</summary>
        [Parameter(ParameterSetName = ValuesParameterSet)]
        [SizeTransformation]
        public long MaxValueSize { get; set; }

        /// <summary>How many entries may be held.</summary>
        [Parameter(ParameterSetName = ValuesParameterSet)]
        public long MaxCacheEntries { get; set; }

        /// <summary>Fraction (0..1) at which cleanup is due.</summary>
        [Parameter(ParameterSetName = ValuesParameterSet)]
        public double CleanupThreshold { get; set; }

        /// <summary>Fraction automatic cleanup brings usage down to.</summary>
        [Parameter(ParameterSetName = ValuesParameterSet)]
        public double CleanupTarget { get; set; }

        /// <summary>Evict by itself; -AutoCleanup:$false turns it off.</summary>
        [Parameter(ParameterSetName = ValuesParameterSet)]
        public SwitchParameter AutoCleanup { get; set; }

        /// <summary>Admit values over MaxValueSize as streamed entries.</summary>
        [Parameter(ParameterSetName = ValuesParameterSet)]
        public SwitchParameter EnableStreaming { get; set; }

        /// <summary>Bytes of a streamed value held in memory.</summary>
        [Parameter(ParameterSetName = ValuesParameterSet)]
        [SizeTransformation]
        public long StreamChunkSize { get; set; }

        /// <summary>Raise PredictedExhaustion when the threshold is predicted sooner than this (0: off).</summary>
        [Parameter(ParameterSetName = ValuesParameterSet)]
        public TimeSpan PredictionHorizon { get; set; }

        /// <summary>Start automatic cleanup early while exhaustion is predicted within the horizon.</summary>
        [Parameter(ParameterSetName = ValuesParameterSet)]
        public SwitchParameter PredictiveCleanup { get; set; }

        /// <summary>The preset with every value parameter that was bound laid over it (never throws; may be invalid).</summary>
        protected ResourceLimits BuildLimitsFromParameters()
        {
            ResourceLimitsBuilder builder = ResourceLimits.Builder(Preset);
            if (IsBound(nameof(MaxStateSize)))
            {
                builder.MaxStateSize(MaxStateSize);
            }

            if (IsBound(nameof(MaxValueSize)))
            {
                builder.MaxValueSize(MaxValueSize);
            }

            if (IsBound(nameof(MaxCacheEntries)))
            {
                builder.MaxCacheEntries(MaxCacheEntries);
            }

            if (IsBound(nameof(CleanupThreshold)))
            {
                builder.CleanupThreshold(CleanupThreshold);
            }

            if (IsBound(nameof(CleanupTarget)))
            {
                builder.CleanupTarget(CleanupTarget);
            }

            if (IsBound(nameof(AutoCleanup)))
            {
                builder.AutoCleanup(AutoCleanup.IsPresent);
            }

            if (IsBound(nameof(EnableStreaming)))
            {
                builder.EnableStreaming(EnableStreaming.IsPresent);
            }

            if (IsBound(nameof(StreamChunkSize)))
            {
                builder.StreamChunkSize(StreamChunkSize);
            }

            if (IsBound(nameof(PredictionHorizon)))
            {
                builder.PredictionHorizon(PredictionHorizon);
            }

            if (IsBound(nameof(PredictiveCleanup)))
            {
                builder.PredictiveCleanup(PredictiveCleanup.IsPresent);
            }

            return builder.Build();
        }

        private bool IsBound(string parameterName) => MyInvocation.BoundParameters.ContainsKey(parameterName);
    }
}
