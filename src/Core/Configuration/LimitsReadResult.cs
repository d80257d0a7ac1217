using System.Collections.Generic;

namespace AgentFlow.Resources.Configuration
{
    /// <summary>What <see cref="LimitsDocument.Read"/> found: the limits, and every problem of the document.</summary>
    public sealed class LimitsReadResult
    {
        internal LimitsReadResult(ResourceLimits? limits, IReadOnlyList<LimitsProblem> problems, IReadOnlyDictionary<string, int> propertyLines, ISet<string> unreadableProperties, int fallbackLine)
        {
            Limits = limits;
            Problems = problems;
            PropertyLines = propertyLines;
            UnreadableProperties = unreadableProperties;
            FallbackLine = fallbackLine;
        }

        /// <summary>
        /// The preset with every readable value laid over it (may fail validation); null when the document is
        /// not shaped as limits (<see cref="LimitsProblemKind.InvalidStructure"/>).
        /// </summary>
        public ResourceLimits? Limits { get; }

        /// <summary>Every problem in document order: unknown keys, unreadable values, structure; not validation (see <see cref="LimitsDocument.Validate"/>).</summary>
        public IReadOnlyList<LimitsProblem> Problems { get; }

        // The line of each ResourceLimits property the document set (by property name), and the line to blame for
        // a problem with values that came from the preset or the defaults (the preset key, else the limits mapping).
        internal IReadOnlyDictionary<string, int> PropertyLines { get; }

        internal int FallbackLine { get; }

        // The properties whose values were given but could not be read.
        internal ISet<string> UnreadableProperties { get; }
    }
}
