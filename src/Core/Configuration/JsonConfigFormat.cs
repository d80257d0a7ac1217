using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AgentFlow.Resources.Configuration
{
    /// <summary>
    /// JSON (RFC 8259) read into <see cref="ConfigNode"/>s with the line of every key and value. A small reader of
    /// its own rather than System.Text.Json: netstandard2.0 has no JSON reader, another assembly in the module is a
    /// conflict risk, and System.Text.Json does not report lines of values that parsed well.
    /// </summary>
    public sealed class JsonConfigFormat : IConfigFormat
    {
        /// <summary>The one instance (the format has no state).</summary>
        public static JsonConfigFormat Instance { get; } = new JsonConfigFormat();

        /// <inheritdoc />
        public string Name => "JSON";

        /// <inheritdoc />
        public ConfigNode Read(string text) => new Reader(text).ReadDocument();

        /// <inheritdoc />
        public string Write(ConfigMapping root)
        {
            var builder = new StringBuilder();
            WriteNode(builder, root, 0);
            builder.Append('\n');
            return builder.ToString();
        }

        private static void WriteNode(StringBuilder builder, ConfigNode node, int depth)
        {
            switch (node)
            {
                case ConfigMapping mapping:
                    WriteContainer(builder, '{', '}', mapping.Entries.Count, depth, (i, d) =>
                    {
                        WriteString(builder, mapping.Entries[i].Key);
                        builder.Append(": ");
                        WriteNode(builder, mapping.Entries[i].Value, d);
                    });
                    break;
                case ConfigSequence sequence:
                    WriteContainer(builder, '[', ']', sequence.Items.Count, depth, (i, d) => WriteNode(builder, sequence.Items[i], d));
                    break;
                case ConfigScalar scalar:
                    WriteScalar(builder, scalar.Value);
                    break;
            }
        }

        private static void WriteContainer(StringBuilder builder, char open, char close, int count, int depth, Action<int, int> writeItem)
        {
            builder.Append(open);
            for (int i = 0; i < count; i++)
            {
                builder.Append(i == 0 ? "\n" : ",\n").Append(' ', (depth + 1) * 2);
                writeItem(i, depth + 1);
            }

            if (count > 0)
            {
                builder.Append('\n').Append(' ', depth * 2);
            }

            builder.Append(close);
        }

        private static void WriteScalar(StringBuilder builder, object? value)
        {
            switch (value)
            {
                case null:
                    builder.Append("null");
                    break;
                case bool b:
                    builder.Append(b ? "true" : "false");
                    break;
                case double d when !double.IsNaN(d) && !double.IsInfinity(d):
                    builder.Append(d.ToString("R", CultureInfo.InvariantCulture));
                    break;
                case float f when !float.IsNaN(f) && !float.IsInfinity(f):
                    builder.Append(((double)f).ToString("R", CultureInfo.InvariantCulture));
                    break;
                case long _:
                case int _:
                case decimal _:
                    builder.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
                default:
                    WriteString(builder, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                    break;
            }
        }

        private static void WriteString(StringBuilder builder, string text)
        {
            builder.Append('"');
            foreach (char c in text)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    default:
                        if (c < ' ')
                        {
                            builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            builder.Append('"');
        }

        // Recursive descent over the text; tracks the line so that every node knows where it starts.
        private sealed class Reader
        {
            private const int MaxDepth = 64;
            private readonly string _text;
            private int _position;
            private int _line = 1;

            public Reader(string text)
            {
                _text = text;
                // A UTF-8 byte order mark decoded as text.
                if (_text.Length > 0 && _text[0] == '\uFEFF')
                {
                    _position = 1;
                }
            }

            public ConfigNode ReadDocument()
            {
                SkipWhitespace();
                if (_position >= _text.Length)
                {
                    throw new ConfigSyntaxException(_line, "the document is empty; expected a JSON object such as { \"max_state_size\": \"100MB\" }.");
                }

                ConfigNode root = ReadValue(0);
                SkipWhitespace();
                if (_position < _text.Length)
                {
                    throw Error($"unexpected '{_text[_position]}' after the end of the document.");
                }

                return root;
            }

            private ConfigNode ReadValue(int depth)
            {
                if (depth > MaxDepth)
                {
                    throw Error($"the document is nested more than {MaxDepth} levels deep.");
                }

                SkipWhitespace();
                if (_position >= _text.Length)
                {
                    throw Error("the document ends where a value was expected (is it truncated?).");
                }

                int line = _line;
                char c = _text[_position];
                switch (c)
                {
                    case '{':
                        return ReadObject(line, depth);
                    case '[':
                        return ReadArray(line, depth);
                    case '"':
                        return new ConfigScalar(line, ReadString());
                    case 't':
                        ExpectWord("true");
                        return new ConfigScalar(line, true);
                    case 'f':
                        ExpectWord("false");
                        return new ConfigScalar(line, false);
                    case 'n':
                        ExpectWord("null");
                        return new ConfigScalar(line, null);
                    default:
                        if (c == '-' || (c >= '0' && c <= '9'))
                        {
                            return new ConfigScalar(line, ReadNumber());
                        }

                        if (char.IsLetter(c))
                        {
                            ExpectWord(string.Empty);
                        }

                        throw Error($"unexpected '{c}'; expected a value (an object, a list, a string in double quotes, a number, true, false or null).");
                }
            }

            private ConfigMapping ReadObject(int line, int depth)
            {
                _position++;
                var entries = new List<ConfigEntry>();
                SkipWhitespace();
                if (TryConsume('}'))
                {
                    return new ConfigMapping(line, entries);
                }

                while (true)
                {
                    SkipWhitespace();
                    if (_position >= _text.Length || _text[_position] != '"')
                    {
                        throw Error(_position >= _text.Length
                            ? "the document ends inside an object (is it truncated?)."
                            : $"unexpected '{_text[_position]}'; expected a key in double quotes.");
                    }

                    int keyLine = _line;
                    string key = ReadString();
                    SkipWhitespace();
                    if (!TryConsume(':'))
                    {
                        throw Error($"expected ':' after the key \"{key}\".");
                    }

                    entries.Add(new ConfigEntry(key, keyLine, ReadValue(depth + 1)));
                    SkipWhitespace();
                    if (TryConsume(','))
                    {
                        continue;
                    }

                    if (TryConsume('}'))
                    {
                        return new ConfigMapping(line, entries);
                    }

                    throw Error(_position >= _text.Length ? "the document ends inside an object (is it truncated?)." : $"unexpected '{_text[_position]}'; expected ',' or '}}'.");
                }
            }

            private ConfigSequence ReadArray(int line, int depth)
            {
                _position++;
                var items = new List<ConfigNode>();
                SkipWhitespace();
                if (TryConsume(']'))
                {
                    return new ConfigSequence(line, items);
                }

                while (true)
                {
                    items.Add(ReadValue(depth + 1));
                    SkipWhitespace();
                    if (TryConsume(','))
                    {
                        continue;
                    }

                    if (TryConsume(']'))
                    {
                        return new ConfigSequence(line, items);
                    }

                    throw Error(_position >= _text.Length ? "the document ends inside a list (is it truncated?)." : $"unexpected '{_text[_position]}'; expected ',' or ']'.");
                }
            }

            private string ReadString()
            {
                _position++;
                var builder = new StringBuilder();
                while (_position < _text.Length)
                {
                    char c = _text[_position++];
                    if (c == '"')
                    {
                        return builder.ToString();
                    }

                    if (c == '\n' || c == '\r')
                    {
                        throw Error("a string must end on the line it starts (a line break in a string is written \\n).");
                    }

                    if (c != '\\')
                    {
                        builder.Append(c);
                        continue;
                    }

                    if (_position >= _text.Length)
                    {
                        break;
                    }

                    char escape = _text[_position++];
                    switch (escape)
                    {
                        case '"': builder.Append('"'); break;
                        case '\\': builder.Append('\\'); break;
                        case '/': builder.Append('/'); break;
                        case 'b': builder.Append('\b'); break;
                        case 'f': builder.Append('\f'); break;
                        case 'n': builder.Append('\n'); break;
                        case 'r': builder.Append('\r'); break;
                        case 't': builder.Append('\t'); break;
                        case 'u':
                            if (_position + 4 > _text.Length ||
                                !int.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                            {
                                throw Error("\\u must be followed by four hexadecimal digits.");
                            }

                            builder.Append((char)code);
                            _position += 4;
                            break;
                        default:
                            throw Error($"'\\{escape}' is not a JSON escape.");
                    }
                }

                throw Error("the document ends inside a string (is it truncated?).");
            }

            private object ReadNumber()
            {
                int start = _position;
                while (_position < _text.Length && "+-0123456789.eE".IndexOf(_text[_position]) >= 0)
                {
                    _position++;
                }

                string token = _text.Substring(start, _position - start);
                bool whole = token.IndexOfAny(new[] { '.', 'e', 'E' }) < 0;
                if (whole && long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
                {
                    return integer;
                }

                if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && !double.IsInfinity(number))
                {
                    return number;
                }

                throw Error($"'{token}' is not a number.");
            }

            private void ExpectWord(string word)
            {
                if (word.Length == 0 || string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0)
                {
                    int end = _position;
                    while (end < _text.Length && char.IsLetterOrDigit(_text[end]))
                    {
                        end++;
                    }

                    throw Error($"'{_text.Substring(_position, Math.Max(1, end - _position))}' is not a JSON value; strings are written in double quotes.");
                }

                _position += word.Length;
            }

            private bool TryConsume(char c)
            {
                if (_position < _text.Length && _text[_position] == c)
                {
                    _position++;
                    return true;
                }

                return false;
            }

            private void SkipWhitespace()
            {
                while (_position < _text.Length)
                {
                    char c = _text[_position];
                    if (c == '\n')
                    {
                        _line++;
                    }
                    else if (c != ' ' && c != '\t' && c != '\r')
                    {
                        return;
                    }

                    _position++;
                }
            }

            private ConfigSyntaxException Error(string problem) => new ConfigSyntaxException(_line, problem);
        }
    }
}
