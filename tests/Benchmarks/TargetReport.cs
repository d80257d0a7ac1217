using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Reports;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>One line of the targets table.</summary>
    public sealed class TargetRow
    {
        public string Name { get; set; } = "";

        public string Measured { get; set; } = "";

        public string Goal { get; set; } = "";

        /// <summary>True / false for a target, null for a context line (no target).</summary>
        public bool? Met { get; set; }

        public double? Value { get; set; }
    }

    /// <summary>
    /// Turns the summaries of one run (and the footprint and allocation checks) into the ratios the issue sets
    /// targets for, so every ratio comes from the same run.
    /// </summary>
    public static class TargetReport
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        public static List<TargetRow> Build(IEnumerable<Summary> summaries, IReadOnlyList<FootprintResult>? footprint, IReadOnlyList<AllocationCheck.Result>? allocations)
        {
            var means = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (Summary summary in summaries)
            {
                foreach (BenchmarkReport report in summary.Reports)
                {
                    if (report.ResultStatistics == null)
                    {
                        continue;
                    }

                    string key = report.BenchmarkCase.Descriptor.Type.Name + "." + report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
                    int? entries = PerEvictedColumn.Entries(report.BenchmarkCase);
                    if (entries != null)
                    {
                        key += "@" + entries.Value.ToString(Inv);
                    }

                    means[key] = report.ResultStatistics.Mean;
                }
            }

            var rows = new List<TargetRow>();
            Ratio(rows, means, "Update: RecordAllocation / ConcurrentLru.AddOrUpdate", "HotPathBenchmarks.Monitor_RecordAllocation", "HotPathBenchmarks.Lru_AddOrUpdate", 1.5);
            Ratio(rows, means, "Update: RecordAllocation / MemoryCache.Set", "HotPathBenchmarks.Monitor_RecordAllocation", "HotPathBenchmarks.MemoryCache_Set", 0.5);
            Ratio(rows, means, "Access: RecordAccess / ConcurrentLru.TryGet", "HotPathBenchmarks.Monitor_RecordAccess", "HotPathBenchmarks.Lru_TryGet", 2.5);
            Ratio(rows, means, "Access: RecordAccess / MemoryCache.TryGetValue", "HotPathBenchmarks.Monitor_RecordAccess", "HotPathBenchmarks.MemoryCache_TryGetValue", 0.5);
            Ratio(rows, means, "Fast: RecordAllocation / Interlocked.Add pair", "FastModeBenchmarks.Fast_RecordAllocation", "FastModeBenchmarks.Floor_InterlockedPair", 2.0);
            Ratio(rows, means, "Fast: allocate+deallocate / two Interlocked.Add pairs", "FastModeBenchmarks.Fast_AllocateDeallocate", "FastModeBenchmarks.Floor_TwoInterlockedPairs", 1.5);
            Ratio(rows, means, "Snapshot export of 1M entries / Utf8JsonWriter alone", "SnapshotBenchmarks.Export_Snapshot", "SnapshotBenchmarks.Floor_Utf8JsonWriter", 2.0);
            Ratio(rows, means, "Snapshot import of 1M entries / Utf8JsonReader alone", "SnapshotBenchmarks.Import_Snapshot", "SnapshotBenchmarks.Floor_Utf8JsonReader", 2.0);
            Ratio(rows, means, "Churn: monitor / ConcurrentLru (context)", "ChurnBenchmarks.Monitor_RecordAllocation_NewKeys", "ChurnBenchmarks.Lru_AddOrUpdate_NewKeys", null);
            Ratio(rows, means, "Churn: monitor / MemoryCache (context)", "ChurnBenchmarks.Monitor_RecordAllocation_NewKeys", "ChurnBenchmarks.MemoryCache_Set_NewKeys", null);
            SharedBudgetRatios(rows, means);

            if (allocations != null)
            {
                foreach (AllocationCheck.Result check in allocations)
                {
                    rows.Add(new TargetRow
                    {
                        Name = "Allocated by " + check.Name + " (" + check.Calls.ToString("N0", Inv) + " calls, existing keys)",
                        Measured = check.Bytes.ToString("N0", Inv) + " B",
                        Goal = "0 B",
                        Met = check.Bytes == 0,
                        Value = check.Bytes,
                    });
                }
            }

            var perEvicted = new List<(int Entries, double Ns)>();
            foreach (int entries in new[] { 10_000, 100_000, 1_000_000 })
            {
                if (means.TryGetValue("CleanupBenchmarks.Monitor_Cleanup@" + entries.ToString(Inv), out double mean))
                {
                    perEvicted.Add((entries, mean / (entries / 2)));
                }

                if (means.TryGetValue("CleanupBenchmarks.MemoryCache_Compact@" + entries.ToString(Inv), out double compact) && mean > 0)
                {
                    rows.Add(new TargetRow
                    {
                        Name = "Cleanup at " + entries.ToString("N0", Inv) + ": monitor / MemoryCache.Compact (context)",
                        Measured = (mean / compact).ToString("0.00", Inv) + "x",
                        Value = mean / compact,
                    });
                }
            }

            Flatness(rows, perEvicted, "Cleanup to 50 %: ns per evicted entry, max / min over ", "<= 1.5x");
            Flatness(rows, PerEvicted(means, "CleanupBenchmarks.Monitor_Cleanup_5k", fixedCount: CleanupBenchmarks.FixedEvictions), "Cleanup of a fixed 5,000 entries: ns per evicted entry, max / min (context: O(k)) over ", null);
            Flatness(rows, PerEvicted(means, "CleanupBenchmarks.Dictionary_Remove", fixedCount: null), "Floor: Dictionary<string,int>.Remove of the same keys: ns per key, max / min (context: cache effects) over ", null);

            if (footprint != null)
            {
                FootprintResult? monitor = footprint.FirstOrDefault(f => f.Name == Footprint.MonitorName);
                FootprintResult? floor = footprint.FirstOrDefault(f => f.Name == Footprint.FloorName);
                if (monitor != null)
                {
                    rows.Add(new TargetRow
                    {
                        Name = "Memory per tracked entry at " + monitor.Entries.ToString("N0", Inv) + " entries (beyond the key string)",
                        Measured = monitor.BytesPerEntry.ToString("0.0", Inv) + " B" + (floor != null ? " (" + (monitor.BytesPerEntry / floor.BytesPerEntry).ToString("0.00", Inv) + "x the ConcurrentDictionary floor)" : ""),
                        Goal = "<= 100 B",
                        Met = monitor.BytesPerEntry <= 100,
                        Value = monitor.BytesPerEntry,
                    });
                }
            }

            if (means.TryGetValue("ThreadingBenchmarks.Monitor_OneThread", out double one) && means.TryGetValue("ThreadingBenchmarks.Monitor_TwoThreads", out double two))
            {
                rows.Add(new TargetRow
                {
                    Name = "Two threads on one monitor: total throughput / one thread",
                    Measured = (one / two).ToString("0.00", Inv) + "x",
                    Goal = ">= 0.7x",
                    Met = one / two >= 0.7,
                    Value = one / two,
                });
            }

            if (means.TryGetValue("ThreadingBenchmarks.Lru_OneThread", out double lruOne) && means.TryGetValue("ThreadingBenchmarks.Lru_TwoThreads", out double lruTwo))
            {
                rows.Add(new TargetRow
                {
                    Name = "Two threads on one ConcurrentLru: total throughput / one thread (context)",
                    Measured = (lruOne / lruTwo).ToString("0.00", Inv) + "x",
                    Value = lruOne / lruTwo,
                });
            }

            return rows;
        }

        public static string ToMarkdown(IReadOnlyList<TargetRow> rows, IReadOnlyList<FootprintResult>? footprint)
        {
            var text = new StringBuilder();
            text.AppendLine("| target | measured | goal | met |");
            text.AppendLine("|---|---|---|---|");
            foreach (TargetRow row in rows)
            {
                text.Append("| ").Append(row.Name).Append(" | ").Append(row.Measured).Append(" | ").Append(row.Goal.Length == 0 ? "-" : row.Goal)
                    .Append(" | ").Append(row.Met == null ? "-" : row.Met.Value ? "yes" : "**no**").AppendLine(" |");
            }

            if (footprint != null && footprint.Count > 0)
            {
                text.AppendLine();
                text.AppendLine("| structure | entries | retained bytes | bytes per entry |");
                text.AppendLine("|---|---:|---:|---:|");
                foreach (FootprintResult f in footprint)
                {
                    text.Append("| ").Append(f.Name).Append(" | ").Append(f.Entries.ToString("N0", Inv)).Append(" | ")
                        .Append(f.Bytes.ToString("N0", Inv)).Append(" | ").Append(f.BytesPerEntry.ToString("0.0", Inv)).AppendLine(" |");
                }
            }

            return text.ToString();
        }

        public static void Write(string directory, IReadOnlyList<TargetRow> rows, IReadOnlyList<FootprintResult>? footprint)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "targets.md"), ToMarkdown(rows, footprint));
            var json = new
            {
                Date = DateTime.UtcNow.ToString("o", Inv),
                Targets = rows,
                Footprint = footprint?.Select(f => new { f.Name, f.Entries, f.Bytes, f.BytesPerEntry }),
            };
            File.WriteAllText(Path.Combine(directory, "targets.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        }

        private static List<(int Entries, double Ns)> PerEvicted(Dictionary<string, double> means, string method, int? fixedCount)
        {
            var result = new List<(int Entries, double Ns)>();
            foreach (int entries in new[] { 10_000, 100_000, 1_000_000 })
            {
                if (means.TryGetValue(method + "@" + entries.ToString(Inv), out double mean))
                {
                    result.Add((entries, mean / (fixedCount ?? entries / 2)));
                }
            }

            return result;
        }

        private static void Flatness(List<TargetRow> rows, List<(int Entries, double Ns)> perEvicted, string name, string? goal)
        {
            if (perEvicted.Count < 2)
            {
                return;
            }

            double min = perEvicted.Min(p => p.Ns);
            double max = perEvicted.Max(p => p.Ns);
            rows.Add(new TargetRow
            {
                Name = name + string.Join(", ", perEvicted.Select(p => p.Entries.ToString("N0", Inv))),
                Measured = (max / min).ToString("0.00", Inv) + "x (" + string.Join(" / ", perEvicted.Select(p => p.Ns.ToString("0.0", Inv) + " ns")) + ")",
                Goal = goal ?? "",
                Met = goal == null ? null : max / min <= 1.5,
                Value = max / min,
            });
        }

        // A shared (Redis) budget's single calls, each against the lower of the two EVALSHA floors of the same run.
        private static void SharedBudgetRatios(List<TargetRow> rows, Dictionary<string, double> means)
        {
            foreach (int entries in new[] { 10_000, 1_000_000 })
            {
                string at = "@" + entries.ToString(Inv);
                string sync = "RedisBenchmarks." + nameof(RedisBenchmarks.Floor_EvalSha_Return1) + at;
                string task = "RedisBenchmarks." + nameof(RedisBenchmarks.Floor_EvalSha_Return1_Task) + at;
                if (!means.TryGetValue(sync, out double syncMean) || !means.TryGetValue(task, out double taskMean))
                {
                    continue;
                }

                string floor = taskMean <= syncMean ? task : sync;
                foreach ((string name, string method, _) in RedisBenchmarks.SingleCalls)
                {
                    Ratio(rows, means, $"Shared budget, {entries.ToString("N0", Inv)} entries: {name} / EVALSHA floor", "RedisBenchmarks." + method + at, floor, 1.5);
                }
            }
        }

        private static void Ratio(List<TargetRow> rows, Dictionary<string, double> means, string name, string subject, string reference, double? goal)
        {
            if (!means.TryGetValue(subject, out double a) || !means.TryGetValue(reference, out double b) || b <= 0)
            {
                return;
            }

            double ratio = a / b;
            rows.Add(new TargetRow
            {
                Name = name,
                Measured = ratio.ToString("0.00", Inv) + "x (" + a.ToString("0.0", Inv) + " ns vs " + b.ToString("0.0", Inv) + " ns)",
                Goal = goal == null ? "" : "<= " + goal.Value.ToString("0.0##", Inv) + "x",
                Met = goal == null ? null : ratio <= goal.Value,
                Value = ratio,
            });
        }
    }
}
