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
        /// <summary>The forms <see cref="TryParse(string, out long)"/> accepts, for error messages.</summary>
        public const string AcceptedForms =
            "a whole number of bytes (4096), or a number with a binary unit that comes to whole bytes: B, KB, MB, GB, TB, PB or KiB, MiB, GiB, TiB, PiB (for example '512KB', '1.5GB', '10 MiB')";

        /// <summary>Why a fraction of a byte is refused, as a clause for error messages.</summary>
        public const string NotWhole = "a size must be a whole number of bytes";

        private const string NotASize = "it is not a number of bytes or a number with a binary unit";
        private const string TooLarge = "it is too large";

        private const double TwoPow63 = 9223372036854775808.0;

        private static readonly string[] Units = { "B", "KB", "MB", "GB", "TB", "PB" };

        /// <summary>Parses a size such as <c>'100MB'</c> or <c>'1.5 GiB'</c>. The size must come to a whole number of bytes.</summary>
        /// <returns>false when the text is not one of <see cref="AcceptedForms"/>, is a fraction of a byte, or does not fit in an Int64.</returns>
        public static bool TryParse(string? text, out long bytes) => TryParse(text, out bytes, out _);

        /// <summary>As <see cref="TryParse(string, out long)"/>, and says why the text is not a size.</summary>
        /// <param name="text">The text to parse.</param>
        /// <param name="bytes">The size in bytes, or 0.</param>
        /// <param name="problem">Why the text is not a size, as a clause ("it is too large"); empty on success.</param>
        public static bool TryParse(string? text, out long bytes, out string problem)
        {
            bytes = 0;
            problem = NotASize;
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

            // Decimal, not double: '0.3KB' is exactly 307.2 bytes (refused), '1.5KB' exactly 1536 (accepted).
            if (!decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
            {
                // Too many digits for a decimal, or not a number at all.
                problem = double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _) ? TooLarge : NotASize;
                return false;
            }

            decimal scaled;
            try
            {
                scaled = value * multiplier;
            }
            catch (OverflowException)
            {
                problem = TooLarge;
                return false;
            }

            if (scaled != decimal.Truncate(scaled))
            {
                problem = NotWhole;
                return false;
            }

            if (scaled > long.MaxValue || scaled < long.MinValue)
            {
                problem = TooLarge;
                return false;
            }

            problem = string.Empty;
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

        /// <summary>
        /// Converts a size given as a number (any integer type, <see cref="double"/>, <see cref="float"/>,
        /// <see cref="decimal"/>) or a string (<see cref="TryParse(string, out long, out string)"/>) to bytes. A fraction of a
        /// byte is refused (<see cref="NotWhole"/>), never rounded. Used wherever users give sizes: parameters, hashtables
        /// and limits files.
        /// </summary>
        /// <param name="value">The size.</param>
        /// <param name="bytes">The bytes, when the conversion succeeds.</param>
        /// <param name="problem">Why the value is not a size (for example "a size cannot be negative"); empty on success.</param>
        public static bool TryConvert(object? value, out long bytes, out string problem)
        {
            if (!TryConvertSigned(value, out bytes, out problem))
            {
                return false;
            }

            problem = string.Empty;
            if (bytes < 0)
            {
                bytes = 0;
                problem = "a size cannot be negative";
                return false;
            }

            return true;
        }

        /// <summary>
        /// Formats a byte count so that <see cref="TryParse(string, out long)"/> reads back exactly the same count: the largest binary
        /// unit that states it exactly with at most two decimals (<c>100MB</c>, <c>1.5GB</c>, <c>1536KB</c>), else
        /// plain bytes (<c>1000001</c>). For files that people read and that must round-trip.
        /// </summary>
        public static string FormatExact(long bytes)
        {
            for (int unit = Units.Length - 1; unit > 0; unit--)
            {
                long multiplier = 1L << (10 * unit);
                decimal value = (decimal)bytes / multiplier;
                decimal rounded = Math.Round(value, 2);
                string text = rounded.ToString("0.##", CultureInfo.InvariantCulture) + Units[unit];
                if (rounded == value && Math.Abs(value) >= 1 && TryParse(text, out long parsed) && parsed == bytes)
                {
                    return text;
                }
            }

            return bytes.ToString(CultureInfo.InvariantCulture);
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

        private static bool TryConvertSigned(object? value, out long bytes, out string problem)
        {
            bytes = 0;
            problem = string.Empty;
            switch (value)
            {
                case string text:
                    return TryParse(text, out bytes, out problem);
                case long l:
                    bytes = l;
                    return true;
                case int i:
                    bytes = i;
                    return true;
                case short s:
                    bytes = s;
                    return true;
                case sbyte sb:
                    bytes = sb;
                    return true;
                case byte b:
                    bytes = b;
                    return true;
                case ushort us:
                    bytes = us;
                    return true;
                case uint ui:
                    bytes = ui;
                    return true;
                case ulong ul:
                    problem = "it is too large";
                    bytes = ul <= long.MaxValue ? (long)ul : 0;
                    return ul <= long.MaxValue;
                case double d:
                    return TryWhole(d, out bytes, out problem);
                case float f:
                    return TryWhole(f, out bytes, out problem);
                case decimal m:
                    bool whole = m == decimal.Truncate(m);
                    problem = whole ? TooLarge : NotWhole;
                    bool fits = whole && m >= long.MinValue && m <= long.MaxValue;
                    bytes = fits ? (long)m : 0;
                    return fits;
                case null:
                    problem = "a size is required";
                    return false;
                default:
                    problem = "it is neither a number nor a size string";
                    return false;
            }
        }

        // A fraction of a byte is refused, never rounded: 1.5KB (1536.0) is a size, 0.5 is not; as TryParse does for strings.
        private static bool TryWhole(double value, out long bytes, out string problem)
        {
            bytes = 0;
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                problem = "it is not a finite number";
                return false;
            }

            if (value != Math.Floor(value))
            {
                problem = NotWhole;
                return false;
            }

            // (double)long.MaxValue rounds up to 2^63, which does not fit: compare against 2^63 itself.
            if (value >= TwoPow63 || value < -TwoPow63)
            {
                problem = TooLarge;
                return false;
            }

            problem = string.Empty;
            bytes = (long)value;
            return true;
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
