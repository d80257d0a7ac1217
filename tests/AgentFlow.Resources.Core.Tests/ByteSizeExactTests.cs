using System;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    public class ByteSizeExactTests
    {
        [Theory]
        [InlineData(0L, "0")]
        [InlineData(512L, "512")]
        [InlineData(1024L, "1KB")]
        [InlineData(1536L, "1.5KB")]
        [InlineData(1000001L, "1000001")]
        [InlineData(104857600L, "100MB")]
        [InlineData(1610612736L, "1.5GB")]
        [InlineData(1099511627776L, "1TB")]
        [InlineData(1125899906842625L, "1125899906842625")]
        [InlineData(-1048576L, "-1MB")]
        public void FormatExact_writes_the_largest_exact_unit(long bytes, string expected)
        {
            Assert.Equal(expected, ByteSize.FormatExact(bytes));
        }

        [Theory]
        [InlineData(0L)]
        [InlineData(1L)]
        [InlineData(1023L)]
        [InlineData(1025L)]
        [InlineData(10485761L)]
        [InlineData(3000001L)]
        [InlineData(5368709120L)]
        [InlineData(long.MaxValue)]
        [InlineData(long.MaxValue - 1)]
        [InlineData(1L << 62)]
        public void FormatExact_reads_back_to_the_same_bytes(long bytes)
        {
            Assert.True(ByteSize.TryParse(ByteSize.FormatExact(bytes), out long parsed));
            Assert.Equal(bytes, parsed);
        }

        [Fact]
        public void FormatExact_reads_back_for_every_multiple_of_a_hundredth_of_a_unit_near_each_unit()
        {
            for (int unit = 1; unit <= 5; unit++)
            {
                long multiplier = 1L << (10 * unit);
                for (long hundredths = 1; hundredths < 400; hundredths++)
                {
                    long bytes = hundredths * multiplier / 100;
                    Assert.True(ByteSize.TryParse(ByteSize.FormatExact(bytes), out long parsed));
                    Assert.Equal(bytes, parsed);
                }
            }
        }

        public static TheoryData<object, long> Sizes() => new TheoryData<object, long>
        {
            { "100MB", 104857600L },
            { 4096, 4096L },
            { 4096L, 4096L },
            { (short)7, 7L },
            { (byte)7, 7L },
            { 7u, 7L },
            { 7ul, 7L },
            { 1536.0, 1536L },
            { 1536f, 1536L },
            { 2048m, 2048L },
            { 2.5 * 1024, 2560L },   // a product, as PowerShell gives for 2.5KB; not 1.5 * 1024, which equals 1536.0 above (xunit would skip it as a duplicate)
        };

        [Theory]
        [MemberData(nameof(Sizes))]
        public void TryConvert_takes_numbers_and_size_strings(object value, long expected)
        {
            Assert.True(ByteSize.TryConvert(value, out long bytes, out string problem));
            Assert.Equal(expected, bytes);
            Assert.Equal(string.Empty, problem);
        }

        public static TheoryData<object?, string> NotSizes() => new TheoryData<object?, string>
        {
            { null, "a size is required" },
            { "ten", "it is not a number of bytes or a number with a binary unit" },
            { "8192PB", "it is too large" },
            { 1536.4, ByteSize.NotWhole },
            { 1536.5f, ByteSize.NotWhole },
            { 2048.5m, ByteSize.NotWhole },
            { "0.3KB", ByteSize.NotWhole },
            { -1, "a size cannot be negative" },
            { "-1KB", "a size cannot be negative" },
            { double.NaN, "it is not a finite number" },
            { 1e19, "it is too large" },
            { ulong.MaxValue, "it is too large" },
            { true, "it is neither a number nor a size string" },
        };

        [Theory]
        [MemberData(nameof(NotSizes))]
        public void TryConvert_says_why_a_value_is_not_a_size(object? value, string expected)
        {
            Assert.False(ByteSize.TryConvert(value, out long bytes, out string problem));
            Assert.Equal(0L, bytes);
            Assert.Equal(expected, problem);
        }
    }
}
