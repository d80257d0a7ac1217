using System.Globalization;

namespace AgentFlow.Resources
{
    /// <summary>
    /// The few phrases every message shares, in one place: entry counts ("1 entry", "2 entries"),
    /// percentages of a fraction, and keys shortened for text.
    /// </summary>
    public static class Wording
    {
        /// <summary>How many characters of a key a message shows before eliding the rest.</summary>
        public const int MaxKeyLength = 64;

        /// <summary>"1 entry", "2 entries".</summary>
        public static string Entries(long count) =>
            count == 1 ? "1 entry" : count.ToString(CultureInfo.InvariantCulture) + " entries";

        /// <summary>A fraction as a percentage with up to two decimals: 0.8 is "80 %", 0.001 is "0.1 %".</summary>
        public static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";

        /// <summary>A fraction as a percentage with exactly one decimal, for usage figures that change often: "80.0 %".</summary>
        public static string Usage(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

        /// <summary>
        /// A key as a message shows it: whole up to <see cref="MaxKeyLength"/> characters, else its start and
        /// end around a visible "…" with the number of characters left out. Properties keep the whole key.
        /// </summary>
        public static string Key(string key)
        {
            if (key == null || key.Length <= MaxKeyLength)
            {
                return key ?? string.Empty;
            }

            // Never cut a surrogate pair in half: a lone surrogate is not text.
            int head = char.IsHighSurrogate(key[39]) ? 39 : 40;
            int tailStart = char.IsLowSurrogate(key[key.Length - 16]) ? key.Length - 15 : key.Length - 16;
            int omitted = tailStart - head;
            return key.Substring(0, head) + "…(" + omitted.ToString(CultureInfo.InvariantCulture) + " more)…" + key.Substring(tailStart);
        }
    }
}
