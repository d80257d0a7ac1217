using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AgentFlow.Resources.PowerShell
{
    /// <summary>
    /// Lists of entries in text (the Evicted and Candidates lines of the cleanup views, -WhatIf plans): one entry per
    /// line as "key (resident size)", keys shortened by <see cref="Wording.Key"/>, at most <see cref="MaxListed"/>
    /// entries and then how many more. Public because the format file calls it.
    /// </summary>
    public static class EntryList
    {
        /// <summary>At most this many entries are listed; the rest are counted.</summary>
        public const int MaxListed = 20;

        /// <summary>One entry as a list shows it: "key (resident size)".</summary>
        public static string Describe(AllocationEntry entry) =>
            Wording.Key(entry?.Key!) + " (" + ByteSize.Format(entry?.ResidentSize ?? 0) + ")";

        /// <summary>The entries one per line; past <see cref="MaxListed"/>, a last line says how many more <paramref name="propertyName"/> holds.</summary>
        public static string Format(IReadOnlyList<AllocationEntry>? entries, string propertyName)
        {
            if (entries == null || entries.Count == 0)
            {
                return string.Empty;
            }

            var text = new StringBuilder();
            int listed = Math.Min(entries.Count, MaxListed);
            for (int i = 0; i < listed; i++)
            {
                text.Append(i == 0 ? string.Empty : Environment.NewLine).Append(Describe(entries[i]));
            }

            if (entries.Count > listed)
            {
                text.Append(Environment.NewLine).Append("\u2026 and ").Append((entries.Count - listed).ToString(CultureInfo.InvariantCulture))
                    .Append(" more (the ").Append(propertyName).Append(" property holds them all)");
            }

            return text.ToString();
        }
    }
}
