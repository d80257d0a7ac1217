namespace AgentFlow.Resources.Configuration
{
    /// <summary>What kind of problem a limits document has.</summary>
    public enum LimitsProblemKind
    {
        /// <summary>A key that is not a limit name; <see cref="LimitsProblem.Suggestion"/> is the closest one.</summary>
        UnknownKey,

        /// <summary>A value of the wrong kind (not a size, not a number, ...), a key given twice, or limits that fail validation.</summary>
        InvalidValue,

        /// <summary>The document is not shaped as limits: not a mapping, or a section that is not a mapping.</summary>
        InvalidStructure,
    }

    /// <summary>One problem of a limits document, with the line to fix.</summary>
    public sealed class LimitsProblem
    {
        internal LimitsProblem(LimitsProblemKind kind, int line, string message, string? key = null, string? suggestion = null)
        {
            Kind = kind;
            Line = line;
            Message = message;
            Key = key;
            Suggestion = suggestion;
        }

        /// <summary>What kind of problem it is.</summary>
        public LimitsProblemKind Kind { get; }

        /// <summary>The 1-based line to fix; 0 when the document did not come from a file.</summary>
        public int Line { get; }

        /// <summary>What is wrong, without the line.</summary>
        public string Message { get; }

        /// <summary>The key as written, when the problem is about one key.</summary>
        public string? Key { get; }

        /// <summary>For an unknown key: the closest known key, written in the style of the unknown one.</summary>
        public string? Suggestion { get; }

        /// <summary>"line N: message", or the message alone when there is no line.</summary>
        public override string ToString() => Line > 0 ? $"line {Line}: {Message}" : Message;
    }
}
