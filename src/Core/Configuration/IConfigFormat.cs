namespace AgentFlow.Resources.Configuration
{
    /// <summary>
    /// A text format of configuration documents (JSON in Core, YAML in the isolated YAML bridge, PowerShell
    /// data files in the module): parses text into <see cref="ConfigNode"/>s with line numbers and writes them back.
    /// </summary>
    public interface IConfigFormat
    {
        /// <summary>The format's name for messages, such as "YAML".</summary>
        string Name { get; }

        /// <summary>Parses a whole document.</summary>
        /// <returns>The document's root node.</returns>
        /// <exception cref="ConfigSyntaxException">The text is not a well-formed document of this format.</exception>
        ConfigNode Read(string text);

        /// <summary>Writes a document whose root is <paramref name="root"/>; the text ends with a line break.</summary>
        string Write(ConfigMapping root);
    }
}
