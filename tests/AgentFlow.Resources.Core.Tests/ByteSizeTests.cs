using System;
using AgentFlow.Resources;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    public class ByteSizeTests
    {
        [Theory]
        [InlineData("4096", 4096L)]
        [InlineData("0", 0L)]
        [InlineData("100MB", 104857600L)]
        [InlineData("1.5GB", 1610612736L)]
        [InlineData("512KB", 524288L)]
        [InlineData("10 MiB", 10485760L)]
        [InlineData("10MiB", 10485760L)]
        [InlineData("1KiB", 1024L)]
        [InlineData("2 GiB", 2147483648L)]
        [InlineData("1TB", 1099511627776L)]
        [InlineData("1 TiB", 1099511627776L)]
        [InlineData("1PB", 1125899906842624L)]
        [InlineData("1PiB", 1125899906842624L)]
        [InlineData("7 B", 7L)]
        [InlineData("7B", 7L)]
        [InlineData("10mb", 10485760L)]
        [InlineData("10 mib", 10485760L)]
        [InlineData("1.5 gb", 1610612736L)]
        [InlineData("  7 KB  ", 7168L)]
        [InlineData("0.5KB", 512L)]
        [InlineData(".5KB", 512L)]
        [InlineData("1.5KB", 1536L)]          // a fraction with a unit is fine when it comes to whole bytes
        [InlineData("2.0", 2L)]
        [InlineData("0.25MB", 262144L)]
        [InlineData("8191PB", 9222246136947933184L)]
        [InlineData("9223372036854775807", long.MaxValue)]
        public void Parses_every_accepted_form(string text, long expected)
        {
            Assert.True(ByteSize.TryParse(text, out long bytes), text);
            Assert.Equal(expected, bytes);
            Assert.Equal(expected, ByteSize.Parse(text));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("abc")]
        [InlineData("MB")]
        [InlineData("10 XB")]
        [InlineData("10 EB")]
        [InlineData("10MBs")]
        [InlineData("10 M B")]
        [InlineData("1e3")]
        [InlineData("1E3KB")]
        [InlineData("0x10")]
        [InlineData("1,000")]
        [InlineData("1 000")]
        [InlineData("1.2.3")]
        [InlineData("NaN")]
        [InlineData("Infinity")]
        [InlineData("--5")]
        [InlineData("five MB")]
        [InlineData("9223372036854775808")]   // one past Int64
        [InlineData("8192PB")]                // 2^63 bytes: does not fit
        [InlineData("8192.0PB")]              // the same through the fraction path
        [InlineData("9999999999PB")]
        [InlineData("1e400")]
        [InlineData("1.5")]                   // fractions of a byte are refused, never rounded
        [InlineData("2.4")]
        [InlineData("0.3KB")]                 // 307.2 bytes
        [InlineData("0.1MB")]
        public void Rejects_garbage(string? text)
        {
            Assert.False(ByteSize.TryParse(text, out long bytes), text);
            Assert.Equal(0, bytes);
            if (text != null)
            {
                var ex = Assert.Throws<FormatException>(() => ByteSize.Parse(text));
                Assert.Contains(ByteSize.AcceptedForms, ex.Message);
                Assert.Contains("'" + text + "'", ex.Message);
            }
        }

        [Theory]
        [InlineData("0.5", "a size must be a whole number of bytes")]
        [InlineData("0.3KB", "a size must be a whole number of bytes")]
        [InlineData("8192PB", "it is too large")]
        [InlineData("99999999999999999999999999999999PB", "it is too large")]
        [InlineData("lots", "it is not a number of bytes or a number with a binary unit")]
        public void Says_why_text_is_not_a_size(string text, string problem)
        {
            Assert.False(ByteSize.TryParse(text, out long bytes, out string why));
            Assert.Equal(0, bytes);
            Assert.Equal(problem, why);
        }

        [Fact]
        public void AcceptedForms_names_the_forms()
        {
            foreach (string word in new[] { "4096", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "'512KB'", "'1.5GB'", "'10 MiB'" })
            {
                Assert.Contains(word, ByteSize.AcceptedForms);
            }
        }

        [Theory]
        [InlineData(0L, "0 B")]
        [InlineData(1L, "1 B")]
        [InlineData(512L, "512 B")]
        [InlineData(1023L, "1023 B")]
        [InlineData(1024L, "1 KB")]
        [InlineData(1536L, "1.5 KB")]
        [InlineData(524288L, "512 KB")]
        [InlineData(1048576L, "1 MB")]
        [InlineData(1572864L, "1.5 MB")]
        [InlineData(104857600L, "100 MB")]
        [InlineData(1610612736L, "1.5 GB")]
        [InlineData(1099511627776L, "1 TB")]
        [InlineData(1125899906842624L, "1 PB")]
        [InlineData(1152921504606846976L, "1024 PB")]
        [InlineData(2097152L + 1024L, "2 MB")]       // 2.0009.. rounds to two decimals
        [InlineData(1024L + 10L, "1.01 KB")]
        [InlineData(-2048L, "-2 KB")]
        [InlineData(-5L, "-5 B")]
        public void Formats_with_binary_units_and_at_most_two_decimals(long bytes, string expected)
        {
            Assert.Equal(expected, ByteSize.Format(bytes));
        }

        [Theory]
        [InlineData(0L)]
        [InlineData(1000L)]
        [InlineData(1024L)]
        [InlineData(1536L)]
        [InlineData(104857600L)]
        [InlineData(1610612736L)]
        [InlineData(3298534883328L)]
        public void Format_output_parses_back_for_exact_sizes(long bytes)
        {
            Assert.Equal(bytes, ByteSize.Parse(ByteSize.Format(bytes)));
        }
    }
}
