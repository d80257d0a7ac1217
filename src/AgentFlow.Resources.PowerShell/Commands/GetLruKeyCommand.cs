using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Get-LruKey: up to -Count keys, least recently used first (pinned ones included).</summary>
    [Cmdlet(VerbsCommon.Get, "LruKey")]
    [OutputType(typeof(string))]
    public sealed class GetLruKeyCommand : MonitorCmdlet
    {
        /// <summary>How many keys (default 10).</summary>
        [Parameter(Position = 0)]
        [ValidateRange(0, int.MaxValue)]
        public int Count { get; set; } = 10;

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            StateMonitor monitor = ResolveMonitor();
            if (RequireCapability(monitor, StoreCapabilities.LruOrder, "keep LRU order"))
            {
                WriteObject(monitor.GetLruKeys(Count), enumerateCollection: true);
            }
        }
    }
}
