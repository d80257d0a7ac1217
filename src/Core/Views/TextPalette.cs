namespace AgentFlow.Resources
{
    /// <summary>
    /// The escape sequences <see cref="UsageTextView"/> colours its parts with. <see cref="Plain"/> has none;
    /// the PowerShell module fills one from <c>$PSStyle</c>.
    /// </summary>
    public sealed class TextPalette
    {
        /// <summary>No colour at all.</summary>
        public static TextPalette Plain { get; } = new TextPalette(string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty);

        /// <summary>Creates a palette.</summary>
        public TextPalette(string ok, string warning, string danger, string accent, string dim, string reset)
        {
            Ok = ok ?? string.Empty;
            Warning = warning ?? string.Empty;
            Danger = danger ?? string.Empty;
            Accent = accent ?? string.Empty;
            Dim = dim ?? string.Empty;
            Reset = reset ?? string.Empty;
        }

        /// <summary>Usage below the cleanup target.</summary>
        public string Ok { get; }

        /// <summary>Usage between the target and the threshold; pinned entries.</summary>
        public string Warning { get; }

        /// <summary>Usage at or above the threshold; alerts.</summary>
        public string Danger { get; }

        /// <summary>Headings and markers.</summary>
        public string Accent { get; }

        /// <summary>Empty parts of bars, labels.</summary>
        public string Dim { get; }

        /// <summary>Ends a coloured part.</summary>
        public string Reset { get; }

        /// <summary>True when the palette colours nothing.</summary>
        public bool IsPlain => Reset.Length == 0;

        internal string Paint(string colour, string text) => colour.Length == 0 || text.Length == 0 ? text : colour + text + Reset;
    }
}
