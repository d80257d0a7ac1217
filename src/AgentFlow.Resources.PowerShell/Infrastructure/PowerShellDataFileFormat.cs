using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;
using System.Text.RegularExpressions;
using AgentFlow.Resources.Configuration;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// PowerShell data files (.psd1): one hashtable literal, read with PowerShell's parser as data only, like
    /// Import-PowerShellDataFile (constants, strings, numbers such as <c>100MB</c>, <c>$true</c>/<c>$false</c>,
    /// nested hashtables and arrays; no commands or variables), with the line of every key.
    /// </summary>
    internal sealed class PowerShellDataFileFormat : IConfigFormat
    {
        private static readonly Regex BareKey = new Regex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

        public static PowerShellDataFileFormat Instance { get; } = new PowerShellDataFileFormat();

        public string Name => "PowerShell data file";

        public ConfigNode Read(string text)
        {
            ScriptBlockAst script = Parser.ParseInput(text, out _, out ParseError[] errors);
            if (errors.Length > 0)
            {
                throw new ConfigSyntaxException(errors[0].Extent.StartLineNumber, errors[0].Message);
            }

            if (script.EndBlock is { Statements: { Count: 1 } statements } &&
                statements[0] is PipelineAst { PipelineElements: { Count: 1 } elements } &&
                elements[0] is CommandExpressionAst { Expression: HashtableAst hashtable } &&
                script.BeginBlock == null && script.ProcessBlock == null && script.ParamBlock == null)
            {
                return ReadHashtable(hashtable);
            }

            throw new ConfigSyntaxException(script.Extent.StartLineNumber, "a PowerShell data file must hold one hashtable, @{ ... }, and nothing else.");
        }

        public string Write(ConfigMapping root)
        {
            var builder = new StringBuilder();
            WriteNode(builder, root, 0);
            builder.Append('\n');
            return builder.ToString();
        }

        private static ConfigMapping ReadHashtable(HashtableAst hashtable)
        {
            var entries = new List<ConfigEntry>();
            foreach (Tuple<ExpressionAst, StatementAst> pair in hashtable.KeyValuePairs)
            {
                string key = pair.Item1 is StringConstantExpressionAst constant
                    ? constant.Value
                    : Convert.ToString(SafeValue(pair.Item1), CultureInfo.InvariantCulture) ?? string.Empty;
                entries.Add(new ConfigEntry(key, pair.Item1.Extent.StartLineNumber, ReadStatement(pair.Item2)));
            }

            return new ConfigMapping(hashtable.Extent.StartLineNumber, entries);
        }

        private static ConfigNode ReadStatement(StatementAst statement)
        {
            if (statement is PipelineAst { PipelineElements: { Count: 1 } elements } && elements[0] is CommandExpressionAst command)
            {
                return ReadExpression(command.Expression);
            }

            throw new ConfigSyntaxException(statement.Extent.StartLineNumber, $"'{statement.Extent.Text}' is not a constant value; a data file holds values only.");
        }

        private static ConfigNode ReadExpression(ExpressionAst expression)
        {
            switch (expression)
            {
                case HashtableAst hashtable:
                    return ReadHashtable(hashtable);
                case ArrayLiteralAst array:
                    return ReadArray(expression, array.Elements);
                case ArrayExpressionAst { SubExpression: { Statements: var statements } }:
                    var items = new List<ConfigNode>();
                    foreach (StatementAst statement in statements)
                    {
                        items.Add(ReadStatement(statement));
                    }

                    return new ConfigSequence(expression.Extent.StartLineNumber, items);
                default:
                    return new ConfigScalar(expression.Extent.StartLineNumber, SafeValue(expression));
            }
        }

        private static ConfigSequence ReadArray(ExpressionAst expression, IReadOnlyList<ExpressionAst> elements)
        {
            var items = new List<ConfigNode>();
            foreach (ExpressionAst element in elements)
            {
                items.Add(ReadExpression(element));
            }

            return new ConfigSequence(expression.Extent.StartLineNumber, items);
        }

        // PowerShell's own rule for data: constants and $true/$false/$null only, never running anything.
        private static object? SafeValue(ExpressionAst expression)
        {
            try
            {
                object? value = expression.SafeGetValue();
                return value is PSObject wrapped ? wrapped.BaseObject : value;
            }
            catch (InvalidOperationException)
            {
                throw new ConfigSyntaxException(expression.Extent.StartLineNumber, $"'{expression.Extent.Text}' is not a constant value; a data file holds values only.");
            }
        }

        private static void WriteNode(StringBuilder builder, ConfigNode node, int depth)
        {
            switch (node)
            {
                case ConfigMapping mapping:
                    builder.Append("@{");
                    int width = 0;
                    foreach (ConfigEntry entry in mapping.Entries)
                    {
                        width = Math.Max(width, Key(entry.Key).Length);
                    }

                    foreach (ConfigEntry entry in mapping.Entries)
                    {
                        builder.Append('\n').Append(' ', (depth + 1) * 4).Append(Key(entry.Key).PadRight(width)).Append(" = ");
                        WriteNode(builder, entry.Value, depth + 1);
                    }

                    builder.Append('\n').Append(' ', depth * 4).Append('}');
                    break;
                case ConfigSequence sequence:
                    builder.Append("@(");
                    for (int i = 0; i < sequence.Items.Count; i++)
                    {
                        builder.Append(i == 0 ? string.Empty : ", ");
                        WriteNode(builder, sequence.Items[i], depth + 1);
                    }

                    builder.Append(')');
                    break;
                case ConfigScalar scalar:
                    builder.Append(Literal(scalar.Value));
                    break;
            }
        }

        private static string Key(string key) => BareKey.IsMatch(key) ? key : Quote(key);

        private static string Literal(object? value) =>
            value switch
            {
                null => "$null",
                bool b => b ? "$true" : "$false",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                long _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
                int _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
                decimal m => m.ToString(CultureInfo.InvariantCulture) + "d",
                _ => Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty),
            };

        private static string Quote(string text) => "'" + CodeGeneration.EscapeSingleQuotedStringContent(text) + "'";
    }
}
