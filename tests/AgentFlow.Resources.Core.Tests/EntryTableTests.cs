using System.Collections.Generic;
using AgentFlow.Resources;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>The detailed store's table: freed slots are reused, and memory is given back when entries go.</summary>
    public class EntryTableTests
    {
        private static string[] MakeKeys(int count, string prefix)
        {
            var keys = new string[count];
            for (int i = 0; i < count; i++)
            {
                keys[i] = prefix + i;
            }

            return keys;
        }

        [Fact]
        public void EnsureCapacity_makes_room_in_one_step_and_keeps_what_the_table_holds()
        {
            var table = new EntryTable();
            string[] early = MakeKeys(10, "early");
            foreach (string key in early)
            {
                table.Add(key, 1, 1, pinned: false);
            }

            table.EnsureCapacity(100_000);
            Assert.Equal(1, table.Resizes);
            foreach (string key in early)
            {
                Assert.True(table.TryFind(key, out _), key);
            }

            string[] keys = MakeKeys(100_000 - early.Length, "k");
            foreach (string key in keys)
            {
                table.Add(key, 2, 2, pinned: false);
            }

            Assert.Equal(1, table.Resizes);
            Assert.Equal(100_000, table.Count);
            Assert.True(table.TryFind(keys[keys.Length - 1], out int last));
            Assert.Equal(2, table.SizeAt(last));
            List<int> oldest = table.OldestFirst(12);
            Assert.Equal(new[] { "early0", "early1", "early2", "early3", "early4", "early5", "early6", "early7", "early8", "early9", "k0", "k1" }, oldest.ConvertAll(table.KeyAt));

            table.EnsureCapacity(50);
            Assert.Equal(1, table.Resizes);
        }

        [Fact]
        public void AddIfAbsent_adds_a_new_key_and_refuses_a_present_one_without_changing_it()
        {
            var table = new EntryTable();
            int a = table.AddIfAbsent("a", 10, 10, pinned: true);
            Assert.NotEqual(EntryTable.None, a);
            Assert.Equal(EntryTable.None, table.AddIfAbsent("a", 99, 99, pinned: false));
            Assert.Equal(1, table.Count);
            Assert.Equal(10, table.SizeAt(a));
            Assert.True(table.IsPinnedAt(a));
            Assert.NotEqual(EntryTable.None, table.AddIfAbsent("b", 5, 5, pinned: false));
            Assert.True(table.TryFind("b", out int b));
            Assert.Equal(5, table.SizeAt(b));
        }

        [Fact]
        public void Freed_slots_are_reused_under_add_and_remove_churn()
        {
            var table = new EntryTable();
            string[] keys = MakeKeys(100, "k");
            foreach (string key in keys)
            {
                table.Add(key, 1, 1, pinned: false);
            }

            long held = table.HeldBytes;
            for (int round = 0; round < 1000; round++)
            {
                Assert.True(table.TryFind(keys[round % 100], out int slot));
                table.Remove(slot);
                table.Add("new" + round, 1, 1, pinned: false);
                keys[round % 100] = "new" + round;
            }

            Assert.Equal(100, table.Count);
            Assert.Equal(held, table.HeldBytes);
        }

        [Fact]
        public void Removing_every_entry_gives_back_at_least_90_percent_of_the_peak()
        {
            var table = new EntryTable();
            long empty = table.HeldBytes;
            string[] keys = MakeKeys(200_000, "key");
            foreach (string key in keys)
            {
                table.Add(key, 10, 10, pinned: false);
            }

            long peak = table.HeldBytes;
            Assert.True(peak > 200_000 * 40L, $"the table holds {peak} bytes for 200,000 entries");
            foreach (string key in keys)
            {
                Assert.True(table.TryFind(key, out int slot));
                table.Remove(slot);
                table.TrimIfSparse();
            }

            Assert.Equal(0, table.Count);
            Assert.True(table.HeldBytes <= peak / 10, $"{table.HeldBytes} of a peak of {peak} bytes are still held");
            Assert.Equal(empty, table.HeldBytes);
        }

        [Fact]
        public void A_table_at_a_steady_size_does_not_resize_back_and_forth()
        {
            var table = new EntryTable();
            string[] keys = MakeKeys(1024, "s");
            foreach (string key in keys)
            {
                table.Add(key, 1, 1, pinned: false);
            }

            long held = table.HeldBytes;
            int resizes = table.Resizes;

            // Down to a third and back up, many times: within the hysteresis band nothing is reallocated.
            for (int round = 0; round < 50; round++)
            {
                for (int i = 0; i < 680; i++)
                {
                    Assert.True(table.TryFind(keys[i], out int slot));
                    table.Remove(slot);
                    table.TrimIfSparse();
                }

                for (int i = 0; i < 680; i++)
                {
                    table.Add(keys[i], 1, 1, pinned: false);
                }
            }

            Assert.Equal(resizes, table.Resizes);
            Assert.Equal(held, table.HeldBytes);
        }

        [Fact]
        public void Entries_keep_their_order_and_data_across_a_shrink()
        {
            var table = new EntryTable();
            string[] keys = MakeKeys(5000, "o");
            for (int i = 0; i < keys.Length; i++)
            {
                table.Add(keys[i], i, i, pinned: i % 10 == 0);
            }

            // Remove all but every 50th entry, from the front, so that survivors sit in high slots.
            var kept = new List<string>();
            for (int i = 0; i < keys.Length; i++)
            {
                if (i % 50 == 49)
                {
                    kept.Add(keys[i]);
                    continue;
                }

                Assert.True(table.TryFind(keys[i], out int slot));
                table.Remove(slot);
                table.TrimIfSparse();
            }

            Assert.Equal(kept.Count, table.Count);
            List<int> order = table.OldestFirst(int.MaxValue);
            Assert.Equal(kept.Count, order.Count);
            for (int i = 0; i < order.Count; i++)
            {
                Assert.Equal(kept[i], table.KeyAt(order[i]));
                int n = int.Parse(kept[i].Substring(1), System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(n, table.SizeAt(order[i]));
                Assert.Equal(n % 10 == 0, table.IsPinnedAt(order[i]));
                Assert.True(table.TryFind(kept[i], out int found));
                Assert.Equal(order[i], found);
            }

            Assert.False(table.TryFind(keys[0], out _));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_memory_store_gives_memory_back_after_removals_and_cleanup(bool byCleanup)
        {
            var store = new MemoryStore("trim", TestSupport.Limits(state: 100_000_000, value: 100, entries: 1_000_000, threshold: 1.0, auto: false));
            var m = new StateMonitor(store);
            long empty = store.TableHeldBytes;
            string[] keys = MakeKeys(100_000, "m");
            foreach (string key in keys)
            {
                Assert.True(m.RecordAllocation(key, 10));
            }

            long peak = store.TableHeldBytes;
            if (byCleanup)
            {
                Assert.Equal(keys.Length, m.Cleanup(0).EntriesRemoved);
            }
            else
            {
                foreach (string key in keys)
                {
                    Assert.True(m.RecordDeallocation(key));
                }
            }

            Assert.Equal(0, m.ValueCount);
            Assert.True(store.TableHeldBytes <= peak / 10, $"{store.TableHeldBytes} of a peak of {peak} bytes are still held");
            Assert.Equal(empty, store.TableHeldBytes);
        }
    }
}
