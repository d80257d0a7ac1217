using System;
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
        public void Keys_crafted_to_collide_switch_the_table_to_the_randomized_hash_and_every_key_stays_found()
        {
            // Keys whose fixed hash shares its low 12 bits: all in one chain for any table of up to 4096 buckets.
            var colliding = new List<string>();
            for (int i = 0; colliding.Count < EntryTable.MaxChainSteps + 10; i++)
            {
                string key = "crafted-" + i;
                if ((KeyHash.Fast(key) & 4095) == 0)
                {
                    colliding.Add(key);
                }
            }

            var table = new EntryTable();
            foreach (string key in colliding)
            {
                Assert.False(table.TryFind(key, out _));   // the store's look-up before an add walks the whole chain
                table.Add(key, 1, 1, pinned: false);
            }

            Assert.True(table.UsesRandomizedHash);
            Assert.Equal(colliding.Count, table.Count);
            foreach (string key in colliding)
            {
                Assert.True(table.TryFind(key, out _), key);
            }

            Assert.True(table.TryFind(colliding[3], out int third));
            table.Remove(third);
            Assert.False(table.TryFind(colliding[3], out _));
            Assert.True(table.TryFind(colliding[4], out _));
            Assert.Equal(colliding[0], table.KeyAt(table.OldestEvictable));
        }

        private static List<string> KeysInOneChain(int count)
        {
            var keys = new List<string>();
            for (int i = 0; keys.Count < count; i++)
            {
                string key = "crafted-" + i;
                if ((KeyHash.Fast(key) & 4095) == 0)
                {
                    keys.Add(key);
                }
            }

            return keys;
        }

        [Fact]
        public void The_switch_comes_with_the_first_walk_longer_than_the_bound_and_not_before()
        {
            List<string> keys = KeysInOneChain(EntryTable.MaxChainSteps + 2);
            var table = new EntryTable();
            for (int i = 0; i <= EntryTable.MaxChainSteps; i++)
            {
                Assert.False(table.TryFind(keys[i], out _));   // walks i entries
                table.Add(keys[i], 1, 1, pinned: false);
            }

            Assert.False(table.UsesRandomizedHash);            // the longest walk was MaxChainSteps entries
            Assert.False(table.TryFind(keys[EntryTable.MaxChainSteps + 1], out _));   // walks MaxChainSteps + 1
            Assert.True(table.UsesRandomizedHash);
        }

        [Fact]
        public void The_switch_in_a_table_full_to_its_last_slot_rehashes_every_entry_and_only_those()
        {
            // 128 entries in a table of 128 slots: every slot is in use, so the rehash on the switch must stop at
            // the last one (a walk to one slot further reads past the table).
            List<string> chain = KeysInOneChain(EntryTable.MaxChainSteps + 2);
            var table = new EntryTable();
            var present = new List<string>();
            for (int i = 0; i <= EntryTable.MaxChainSteps; i++)
            {
                table.Add(chain[i], i, i, pinned: false);
                present.Add(chain[i]);
            }

            for (int i = 0; present.Count < 128; i++)
            {
                table.Add("filler-" + i, 1, 1, pinned: false);
                present.Add("filler-" + i);
            }

            Assert.Equal(3, table.Resizes);   // 16 -> 32 -> 64 -> 128, no further
            Assert.False(table.TryFind(chain[EntryTable.MaxChainSteps + 1], out _));   // walks MaxChainSteps + 1
            Assert.True(table.UsesRandomizedHash);
            Assert.Equal(128, table.Count);
            foreach (string key in present)
            {
                Assert.True(table.TryFind(key, out _), key);
            }

            Assert.True(table.TryFind(chain[5], out int slot));
            Assert.Equal(5, table.SizeAt(slot));
        }

        [Fact]
        public void AddIfAbsent_switches_on_a_long_chain_and_still_adds_the_key()
        {
            List<string> keys = KeysInOneChain(EntryTable.MaxChainSteps + 2);
            var table = new EntryTable();
            for (int i = 0; i <= EntryTable.MaxChainSteps; i++)
            {
                Assert.NotEqual(EntryTable.None, table.AddIfAbsent(keys[i], 1, 1, pinned: false));
            }

            Assert.False(table.UsesRandomizedHash);
            string last = keys[EntryTable.MaxChainSteps + 1];
            Assert.NotEqual(EntryTable.None, table.AddIfAbsent(last, 7, 7, pinned: false));
            Assert.True(table.UsesRandomizedHash);
            Assert.True(table.TryFind(last, out int slot));
            Assert.Equal(7, table.SizeAt(slot));
            Assert.Equal(EntryTable.None, table.AddIfAbsent(keys[0], 1, 1, pinned: false));
            Assert.Equal(keys.Count, table.Count);
        }

        [Fact]
        public void Two_keys_with_the_same_full_hash_are_told_apart_by_the_key()
        {
            // A birthday search finds two keys whose fixed hash is equal in all 32 bits.
            var seen = new Dictionary<int, string>();
            string first = null!;
            string second = null!;
            for (int i = 0; second == null; i++)
            {
                string key = "k" + i;
                int hash = KeyHash.Fast(key);
                if (seen.TryGetValue(hash, out string? earlier))
                {
                    first = earlier;
                    second = key;
                }
                else
                {
                    seen[hash] = key;
                }
            }

            var table = new EntryTable();
            table.Add(first, 1, 1, pinned: false);
            Assert.False(table.TryFind(second, out _));
            int added = table.AddIfAbsent(second, 2, 2, pinned: false);
            Assert.NotEqual(EntryTable.None, added);
            Assert.True(table.TryFind(second, out int slot));
            Assert.Equal(2, table.SizeAt(slot));
            Assert.True(table.TryFind(first, out slot));
            Assert.Equal(1, table.SizeAt(slot));
        }

        [Fact]
        public void EnsureCapacity_of_what_the_table_has_or_a_power_of_two_allocates_exactly_that()
        {
            var table = new EntryTable();
            long empty = table.HeldBytes;
            table.EnsureCapacity(16);
            Assert.Equal(0, table.Resizes);
            Assert.Equal(empty, table.HeldBytes);

            var grown = new EntryTable();
            foreach (string key in MakeKeys(8192, "g"))
            {
                grown.Add(key, 1, 1, pinned: false);
            }

            var sized = new EntryTable();
            sized.EnsureCapacity(8192);
            Assert.Equal(1, sized.Resizes);
            Assert.Equal(grown.HeldBytes, sized.HeldBytes);
        }

        [Fact]
        public void Ordinary_keys_keep_the_fast_hash()
        {
            var table = new EntryTable();
            foreach (string key in MakeKeys(50_000, "state/step-"))
            {
                Assert.False(table.TryFind(key, out _));
                table.Add(key, 1, 1, pinned: false);
            }

            Assert.False(table.UsesRandomizedHash);
            Assert.True(table.TryFind("state/step-49999", out _));
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

        // What a table of that many slots in that many segments holds: 48 B a slot, 4 B a bucket (one per slot), a directory pointer per segment.
        private static long Held(long slots, int segments) => (slots * 48) + (slots * 4) + (segments * (long)IntPtr.Size);

        private static void RemoveKey(EntryTable table, string key)
        {
            Assert.True(table.TryFind(key, out int slot));
            table.Remove(slot);
            table.TrimIfSparse();
        }

        [Fact]
        public void The_table_grows_by_doubling_and_shrinks_at_exactly_a_quarter_to_twice_its_count()
        {
            var table = new EntryTable();
            Assert.Equal(Held(16, 1), table.HeldBytes);
            Assert.Equal(0, table.Resizes);
            string[] keys = MakeKeys(16_385, "g");
            for (int i = 0; i < keys.Length; i++)
            {
                table.Add(keys[i], 1, 1, pinned: false);
                if (i == 16)
                {
                    Assert.Equal(Held(32, 1), table.HeldBytes); // the 17th entry doubled the first segment
                    Assert.Equal(1, table.Resizes);
                }
                else if (i == 4096)
                {
                    Assert.Equal(Held(8192, 2), table.HeldBytes); // past one segment: a second one
                    Assert.Equal(9, table.Resizes);
                }
            }

            Assert.Equal(Held(32_768, 8), table.HeldBytes);
            Assert.Equal(11, table.Resizes);

            // Removed from the oldest: at each quarter of the slots (and not one entry before) the table shrinks to
            // the smallest power of two at least twice the count, giving back segments and then the first one's tail.
            var expected = new Dictionary<int, (long Held, int Resizes)>
            {
                [8193] = (Held(32_768, 8), 11),
                [8192] = (Held(16_384, 4), 12),
                [4097] = (Held(16_384, 4), 12),
                [4096] = (Held(8192, 2), 13),
                [2048] = (Held(4096, 1), 14),
                [1024] = (Held(2048, 1), 15),
                [17] = (Held(64, 1), 20),
                [16] = (Held(32, 1), 21),
                [8] = (Held(16, 1), 22),
                [0] = (Held(16, 1), 22),
            };
            for (int i = 0; i < keys.Length; i++)
            {
                RemoveKey(table, keys[i]);
                int count = keys.Length - i - 1;
                Assert.Equal(count, table.Count);
                if (expected.TryGetValue(count, out (long Held, int Resizes) e))
                {
                    Assert.Equal(e.Held, table.HeldBytes);
                    Assert.Equal(e.Resizes, table.Resizes);
                }
            }
        }

        [Fact]
        public void A_table_filled_to_its_last_slot_shrinks_and_keeps_its_entries()
        {
            var table = new EntryTable();
            string[] keys = MakeKeys(64, "f");
            foreach (string key in keys)
            {
                table.Add(key, 3, 3, pinned: false);
            }

            Assert.Equal(Held(64, 1), table.HeldBytes); // every slot in use
            for (int i = 0; i < 48; i++)
            {
                RemoveKey(table, keys[i]);
            }

            Assert.Equal(16, table.Count);
            Assert.Equal(Held(32, 1), table.HeldBytes);
            List<int> order = table.OldestFirst(int.MaxValue);
            Assert.Equal(16, order.Count);
            for (int i = 0; i < 16; i++)
            {
                Assert.Equal(keys[48 + i], table.KeyAt(order[i]));
                Assert.True(table.TryFind(keys[48 + i], out int slot));
                Assert.Equal(order[i], slot);
            }
        }

        [Fact]
        public void Pinning_an_entry_as_it_already_is_changes_nothing()
        {
            var table = new EntryTable();
            int a = table.Add("a", 1, 1, pinned: false);
            int b = table.Add("b", 2, 2, pinned: true);
            int c = table.Add("c", 3, 3, pinned: false);
            int d = table.Add("d", 4, 4, pinned: true);

            table.SetPinned(a, false);
            table.SetPinned(b, true);
            table.SetPinned(c, false);
            table.SetPinned(d, true);

            List<int> order = table.OldestFirst(10);
            Assert.Equal(new[] { a, b, c, d }, order);
            Assert.Equal(new[] { false, true, false, true }, order.ConvertAll(table.IsPinnedAt));
            Assert.Equal(a, table.OldestEvictable);
            Assert.Equal(c, table.NewerThan(a));
            Assert.Equal(EntryTable.None, table.NewerThan(c));
            Assert.Equal(d, table.NewerThan(b));
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
