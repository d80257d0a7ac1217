using System;
using System.Management.Automation;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// Whether a command's text output may be coloured, and the colours, both from <c>$PSStyle</c> (PowerShell 7.2+):
    /// never when NO_COLOR is set (no-color.org) or OutputRendering is PlainText; always when it is Ansi; with Host
    /// (the default) only when the output goes to a terminal that understands escape sequences, not when it is
    /// redirected. Windows PowerShell 5.1 has no $PSStyle: plain text.
    /// </summary>
    internal static class TerminalStyle
    {
        public static bool UseColour(PSCmdlet cmdlet)
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")))
            {
                return false;
            }

            object? style = cmdlet.SessionState.PSVariable.GetValue("PSStyle");
            if (style == null)
            {
                return false;
            }

            switch (Property(style, "OutputRendering")?.ToString())
            {
                case "PlainText":
                    return false;
                case "Ansi":
                    return true;
                default:
                    return !Console.IsOutputRedirected && cmdlet.Host.UI.SupportsVirtualTerminal;
            }
        }

        public static TextPalette PaletteFrom(PSCmdlet cmdlet)
        {
            object style = cmdlet.SessionState.PSVariable.GetValue("PSStyle");
            object? foreground = Property(style, "Foreground");
            return new TextPalette(
                Text(foreground, "Green"),
                Text(foreground, "Yellow"),
                Text(foreground, "Red"),
                Text(foreground, "Cyan"),
                Text(foreground, "BrightBlack"),
                Text(style, "Reset"));
        }

        private static string Text(object? owner, string name) => Property(owner, name)?.ToString() ?? string.Empty;

        private static object? Property(object? owner, string name) =>
            owner == null ? null : PSObject.AsPSObject(owner).Properties[name]?.Value;
    }
}
