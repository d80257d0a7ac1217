using System;
using System.Globalization;
using System.Management.Automation;

namespace AgentFlow.Resources.PowerShell.Binding
{
    /// <summary>
    /// Binds a size parameter (<c>[long]</c> bytes) from a number (<c>100MB</c>, <c>4096</c>, <c>1.5GB</c>) or a string
    /// (<c>'100MB'</c>, <c>'1.5GB'</c>, <c>'10 MiB'</c>, <c>'4096'</c>). Anything else, or a negative size, fails binding
    /// with a message that lists the accepted forms.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SizeTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (!TryConvert(value, out long bytes, out string problem))
            {
                throw new ArgumentTransformationMetadataException(
                    $"Cannot use {Describe(value)} as a size: {problem}. A size is {ByteSize.AcceptedForms}.");
            }

            if (bytes < 0)
            {
                throw new ArgumentTransformationMetadataException(
                    $"Cannot use {Describe(value)} as a size: a size cannot be negative. A size is {ByteSize.AcceptedForms}.");
            }

            return bytes;
        }

        private static bool TryConvert(object? value, out long bytes, out string problem)
        {
            bytes = 0;
            problem = string.Empty;
            switch (value)
            {
                case string text:
                    problem = "it is not a number of bytes or a number with a binary unit, or it is too large";
                    return ByteSize.TryParse(text, out bytes);
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
                    return TryRound(d, out bytes, out problem);
                case float f:
                    return TryRound(f, out bytes, out problem);
                case decimal m:
                    problem = "it is too large";
                    decimal rounded = Math.Round(m, MidpointRounding.AwayFromZero);
                    bool fits = rounded >= long.MinValue && rounded <= long.MaxValue;
                    bytes = fits ? (long)rounded : 0;
                    return fits;
                case null:
                    problem = "a size is required";
                    return false;
                default:
                    problem = "it is neither a number nor a size string";
                    return false;
            }
        }

        // Fractions of a byte round to the nearest byte, as ByteSize.TryParse does for '1.5 KB'-style strings.
        private static bool TryRound(double value, out long bytes, out string problem)
        {
            bytes = 0;
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                problem = "it is not a finite number";
                return false;
            }

            double rounded = Math.Round(value, MidpointRounding.AwayFromZero);
            if (rounded >= 9.2233720368547758E18 || rounded < -9.2233720368547758E18)
            {
                problem = "it is too large";
                return false;
            }

            problem = string.Empty;
            bytes = (long)rounded;
            return true;
        }

        private static string Describe(object? value) =>
            value switch
            {
                null => "$null",
                string text => $"'{text}'",
                IFormattable formattable => $"{formattable.ToString(null, CultureInfo.InvariantCulture)} ({value.GetType().Name})",
                _ => $"a {value.GetType().Name}",
            };
    }
}
