using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Measure-AllocationSize: the estimated payload of the objects piped in, each object counted once.</summary>
    [Cmdlet(VerbsDiagnostic.Measure, "AllocationSize")]
    [OutputType(typeof(SizeMeasurement))]
    public sealed class MeasureAllocationSizeCommand : PSCmdlet
    {
        private readonly PSObjectSizeEstimator _estimator = new PSObjectSizeEstimator();

        /// <summary>The object to measure; from the pipeline, each object in turn.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowNull]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public object? InputObject { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord() => _estimator.Add(InputObject);

        /// <inheritdoc />
        protected override void EndProcessing() => WriteObject(_estimator.ToMeasurement());
    }
}
