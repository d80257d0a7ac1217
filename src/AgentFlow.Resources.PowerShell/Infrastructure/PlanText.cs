using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// The lists of entries in the -WhatIf/-Confirm descriptions of the commands that evict (Invoke-ResourceCleanup,
    /// Add-Allocation), readable however many entries there are.
    /// </summary>
    internal static class PlanText
    {
        /// <summary>
        /// What Add-Allocation would do: record (or replace, pin, stream) the value, and what automatic cleanup would evict
        /// to admit it and at the threshold after it; or that a limit would reject it and nothing would change.
        /// </summary>
        public static string DescribeAllocation(AllocationPlan plan, long maxStateSize)
        {
            var text = new StringBuilder();
            text.Append(plan.Replaced == null ? "Record" : "Replace").Append(plan.Pin ? " and pin '" : " '").Append(Wording.Key(plan.Key)).Append("' (")
                .Append(ByteSize.Format(plan.Size));
            if (plan.Replaced != null)
            {
                text.Append(", was ").Append(ByteSize.Format(plan.Replaced.Size));
            }

            if (plan.IsStreamed)
            {
                text.Append(", streamed: ").Append(ByteSize.Format(plan.ResidentSize)).Append(" resident");
            }

            text.Append(") in state monitor '").Append(plan.MonitorName).Append('\'');
            if (!plan.WouldRecord)
            {
                (string _, string detail, string _) = ErrorRecords.LimitDetail(plan.RejectedResource, plan.AttemptedValue, plan.Limit);
                text.Append(": it would be rejected, ").Append(detail)
                    .Append(plan.CleanupCannotHelp ? ", and evicting every unpinned entry would not make room" : string.Empty)
                    .Append(". Nothing would change.");
                return text.ToString();
            }

            text.Append(", from ").Append(ByteSize.Format(plan.SizeBefore)).Append(" to ").Append(ByteSize.Format(plan.SizeAfter)).Append(" of ").Append(ByteSize.Format(maxStateSize));
            if (plan.Evictions.Count == 0)
            {
                return text.Append("; automatic cleanup would evict nothing.").ToString();
            }

            // The evictions are unpinned entries in LRU order: that many keys, the pins and the key itself cover them all.
            return text.Append("; automatic cleanup would evict ").Append(Wording.Entries(plan.Evictions.Count))
                .Append(" (").Append(ByteSize.Format(plan.BytesToFree)).Append("), least recently used first:")
                .AppendEntries(plan.Evictions, plan.Evictions.Count + plan.PinnedCount + 1)
                .ToString();
        }

        /// <summary>
        /// Appends one indented line per entry (<see cref="EntryList.Describe"/>), the first <see cref="EntryList.MaxListed"/> only,
        /// then "… and N more" pointing to Get-LruKey, which lists keys in the same least-recently-used order.
        /// </summary>
        /// <param name="text">The description being built.</param>
        /// <param name="entries">The entries, least recently used first.</param>
        /// <param name="lruKeysCovering">How many Get-LruKey must list to include every entry (pinned keys are listed too).</param>
        public static StringBuilder AppendEntries(this StringBuilder text, IReadOnlyList<AllocationEntry> entries, long lruKeysCovering)
        {
            int listed = entries.Count <= EntryList.MaxListed ? entries.Count : EntryList.MaxListed;
            for (int i = 0; i < listed; i++)
            {
                text.AppendLine().Append("  ").Append(EntryList.Describe(entries[i]));
            }

            if (entries.Count > listed)
            {
                text.AppendLine().Append("  \u2026 and ").Append((entries.Count - listed).ToString(CultureInfo.InvariantCulture))
                    .Append(" more; Get-LruKey ").Append(lruKeysCovering.ToString(CultureInfo.InvariantCulture))
                    .Append(" lists them all, least recently used first.");
            }

            return text;
        }
    }
}
