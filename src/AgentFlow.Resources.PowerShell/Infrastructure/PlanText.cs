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
        /// <summary>At most this many entries are listed; the rest are counted.</summary>
        public const int MaxListedEntries = 20;

        /// <summary>
        /// Appends one indented line per entry (key elided, resident size), the first <see cref="MaxListedEntries"/> only,
        /// then "… and N more" pointing to Get-LruKey, which lists keys in the same least-recently-used order.
        /// </summary>
        /// <param name="text">The description being built.</param>
        /// <param name="entries">The entries, least recently used first.</param>
        /// <param name="lruKeysCovering">How many Get-LruKey must list to include every entry (pinned keys are listed too).</param>
        public static StringBuilder AppendEntries(this StringBuilder text, IReadOnlyList<AllocationEntry> entries, long lruKeysCovering)
        {
            int listed = entries.Count <= MaxListedEntries ? entries.Count : MaxListedEntries;
            for (int i = 0; i < listed; i++)
            {
                AllocationEntry entry = entries[i];
                text.AppendLine().Append("  ").Append(Wording.Key(entry.Key)).Append(" (").Append(ByteSize.Format(entry.ResidentSize)).Append(')');
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
