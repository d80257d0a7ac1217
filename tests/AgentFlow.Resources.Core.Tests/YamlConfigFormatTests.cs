using AgentFlow.Resources.Configuration;
using AgentFlow.Resources.Yaml;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    public class YamlConfigFormatTests
    {
        private static readonly YamlConfigFormat Yaml = new YamlConfigFormat();

        [Fact]
        public void Types_plain_scalars_by_the_core_schema_and_keeps_quoted_ones_as_strings()
        {
            var root = (ConfigMapping)Yaml.Read("a: 10\nb: 0.5\nc: true\nd: ~\ne: 100MB\nf: '10'\ng: \"true\"\nh: !!str 7\ni:\nj: False\n");
            object?[] values = System.Array.ConvertAll(System.Linq.Enumerable.ToArray(root.Entries), e => ((ConfigScalar)e.Value).Value);
            Assert.Equal(new object?[] { 10L, 0.5, true, null, "100MB", "10", "true", "7", null, false }, values);
            Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, System.Array.ConvertAll(System.Linq.Enumerable.ToArray(root.Entries), e => e.Line));
        }

        [Fact]
        public void Reads_nested_mappings_lists_and_anchors_with_lines()
        {
            var root = (ConfigMapping)Yaml.Read("# comment\nworkflow:\n  base: &b\n    max_state_size: 1MB\n  resource_limits: *b\n  nodes:\n    - name: x\n");
            var workflow = (ConfigMapping)root.Entries[0].Value;
            Assert.Equal(2, root.Entries[0].Line);
            Assert.Same(workflow.Entries[0].Value, workflow.Entries[1].Value);
            Assert.Equal(5, workflow.Entries[1].Line);
            Assert.Equal(4, ((ConfigMapping)workflow.Entries[1].Value).Entries[0].Line);
            Assert.IsType<ConfigSequence>(workflow.Entries[2].Value);
        }

        [Theory]
        [InlineData("a: 1\nb: [1\n", 3)]
        [InlineData("a: 1\n  b: 2\n", 2)]
        [InlineData("a: *missing\n", 1)]
        [InlineData("a: 1\n---\nb: 2\n", 2)]
        [InlineData("", 1)]
        public void Reports_syntax_errors_with_their_line(string text, int line)
        {
            var error = Assert.Throws<ConfigSyntaxException>(() => Yaml.Read(text));
            Assert.Equal(line, error.Line);
        }

        [Fact]
        public void Writes_block_yaml_and_quotes_strings_that_would_read_as_something_else()
        {
            string written = Yaml.Write(new ConfigMapping(0, new[]
            {
                new ConfigEntry("resource_limits", 0, new ConfigMapping(0, new[]
                {
                    new ConfigEntry("size", 0, new ConfigScalar(0, "100MB")),
                    new ConfigEntry("count", 0, new ConfigScalar(0, 5L)),
                    new ConfigEntry("fraction", 0, new ConfigScalar(0, 0.85)),
                    new ConfigEntry("flag", 0, new ConfigScalar(0, false)),
                    new ConfigEntry("text", 0, new ConfigScalar(0, "true")),
                })),
            }));
            Assert.Equal("resource_limits:\n  size: 100MB\n  count: 5\n  fraction: 0.85\n  flag: false\n  text: \"true\"\n", written);
            var back = (ConfigMapping)((ConfigMapping)Yaml.Read(written)).Entries[0].Value;
            Assert.Equal("true", ((ConfigScalar)back.Entries[4].Value).Value);
        }
    }
}
