using System;
using System.Management.Automation;

namespace AgentFlow.Resources.PowerShell.Binding
{
    /// <summary>Shared by the completers: reading the word typed so far and quoting what they offer.</summary>
    internal static class CompletionText
    {
        /// <summary>
        /// A case-insensitive prefix pattern for the word typed so far (its quotes removed; wildcards kept). A word that is
        /// not a valid pattern, such as the start of the key <c>b[1</c>, is taken literally. For a parameter that takes
        /// patterns (<paramref name="wordIsPattern"/>), escaped characters typed (<c>b`[1</c>) stand for themselves.
        /// </summary>
        public static WildcardPattern PatternFor(string? wordToComplete, bool wordIsPattern = false)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            if (WildcardPattern.ContainsWildcardCharacters(word))
            {
                var typed = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
                try
                {
                    typed.IsMatch(string.Empty);
                    return typed;
                }
                catch (WildcardPatternException)
                {
                    // Fall through: match the word as it is.
                }
            }

            string literal = wordIsPattern && !WildcardPattern.ContainsWildcardCharacters(word) ? WildcardPattern.Unescape(word) : word;
            return new WildcardPattern(WildcardPattern.Escape(literal) + "*", WildcardOptions.IgnoreCase);
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
