using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using AgentFlow.Resources.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AgentFlow.Resources.Yaml
{
    /// <summary>
    /// YAML through YamlDotNet's parser and emitter. Plain scalars are typed by the YAML 1.2 core schema (null,
    /// true/false, integers, floats; everything else is a string); quoted scalars are strings. Loaded by the module
    /// in its own AssemblyLoadContext, never referenced directly.
    /// </summary>
    public sealed class YamlConfigFormat : IConfigFormat
    {
        private static readonly Regex Integer = new Regex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant);
        private static readonly Regex Float = new Regex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);

        /// <inheritdoc />
        public string Name => "YAML";

        /// <inheritdoc />
        public ConfigNode Read(string text)
        {
            var parser = new Parser(new StringReader(text));
            var anchors = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
            try
            {
                parser.Consume<StreamStart>();
                if (parser.Accept<StreamEnd>(out _))
                {
                    throw new ConfigSyntaxException(1, "the document is empty; expected a mapping such as 'max_state_size: 100MB'.");
                }

                parser.Consume<DocumentStart>();
                ConfigNode root = ReadNode(parser, anchors);
                parser.Consume<DocumentEnd>();
                if (!parser.Accept<StreamEnd>(out _))
                {
                    throw new ConfigSyntaxException(Line(parser.Current!.Start), "the file holds more than one YAML document ('---'); put the limits in one.");
                }

                return root;
            }
            catch (YamlException e)
            {
                throw new ConfigSyntaxException(Line(e.Start), Describe(e));
            }
        }

        /// <inheritdoc />
        public string Write(ConfigMapping root)
        {
            var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            var emitter = new Emitter(writer);
            emitter.Emit(new StreamStart());
            emitter.Emit(new DocumentStart());
            WriteNode(emitter, root);
            emitter.Emit(new DocumentEnd(isImplicit: true));
            emitter.Emit(new StreamEnd());
            return writer.ToString();
        }

        private static ConfigNode ReadNode(IParser parser, Dictionary<string, ConfigNode> anchors)
        {
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                if (anchors.TryGetValue(alias.Value.Value, out ConfigNode? target))
                {
                    return target;
                }

                throw new ConfigSyntaxException(Line(alias.Start), $"the alias *{alias.Value} refers to no anchor.");
            }

            ConfigNode node;
            AnchorName anchor;
            if (parser.TryConsume<Scalar>(out var scalar))
            {
                anchor = scalar.Anchor;
                node = new ConfigScalar(Line(scalar.Start), Resolve(scalar));
            }
            else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
            {
                anchor = sequenceStart.Anchor;
                var items = new List<ConfigNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, anchors));
                }

                node = new ConfigSequence(Line(sequenceStart.Start), items);
            }
            else
            {
                MappingStart mappingStart = parser.Consume<MappingStart>();
                anchor = mappingStart.Anchor;
                var entries = new List<ConfigEntry>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    Mark keyStart = parser.Current!.Start;
                    ConfigNode key = ReadNode(parser, anchors);
                    if (!(key is ConfigScalar { Value: { } keyValue }))
                    {
                        throw new ConfigSyntaxException(Line(keyStart), "a key must be a plain name such as max_state_size.");
                    }

                    entries.Add(new ConfigEntry(Convert.ToString(keyValue, CultureInfo.InvariantCulture)!, Line(keyStart), ReadNode(parser, anchors)));
                }

                node = new ConfigMapping(Line(mappingStart.Start), entries);
            }

            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = node;
            }

            return node;
        }

        // The YAML 1.2 core schema for plain scalars; quoted scalars and explicit !!str are strings.
        private static object? Resolve(Scalar scalar) =>
            scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str")
                ? scalar.Value
                : ResolvePlain(scalar.Value);

        private static object? ResolvePlain(string value)
        {
            switch (value)
            {
                case "":
                case "~":
                case "null":
                case "Null":
                case "NULL":
                    return null;
                case "true":
                case "True":
                case "TRUE":
                    return true;
                case "false":
                case "False":
                case "FALSE":
                    return false;
            }

            if (Integer.IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
            {
                return integer;
            }

            if (Float.IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
            {
                return number;
            }

            return value;
        }

        private static void WriteNode(IEmitter emitter, ConfigNode node)
        {
            switch (node)
            {
                case ConfigMapping mapping:
                    emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
                    foreach (ConfigEntry entry in mapping.Entries)
                    {
                        emitter.Emit(new Scalar(entry.Key));
                        WriteNode(emitter, entry.Value);
                    }

                    emitter.Emit(new MappingEnd());
                    break;
                case ConfigSequence sequence:
                    emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Block));
                    foreach (ConfigNode item in sequence.Items)
                    {
                        WriteNode(emitter, item);
                    }

                    emitter.Emit(new SequenceEnd());
                    break;
                case ConfigScalar scalar:
                    emitter.Emit(WriteScalar(scalar.Value));
                    break;
            }
        }

        private static Scalar WriteScalar(object? value)
        {
            switch (value)
            {
                case null:
                    return new Scalar("null");
                case bool b:
                    return new Scalar(b ? "true" : "false");
                case double d:
                    return new Scalar(d.ToString("R", CultureInfo.InvariantCulture));
                case long _:
                case int _:
                case decimal _:
                    return new Scalar(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                default:
                    // A string that the core schema would read as something else is quoted.
                    string text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                    bool plain = ResolvePlain(text) is string;
                    return new Scalar(AnchorName.Empty, TagName.Empty, text, plain ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted, plain, !plain);
            }
        }

        private static int Line(Mark mark) => (int)Math.Min(int.MaxValue, mark.Line);

        // YamlDotNet's messages start with the position, which the caller states already.
        private static string Describe(YamlException e)
        {
            string message = e.Message;
            int close = message.IndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith("(", StringComparison.Ordinal) && close > 0)
            {
                message = message.Substring(close + 3);
            }

            return message.TrimEnd('.') + ".";
        }
    }
}
