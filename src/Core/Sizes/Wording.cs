using System.Globalization;

namespace AgentFlow.Resources
{
    /// <summary>Counts in messages: "1 entry", "2 entries".</summary>
    internal static class Wording
    {
        public static string Entries(long count) =>
            count == 1 ? "1 entry" : count.ToString(CultureInfo.InvariantCulture) + " entries";
    }
}
