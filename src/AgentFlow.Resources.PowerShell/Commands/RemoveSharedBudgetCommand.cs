using System.Management.Automation;
using System.Net;
using AgentFlow.Resources.PowerShell.Binding;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>
    /// Remove-SharedBudget: deletes every key of a budget shared through Redis (entries, counters, alerts and stored
    /// limits) for every process and host attached to it. High impact: it asks for confirmation unless -Confirm:$false.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "SharedBudget", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveSharedBudgetCommand : PSCmdlet
    {
        /// <summary>The budget's name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateMonitorName]
        public string? Name { get; set; }

        /// <summary>A StackExchange.Redis configuration string.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string? Redis { get; set; }

        /// <summary>The Redis ACL user and password.</summary>
        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential? Credential { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var options = new RedisStoreOptions(Redis!, Name!)
            {
                Credential = Credential == null ? null : new NetworkCredential(Credential.UserName, Credential.Password),
            };
            if (!ShouldProcess($"Shared budget '{Name}' in Redis ({options.DisplayConfiguration}): every entry, counter, alert and the stored limits, for every process attached", "Delete shared budget"))
            {
                return;
            }

            if (SharedBudgets.TryDelete(this, options, out long keys))
            {
                WriteVerbose($"Deleted {keys} key(s) of the shared budget '{Name}'.");
            }
        }
    }
}
