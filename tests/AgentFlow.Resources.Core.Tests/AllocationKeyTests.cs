using System;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>Which keys are accepted (AllocationKey), and how a key is shown in text (Wording.Key).</summary>
    public class AllocationKeyTests
    {
        [Theory]
        [InlineData("a")]
        [InlineData(" a ")]
        [InlineData("b[1].bin")]
        [InlineData("\u00a0x")]
        public void Keys_with_a_visible_character_are_valid(string key) => Assert.Null(AllocationKey.Problem(key));

        [Theory]
        [InlineData(null, "A key is required.")]
        [InlineData("", "A key must not be empty: it must contain a visible character.")]
        [InlineData(" ", "A key must contain a visible character; a key of only white space is not accepted.")]
        [InlineData("\t\u00a0\u2003", "A key must contain a visible character; a key of only white space is not accepted.")]
        public void Missing_empty_and_blank_keys_have_a_plain_problem(string? key, string problem) => Assert.Equal(problem, AllocationKey.Problem(key));

        [Fact]
        public void Keys_up_to_64_characters_are_shown_whole()
        {
            string key = new string('k', 64);
            Assert.Same(key, Wording.Key(key));
            Assert.Equal("short", Wording.Key("short"));
        }

        [Fact]
        public void Longer_keys_show_56_of_their_characters_around_a_visible_count_of_the_rest()
        {
            string key = "/artifacts/" + new string('x', 100_000) + "/step_07_output.bin";
            string shown = Wording.Key(key);
            Assert.Equal("/artifacts/" + new string('x', 29) + "…(99974 more)…" + "x/step_07_output.bin".Substring(4), shown);
            Assert.Equal(56, shown.Replace("…(99974 more)…", string.Empty).Length);
        }

        [Fact]
        public void Elision_never_splits_a_surrogate_pair()
        {
            // U+1F600 is two UTF-16 units; place pairs across both cut points (after 40 and before the last 16 units).
            string pair = "\U0001F600";
            string key = new string('a', 39) + pair + new string('b', 100) + pair + new string('c', 15);
            string shown = Wording.Key(key);
            Assert.Equal(new string('a', 39) + "…(104 more)…" + new string('c', 15), shown);
            foreach (char c in shown)
            {
                Assert.False(char.IsSurrogate(c));
            }
        }

        [Fact]
        public void A_rejected_allocation_alert_shows_a_long_key_elided_and_keeps_it_whole()
        {
            string key = new string('k', 100_000);
            var m = new StateMonitor(Limits(state: 100, value: 10, entries: 10, auto: false), "long");
            Assert.False(m.RecordAllocation(key, 20));
            var alert = Assert.IsType<LimitExceededAlert>(Assert.Single(m.GetAlerts()));
            Assert.Equal(key, alert.Key);
            Assert.Equal($"[long] ValueSize limit exceeded by '{Wording.Key(key)}': 20 B would exceed 10 B.", alert.ToString());
        }

        [Fact]
        public void An_entry_renders_a_long_key_elided_and_keeps_it_whole()
        {
            string key = new string('e', 1000);
            var m = new StateMonitor(Limits(state: 100, value: 10, entries: 10, auto: false), "long");
            m.RecordAllocation(key, 5);
            Assert.True(m.TryGetAllocation(key, out AllocationEntry? entry));
            Assert.Equal(key, entry!.Key);
            Assert.Equal(Wording.Key(key) + " (5 B)", entry.ToString());
        }
    }
}
