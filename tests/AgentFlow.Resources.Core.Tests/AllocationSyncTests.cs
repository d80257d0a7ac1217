using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using AgentFlow.Resources;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    public class AllocationSyncTests
    {
        private static readonly char Sep = Path.DirectorySeparatorChar;

        [Fact]
        public void Plan_adds_updates_and_removes_and_leaves_unchanged_and_unrelated_keys_alone()
        {
            StateMonitor m = Monitor(state: 10_000, value: 5000);
            m.RecordAllocation("same", 10);
            m.RecordAllocation("grown", 20);
            m.RecordAllocation("gone", 30);
            m.RecordAllocation("elsewhere", 40);
            var observed = new[] { Pair("new", 5), Pair("grown", 25), Pair("same", 10) };
            IReadOnlyList<SyncChange> changes = AllocationSync.Plan(m.GetAllocations(), observed, key => key != "elsewhere", out int unchanged);
            Assert.Equal(1, unchanged);
            Assert.Equal(
                new[] { "Added new 5 0", "Updated grown 25 20", "Removed gone 30 30" },
                changes.Select(c => $"{c.Kind} {c.Key} {c.Size} {c.PreviousSize}"));
            Assert.Equal(new long[] { 5, 5, -30 }, changes.Select(c => c.SizeChange));
            Assert.Equal("Remove 'gone' (30 B), no longer there", changes[2].ToString());
        }

        [Fact]
        public void Summary_counts_changes_and_bytes()
        {
            var summary = new SyncSummary("m", "/data");
            summary.Count(new SyncChange(SyncChangeKind.Added, "a", 5, 0));
            summary.Count(new SyncChange(SyncChangeKind.Updated, "b", 25, 20));
            summary.Count(new SyncChange(SyncChangeKind.Removed, "c", 30, 30));
            summary.CountUnchanged(2);
            Assert.Equal("1 5 1 25 1 30 2 -20", $"{summary.Added} {summary.AddedBytes} {summary.Updated} {summary.UpdatedBytes} {summary.Removed} {summary.RemovedBytes} {summary.Unchanged} {summary.SizeChange}");
        }

        [Theory]
        [InlineData("a.json", "*.json", true)]
        [InlineData("a.json", "*.log", false)]
        [InlineData("step01.log", "step??.log", true)]
        [InlineData("step1.log", "step??.log", false)]
        [InlineData("abc", "a*c", true)]
        [InlineData("abcbc", "a*bc", true)]
        [InlineData("ab", "a*bc", false)]
        [InlineData("anything", null, true)]
        [InlineData("anything", "*", true)]
        public void Filters_match_star_and_question_mark(string name, string? filter, bool expected)
        {
            Assert.Equal(expected, AllocationSync.MatchesFilter(name, filter));
        }

        [Fact]
        public void A_key_is_in_the_folder_only_when_it_is_a_file_path_the_sync_covers()
        {
            string folder = $"{Sep}data{Sep}out";
            Assert.True(AllocationSync.IsInFolder($"{folder}{Sep}a.bin", folder, false, null));
            Assert.False(AllocationSync.IsInFolder($"{folder}{Sep}sub{Sep}a.bin", folder, false, null));
            Assert.True(AllocationSync.IsInFolder($"{folder}{Sep}sub{Sep}a.bin", folder, true, null));
            Assert.False(AllocationSync.IsInFolder($"{folder}2{Sep}a.bin", folder, true, null));
            Assert.False(AllocationSync.IsInFolder(folder, folder, true, null));
            Assert.False(AllocationSync.IsInFolder("a.bin", folder, true, null));
            Assert.False(AllocationSync.IsInFolder($"{folder}{Sep}a.bin", folder, false, "*.log"));
        }

        [Fact]
        public void A_folder_is_observed_in_path_order_with_lengths()
        {
            string root = Path.Combine(Path.GetTempPath(), "sync-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(root, "sub"));
            try
            {
                File.WriteAllBytes(Path.Combine(root, "b.bin"), new byte[2]);
                File.WriteAllBytes(Path.Combine(root, "a.bin"), new byte[1]);
                File.WriteAllBytes(Path.Combine(root, "sub", "c.log"), new byte[3]);
                Assert.Equal(new[] { "a.bin:1", "b.bin:2" }, AllocationSync.ObserveFolder(root, false, null).Select(p => $"{Path.GetFileName(p.Key)}:{p.Value}"));
                Assert.Equal(new[] { "c.log:3" }, AllocationSync.ObserveFolder(root, true, "*.log").Select(p => $"{Path.GetFileName(p.Key)}:{p.Value}"));
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }

        [Fact]
        public void Process_keys_name_the_process_and_only_exited_ones_are_gone()
        {
            using Process self = Process.GetCurrentProcess();
            string key = AllocationSync.ProcessKey(self.ProcessName, self.Id);
            Assert.Equal($"process/{self.ProcessName}/{self.Id}", key);
            Assert.False(AllocationSync.IsExitedProcess(key));
            Assert.True(AllocationSync.IsExitedProcess($"process/{self.ProcessName}x/{self.Id}"));
            Assert.True(AllocationSync.IsExitedProcess("process/ghost/999999999"));
            Assert.False(AllocationSync.IsExitedProcess("other/x/1"));
            Assert.False(AllocationSync.IsExitedProcess("process/noid"));
            IReadOnlyList<KeyValuePair<string, long>> observed = AllocationSync.ObserveProcesses(new[] { self });
            Assert.Equal(key, Assert.Single(observed).Key);
            Assert.True(observed[0].Value > 0);
        }

        private static KeyValuePair<string, long> Pair(string key, long size) => new KeyValuePair<string, long>(key, size);
    }
}
