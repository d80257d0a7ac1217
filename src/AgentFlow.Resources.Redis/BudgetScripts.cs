using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace AgentFlow.Resources.Redis
{
    /// <summary>One operation's Lua script: its text (sent with EVAL after NOSCRIPT) and its SHA-1 (for EVALSHA).</summary>
    internal sealed class BudgetScript
    {
        public BudgetScript(string operation, string text)
        {
            Operation = operation;
            Text = text;
            Sha = SHA1.HashData(Encoding.UTF8.GetBytes(text));
        }

        public string Operation { get; }

        public string Text { get; }

        public byte[] Sha { get; }
    }

    /// <summary>
    /// The budget's operations, one Lua script each (docs/design/redis-store.md). An operation's script is put together
    /// from <c>Scripts/Operations/&lt;operation&gt;.lua</c> and the parts in <c>Scripts/Parts</c> that its first line
    /// names (<c>--! uses: a b</c>), with the parts those name in turn, always in the order of <see cref="PartOrder"/>.
    /// Redis runs a script's top level on every call, so each operation carries only the functions it calls: one
    /// script holding every operation spent more server time defining functions than most operations do work. For
    /// the same reason an operation may have a usual path (<c>Scripts/UsualPaths/&lt;operation&gt;.lua</c>), placed
    /// right after the prelude: it settles the common case inline and returns before any function is defined, or
    /// falls through, having changed nothing, to the general rules.
    /// </summary>
    internal static class BudgetScripts
    {
        private const string UsesPrefix = "--! uses:";
        private const string ResourcePrefix = "AgentFlow.Resources.Redis.Scripts.";

        /// <summary>Every part, in the order a script holds them: each one only calls the parts before it.</summary>
        internal static readonly string[] PartOrder = { "prelude", "numbers", "totals", "state", "heldlimits", "counterlist", "limits", "entries", "eviction", "thresholds", "order" };

        private static readonly Dictionary<string, BudgetScript> s_scripts = Compose();

        /// <summary>Every operation's script.</summary>
        public static IEnumerable<BudgetScript> All => s_scripts.Values;

        /// <summary>The script of <paramref name="operation"/> (a name the stores use, such as <c>add</c>).</summary>
        public static BudgetScript For(string operation) =>
            s_scripts.TryGetValue(operation, out BudgetScript? script)
                ? script
                : throw new ArgumentException($"The budget has no operation '{operation}'.", nameof(operation));

        private static Dictionary<string, BudgetScript> Compose()
        {
            var parts = PartOrder.ToDictionary(p => p, p => Read("Parts." + p), StringComparer.Ordinal);
            var scripts = new Dictionary<string, BudgetScript>(StringComparer.Ordinal);
            foreach (string resource in typeof(BudgetScripts).Assembly.GetManifestResourceNames())
            {
                if (!resource.StartsWith(ResourcePrefix + "Operations.", StringComparison.Ordinal))
                {
                    continue;
                }

                string operation = resource.Substring(ResourcePrefix.Length + "Operations.".Length);
                operation = operation.Substring(0, operation.Length - ".lua".Length);
                string body = Read("Operations." + operation);
                var needed = new HashSet<string>(StringComparer.Ordinal) { "prelude" };
                AddWithDependencies(Uses(body, operation), parts, needed, operation);
                var text = new StringBuilder();
                foreach (string part in PartOrder.Where(needed.Contains))
                {
                    text.Append(parts[part]).Append('\n');
                    if (part == "prelude" && TryRead("UsualPaths." + operation) is string usualPath)
                    {
                        text.Append(usualPath).Append('\n');
                    }
                }

                scripts.Add(operation, new BudgetScript(operation, text.Append(body).ToString()));
            }

            return scripts;
        }

        private static void AddWithDependencies(IEnumerable<string> names, Dictionary<string, string> parts, HashSet<string> needed, string operation)
        {
            foreach (string name in names)
            {
                if (!parts.TryGetValue(name, out string? part))
                {
                    throw new InvalidOperationException($"The budget script '{operation}' uses '{name}', which is not one of the parts: {string.Join(", ", PartOrder)}.");
                }

                if (needed.Add(name))
                {
                    AddWithDependencies(Uses(part, name), parts, needed, operation);
                }
            }
        }

        // The names on a script's first line, '--! uses: a b' (none when the line is absent).
        internal static string[] Uses(string script, string name)
        {
            int end = script.IndexOf('\n');
            string first = (end < 0 ? script : script.Substring(0, end)).TrimEnd('\r');
            if (!first.StartsWith(UsesPrefix, StringComparison.Ordinal))
            {
                return Array.Empty<string>();
            }

            return first.Substring(UsesPrefix.Length).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }

        private static string Read(string name) =>
            TryRead(name) ?? throw new InvalidOperationException($"The budget script part '{name}' is missing from AgentFlow.Resources.Redis.dll.");

        private static string? TryRead(string name)
        {
            using Stream? stream = typeof(BudgetScripts).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".lua");
            if (stream is null)
            {
                return null;
            }

            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
    }
}
