using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>One problem of <see cref="ResourceLimits.Validate"/> and the properties it is about, first the one to fix.</summary>
    internal sealed class LimitsViolation
    {
        public LimitsViolation(string message, params string[] properties)
        {
            Message = message;
            Properties = properties;
        }

        public string Message { get; }

        public IReadOnlyList<string> Properties { get; }
    }
}
