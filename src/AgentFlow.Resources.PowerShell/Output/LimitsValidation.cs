using System.Collections.Generic;

namespace AgentFlow.Resources.PowerShell
{
    /// <summary>What <c>Test-ResourceLimits -Detailed</c> returns: whether the limits are valid and every problem found.</summary>
    public sealed class LimitsValidation
    {
        /// <summary>Creates the result for the limits.</summary>
        public LimitsValidation(ResourceLimits limits)
        {
            Limits = limits;
            IReadOnlyList<string> problems = limits.Validate();
            Problems = new string[problems.Count];
            for (int i = 0; i < problems.Count; i++)
            {
                Problems[i] = problems[i];
            }
        }

        /// <summary>True when there is no problem.</summary>
        public bool IsValid => Problems.Length == 0;

        /// <summary>Every problem, each a sentence naming the property and its value.</summary>
        public string[] Problems { get; }

        /// <summary>The limits tested.</summary>
        public ResourceLimits Limits { get; }

        /// <inheritdoc />
        public override string ToString() => IsValid ? "Valid: " + Limits : "Invalid: " + string.Join(" ", Problems);
    }
}
