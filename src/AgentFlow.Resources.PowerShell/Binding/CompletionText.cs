using System;
using System.Management.Automation;

namespace AgentFlow.Resources.PowerShell.Binding
{
    /// <summary>Shared by the completers: reading the word typed so far and quoting what they offer.</summary>
    internal static class CompletionText
    {
        /// <summary>A case-insensitive prefix pattern for the word typed so far (its quotes removed; wildcards kept).</summary>
        public static WildcardPattern PatternFor(string? wordToComplete)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            string prefix = WildcardPattern.ContainsWildcardCharacters(word) ? word : WildcardPattern.Escape(word);
            return new WildcardPattern(prefix + "*", WildcardOptions.IgnoreCase);
        }

        /// <summary>The text as a command argument: bare when that parses back to the same string, else single-quoted.</summary>
        public static string Quote(string text)
        {
            bool bare = text.Length > 0 && text[0] != '-' && text[0] != '@' && text[0] != '~';
            foreach (char c in text)
            {
                if (!(char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '/' || c == '\\' || c == ':'))
                {
                    bare = false;
                    break;
                }
            }

            return bare ? text : "'" + text.Replace("'", "''") + "'";
        }
    }
}
