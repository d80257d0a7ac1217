using System;

namespace AgentFlow.Resources.Configuration
{
    /// <summary>A configuration document is not well-formed; <see cref="Line"/> says where.</summary>
    public sealed class ConfigSyntaxException : FormatException
    {
        /// <summary>Creates the exception for a problem at <paramref name="line"/> (1-based; 0 when unknown).</summary>
        public ConfigSyntaxException(int line, string problem)
            : base(line > 0 ? $"line {line}: {problem}" : problem)
        {
            Line = line;
            Problem = problem;
        }

        /// <summary>The 1-based line of the problem; 0 when unknown.</summary>
        public int Line { get; }

        /// <summary>What is wrong, without the line.</summary>
        public string Problem { get; }
    }
}
