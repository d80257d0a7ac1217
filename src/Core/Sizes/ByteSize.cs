using System;
using System.Globalization;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Parses and formats byte counts the way PowerShell users write them: binary units, so
    /// <c>'1.5GB'</c>, <c>'10 MiB'</c>, <c>'512KB'</c> and <c>'4096'</c> all mean what <c>1.5GB</c> means at the prompt.
    /// </summary>
    public static class ByteSize
    {
        /// <summary>The forms <see cref="TryParse"/> accepts, for error messages.</summary>
        public const string AcceptedForms =
            "a whole number of bytes (4096), or a number with a binary unit: B, KB, MB, GB, TB, PB or KiB, MiB, GiB, TiB, PiB (for example '512KB', '1.5GB', '10 MiB')";

        private const double TwoPow63 = 9223372036854775808.0;

        private static readonly string[] Units = { "B", "KB", "MB", "GB", "TB", "PB" };

        /// <summary>Parses a size such as <c>'100MB'</c> or <c>'1.5 GiB'</c>. Fractions of a byte round to the nearest byte.</summary>
        /// <returns>false when the text is not one of <see cref="AcceptedForms"/> or does not fit in an Int64.</returns>
        public static bool TryParse(string? text, out long bytes)
        {
            bytes = 0;
            if (text == null)
            {
                return false;
            }

            string s = text.Trim();
            int unitStart = s.Length;
            while (unitStart > 0 && char.IsLetter(s[unitStart - 1]))
            {
                unitStart--;
            }

            string number = s.Substring(0, unitStart).TrimEnd();
            string unit = s.Substring(unitStart);
            if (number.Length == 0 || !TryGetMultiplier(unit, out long multiplier))
            {
                return false;
            }

            if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole))
            {
                try
                {
                    bytes = checked(whole * multiplier);
                    return true;
                }
                catch (OverflowException)
                {
                    return false;
                }
            }

            if (!double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)
                || double.IsNaN(value) || double.IsInfinity(value))
            {
                return false;
            }

            double scaled = Math.Round(value * multiplier, MidpointRounding.AwayFromZero);
            // (double)long.MaxValue rounds up to 2^63, which does not fit: compare against 2^63 itself.
            if (scaled >= TwoPow63 || scaled < -TwoPow63)
            {
                return false;
            }

            bytes = (long)scaled;
            return true;
        }

        /// <summary>Parses a size, throwing a <see cref="FormatException"/> that lists the accepted forms.</summary>
        public static long Parse(string text)
        {
            if (TryParse(text, out long bytes))
            {
                return bytes;
            }

            throw new FormatException($"'{text}' is not a size. Use {AcceptedForms}.");
        }

        /// <summary>Formats a byte count for people: <c>512 B</c>, <c>1.5 KB</c>, <c>100 MB</c> (binary units, at most two decimals).</summary>
        public static string Format(long bytes)
        {
            if (bytes > -1024 && bytes < 1024)
            {
                return bytes.ToString(CultureInfo.InvariantCulture) + " B";
            }

            double value = bytes;
            int unit = 0;
            while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
            {
                value /= 1024;
                unit++;
            }

            return value.ToString("0.##", CultureInfo.InvariantCulture) + " " + Units[unit];
        }

        private static bool TryGetMultiplier(string unit, out long multiplier)
        {
            switch (unit.ToUpperInvariant())
            {
                case "":
                case "B":
                    multiplier = 1;
                    return true;
                case "KB":
                case "KIB":
                    multiplier = 1L << 10;
                    return true;
                case "MB":
                case "MIB":
                    multiplier = 1L << 20;
                    return true;
                case "GB":
                case "GIB":
                    multiplier = 1L << 30;
                    return true;
                case "TB":
                case "TIB":
                    multiplier = 1L << 40;
                    return true;
                case "PB":
                case "PIB":
                    multiplier = 1L << 50;
                    return true;
                default:
                    multiplier = 0;
                    return false;
            }
        }
    }
}
