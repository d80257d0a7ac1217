using System.Collections.Generic;

namespace AgentFlow.Resources.Configuration
{
    /// <summary>
    /// A node of a configuration document (YAML, JSON, a PowerShell data file, or a hashtable), with the
    /// line it starts on, so that problems can be reported where the user wrote them.
    /// </summary>
    public abstract class ConfigNode
    {
        /// <summary>Creates a node starting on <paramref name="line"/>.</summary>
        protected ConfigNode(int line) => Line = line;

        /// <summary>The 1-based line the node starts on; 0 when the node did not come from a file.</summary>
        public int Line { get; }

        /// <summary>What the node is, for messages: "a mapping", "a list", "a number", ...</summary>
        public abstract string Describe();
    }

    /// <summary>A mapping: keys with values, in document order. Duplicate keys are kept, so that they can be reported.</summary>
    public sealed class ConfigMapping : ConfigNode
    {
        /// <summary>Creates a mapping starting on <paramref name="line"/>.</summary>
        public ConfigMapping(int line, IReadOnlyList<ConfigEntry> entries)
            : base(line) => Entries = entries;

        /// <summary>The entries in document order.</summary>
        public IReadOnlyList<ConfigEntry> Entries { get; }

        /// <inheritdoc />
        public override string Describe() => "a mapping";
    }

    /// <summary>One key of a mapping and its value.</summary>
    public sealed class ConfigEntry
    {
        /// <summary>Creates an entry whose key is on <paramref name="line"/>.</summary>
        public ConfigEntry(string key, int line, ConfigNode value)
        {
            Key = key;
            Line = line;
            Value = value;
        }

        /// <summary>The key as written.</summary>
        public string Key { get; }

        /// <summary>The 1-based line of the key; 0 when it did not come from a file.</summary>
        public int Line { get; }

        /// <summary>The value.</summary>
        public ConfigNode Value { get; }
    }

    /// <summary>A list of values.</summary>
    public sealed class ConfigSequence : ConfigNode
    {
        /// <summary>Creates a list starting on <paramref name="line"/>.</summary>
        public ConfigSequence(int line, IReadOnlyList<ConfigNode> items)
            : base(line) => Items = items;

        /// <summary>The items in document order.</summary>
        public IReadOnlyList<ConfigNode> Items { get; }

        /// <inheritdoc />
        public override string Describe() => "a list";
    }

    /// <summary>
    /// A single value: a string, a whole number (<see cref="long"/>), another number (<see cref="double"/> or
    /// <see cref="decimal"/>), a <see cref="bool"/>, null, or (from a hashtable) any other object. Formats
    /// resolve their own typing rules (YAML's plain scalars, JSON literals) before building the node.
    /// </summary>
    public sealed class ConfigScalar : ConfigNode
    {
        /// <summary>Creates a value starting on <paramref name="line"/>.</summary>
        public ConfigScalar(int line, object? value)
            : base(line) => Value = value;

        /// <summary>The value; null for an empty value.</summary>
        public object? Value { get; }

        /// <inheritdoc />
        public override string Describe() =>
            Value switch
            {
                null => "empty",
                string _ => "a string",
                bool _ => "a boolean",
                _ => "a " + Value.GetType().Name,
            };
    }
}
