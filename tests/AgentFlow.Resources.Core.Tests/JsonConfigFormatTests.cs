using AgentFlow.Resources.Configuration;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    public class JsonConfigFormatTests
    {
        private static readonly JsonConfigFormat Json = JsonConfigFormat.Instance;

        [Fact]
        public void Reads_values_with_their_types_and_every_key_with_its_line()
        {
            var root = (ConfigMapping)Json.Read("{\n  \"a\": \"x\\ty\\u0041\",\n  \"b\": 10,\n  \"c\": 0.5,\n  \"d\": true,\n  \"e\": null,\n  \"f\": [1, {\"g\": false}],\n  \"h\": -2e3\n}");
            Assert.Equal(new[] { "a", "b", "c", "d", "e", "f", "h" }, System.Array.ConvertAll(System.Linq.Enumerable.ToArray(root.Entries), e => e.Key));
            Assert.Equal(new[] { 2, 3, 4, 5, 6, 7, 8 }, System.Array.ConvertAll(System.Linq.Enumerable.ToArray(root.Entries), e => e.Line));
            Assert.Equal("x\tyA", ((ConfigScalar)root.Entries[0].Value).Value);
            Assert.Equal(10L, ((ConfigScalar)root.Entries[1].Value).Value);
            Assert.Equal(0.5, ((ConfigScalar)root.Entries[2].Value).Value);
            Assert.Equal(true, ((ConfigScalar)root.Entries[3].Value).Value);
            Assert.Null(((ConfigScalar)root.Entries[4].Value).Value);
            var list = (ConfigSequence)root.Entries[5].Value;
            Assert.Equal(1L, ((ConfigScalar)list.Items[0]).Value);
            Assert.Equal(false, ((ConfigScalar)((ConfigMapping)list.Items[1]).Entries[0].Value).Value);
            Assert.Equal(-2000.0, ((ConfigScalar)root.Entries[6].Value).Value);
        }

        [Fact]
        public void Keeps_duplicate_keys_so_that_they_can_be_reported()
        {
            var root = (ConfigMapping)Json.Read("{\"a\": 1, \"a\": 2}");
            Assert.Equal(2, root.Entries.Count);
        }

        [Theory]
        [InlineData("", 1, "the document is empty; expected a JSON object such as { \"max_state_size\": \"100MB\" }.")]
        [InlineData("{\n\"a\": 1\n\"b\": 2}", 3, "unexpected '\"'; expected ',' or '}'.")]
        [InlineData("{\n\"a\": ", 2, "the document ends where a value was expected (is it truncated?).")]
        [InlineData("{\"a\": yes}", 1, "'yes' is not a JSON value; strings are written in double quotes.")]
        [InlineData("{\"a\": 'x'}", 1, "unexpected '''; expected a value (an object, a list, a string in double quotes, a number, true, false or null).")]
        [InlineData("{\"a\": \"x}", 1, "the document ends inside a string (is it truncated?).")]
        [InlineData("{a: 1}", 1, "unexpected 'a'; expected a key in double quotes.")]
        [InlineData("{} {}", 1, "unexpected '{' after the end of the document.")]
        [InlineData("{\"a\": 1.2.3}", 1, "'1.2.3' is not a number.")]
        [InlineData("\n\n[1,\n2", 4, "the document ends inside a list (is it truncated?).")]
        public void Reports_syntax_errors_with_their_line(string text, int line, string problem)
        {
            var error = Assert.Throws<ConfigSyntaxException>(() => Json.Read(text));
            Assert.Equal(line, error.Line);
            Assert.Equal(problem, error.Problem);
            Assert.Equal($"line {line}: {problem}", error.Message);
        }

        [Fact]
        public void Reads_a_byte_order_mark_as_nothing()
        {
            Assert.IsType<ConfigMapping>(Json.Read("\uFEFF{}"));
        }

        [Fact]
        public void Writes_indented_json_that_reads_back_to_the_same_values()
        {
            var written = Json.Write(new ConfigMapping(0, new[]
            {
                new ConfigEntry("s", 0, new ConfigScalar(0, "q\"\\\n")),
                new ConfigEntry("n", 0, new ConfigScalar(0, 12L)),
                new ConfigEntry("d", 0, new ConfigScalar(0, 0.1)),
                new ConfigEntry("m", 0, new ConfigMapping(0, new[] { new ConfigEntry("b", 0, new ConfigScalar(0, false)) })),
                new ConfigEntry("e", 0, new ConfigMapping(0, System.Array.Empty<ConfigEntry>())),
            }));
            Assert.Equal("{\n  \"s\": \"q\\\"\\\\\\n\",\n  \"n\": 12,\n  \"d\": 0.1,\n  \"m\": {\n    \"b\": false\n  },\n  \"e\": {}\n}\n", written);
            var back = (ConfigMapping)Json.Read(written);
            Assert.Equal("q\"\\\n", ((ConfigScalar)back.Entries[0].Value).Value);
            Assert.Equal(0.1, ((ConfigScalar)back.Entries[2].Value).Value);
        }
    }
}
