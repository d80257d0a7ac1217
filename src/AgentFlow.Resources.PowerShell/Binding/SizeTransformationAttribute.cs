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
            if (!TryConvertSize(inputData, out long bytes, out string message))
            {
                throw new ArgumentTransformationMetadataException(message);
            }

            return bytes;
        }

        /// <summary>
        /// The one conversion of a size value, shared by the parameters and Add-Allocation -Allocation: false with a message
        /// that says what was wrong and what is accepted.
        /// </summary>
        internal static bool TryConvertSize(object? inputData, out long bytes, out string message)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (!ByteSize.TryConvert(value, out bytes, out string problem))
            {
                message = $"Cannot use {Describe(value)} as a size: {problem}. A size is {ByteSize.AcceptedForms}.";
                return false;
            }

            message = string.Empty;
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
