using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>
    /// Runs the BenchmarkDotNet suite, then the memory-footprint and allocation checks, and writes the target
    /// ratios of that one run to &lt;artifacts&gt;/results/targets.md and targets.json.
    /// Options of its own (everything else goes to BenchmarkDotNet, e.g. --filter, --artifacts):
    ///   --quick              short job (3 warm-up, 3 measured iterations) and 100k-entry footprint
    ///   --dry                one iteration of everything: a check that it all runs, not a measurement
    ///   --footprint-entries N   entries for the memory footprint (default 1,000,000)
    ///   --no-footprint       skip the footprint and allocation checks
    ///   --footprint-only     only the footprint and allocation checks
    ///   --latency N          only the churn tail latency, N timed calls per structure (see ChurnLatency)
    ///   --redis-interleaved N   only the shared budget's single calls, N rounds interleaved (see RedisInterleaved)
    /// With no --filter, every benchmark runs.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            var rest = new List<string>();
            bool quick = false, dry = false, noFootprint = false, footprintOnly = false;
            int? footprintEntries = null;
            int? latencyCalls = null;
            int? redisRounds = null;
            string artifacts = Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts");
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--quick": quick = true; break;
                    case "--dry": dry = true; break;
                    case "--no-footprint": noFootprint = true; break;
                    case "--footprint-only": footprintOnly = true; break;
                    case "--latency": latencyCalls = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--redis-interleaved": redisRounds = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--footprint-entries": footprintEntries = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                    default:
                        if ((args[i] == "--artifacts" || args[i] == "-a") && i + 1 < args.Length)
                        {
                            artifacts = Path.GetFullPath(args[i + 1]);
                        }

                        rest.Add(args[i]);
                        break;
                }
            }

            if (latencyCalls.HasValue)
            {
                Console.WriteLine($"// Churn tail latency, {latencyCalls.Value:N0} timed calls per structure");
                Console.WriteLine(ChurnLatency.ToMarkdown(ChurnLatency.Measure(latencyCalls.Value)));
                return 0;
            }

            if (redisRounds.HasValue)
            {
                Console.WriteLine(RedisInterleaved.Measure(redisRounds.Value));
                return 0;
            }

            if (!rest.Contains("--filter") && !rest.Contains("-f"))
            {
                rest.Add("--filter");
                rest.Add("*");
            }

            if (!rest.Contains("--artifacts") && !rest.Contains("-a"))
            {
                rest.Add("--artifacts");
                rest.Add(artifacts);
            }

            var summaries = new List<Summary>();
            if (!footprintOnly)
            {
                IConfig config = DefaultConfig.Instance
                    .AddJob(dry ? Job.Dry : quick ? QuickJob() : FullJob())
                    // The default 2 minutes to build a benchmark process is too little on this machine when others build too.
                    .WithBuildTimeout(TimeSpan.FromMinutes(15))
                    .AddColumn(StatisticColumn.Median, new PerEvictedColumn())
                    .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.StopOnFirstError);
                summaries.AddRange(BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.ToArray(), config));
                if (summaries.Sum(s => s.Reports.Length) == 0)
                {
                    Console.Error.WriteLine("No benchmark ran: check the --filter.");
                    return 1;
                }

                if (summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)))
                {
                    Console.Error.WriteLine("Some benchmarks failed; see the log above.");
                    return 1;
                }
            }

            IReadOnlyList<FootprintResult>? footprint = null;
            IReadOnlyList<AllocationCheck.Result>? allocations = null;
            if (!noFootprint)
            {
                int entries = footprintEntries ?? (dry ? 10_000 : quick ? 100_000 : 1_000_000);
                Console.WriteLine($"// Memory footprint at {entries:N0} entries and allocation checks ...");
                footprint = Footprint.Measure(entries);
                allocations = AllocationCheck.Run();
            }

            List<TargetRow> rows = TargetReport.Build(summaries, footprint, allocations);
            string results = Path.Combine(artifacts, "results");
            TargetReport.Write(results, rows, footprint);
            Console.WriteLine();
            Console.WriteLine("// Targets (ratios from this run):");
            Console.WriteLine(TargetReport.ToMarkdown(rows, footprint));
            Console.WriteLine("// Written to " + Path.Combine(results, "targets.md"));
            return 0;
        }

        /// <summary>The measurement job: one process per benchmark, 5 warm-up and 20 measured iterations of 250 ms.</summary>
        private static Job FullJob() =>
            Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(5)
                .WithIterationCount(20)
                .WithIterationTime(TimeInterval.FromMilliseconds(250))
                .WithId("Full");

        private static Job QuickJob() => Job.ShortRun.WithId("Quick");
    }
}
