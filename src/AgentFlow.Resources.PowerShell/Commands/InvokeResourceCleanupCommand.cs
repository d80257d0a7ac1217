using System.Management.Automation;
using System.Text;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Invoke-ResourceCleanup: evicts least-recently-used unpinned entries down to a target; -WhatIf shows the plan.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "ResourceCleanup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CleanupResult))]
    public sealed class InvokeResourceCleanupCommand : MonitorCmdlet
    {
        private const string Caption = "Invoke resource cleanup";

        /// <summary>The target as a fraction of MaxStateSize (0..1); default: the limits' CleanupTarget.</summary>
        [Parameter(Position = 0)]
        [ValidateRange(0.0, 1.0)]
        public double TargetPercentage { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            StateMonitor monitor = ResolveMonitor();
            double target = MyInvocation.BoundParameters.ContainsKey(nameof(TargetPercentage)) ? TargetPercentage : monitor.Limits.CleanupTarget;
            if (!monitor.Has(StoreCapabilities.Cleanup))
            {
                CleanFastMonitor(monitor, target);
                return;
            }

            if (!TryInvoke(monitor, monitor, () => monitor.PlanCleanup(target), out CleanupPlan plan))
            {
                return;
            }

            string description = Describe(plan);
            if (ShouldProcess(description, description + " Continue?", Caption)
                && TryInvoke(monitor, monitor, () => monitor.Cleanup(target), out CleanupResult result))
            {
                WriteObject(result);
            }
        }

        // A fast monitor cannot clean up and has no plan to show. A real run lets the engine refuse, which raises the
        // CleanupFailed alert; a -WhatIf run (or a "no") must change nothing, so it only reports the refusal.
        private void CleanFastMonitor(StateMonitor monitor, double target)
        {
            string description = $"Clean up fast state monitor '{monitor.Name}' to {Wording.Percent(target)}.";
            if (ShouldProcess(description, description + " Continue?", Caption))
            {
                TryInvoke(monitor, monitor, () => monitor.Cleanup(target), out CleanupResult _, "clean up");
            }
            else
            {
                WriteError(ErrorRecords.NotSupportedByFastMonitor(monitor, "clean up"));
            }
        }

        private static string Describe(CleanupPlan plan)
        {
            string target = $"{Wording.Percent(plan.TargetPercentage)} ({ByteSize.Format(plan.TargetBytes)})";
            if (plan.Candidates.Count == 0)
            {
                return plan.TargetReached
                    ? $"Evict nothing from state monitor '{plan.MonitorName}': it holds {ByteSize.Format(plan.SizeBefore)}, already at or below the target {target}."
                    : $"Evict nothing from state monitor '{plan.MonitorName}': it holds {ByteSize.Format(plan.SizeBefore)}, over the target {target}, but {ByteSize.Format(plan.PinnedSize)} is pinned in {Wording.Entries(plan.PinnedCount)} and nothing else can be evicted.";
            }

            var text = new StringBuilder();
            text.Append($"Evict {Wording.Entries(plan.Candidates.Count)} ({ByteSize.Format(plan.BytesToFree)}) from state monitor '{plan.MonitorName}', ")
                .Append($"from {ByteSize.Format(plan.SizeBefore)} to {ByteSize.Format(plan.SizeAfter)} (target {target})");
            if (!plan.TargetReached)
            {
                text.Append($"; the target cannot be reached: {ByteSize.Format(plan.PinnedSize)} is pinned in {Wording.Entries(plan.PinnedCount)}");
            }

            // Candidates are the least recently used unpinned entries, so that many keys plus the pins cover them all.
            text.Append(", least recently used first:").AppendEntries(plan.Candidates, plan.Candidates.Count + plan.PinnedCount);
            return text.ToString();
        }
    }
}
