using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>
    /// The <see cref="RedisBenchmarks"/> calls measured interleaved: each round times one batch (200 calls) of every
    /// benchmark in turn, both floors included, so a slow stretch of the machine (a virtual machine's neighbours, the
    /// other core busy) lands on all of them alike instead of on whichever benchmark ran then, as it does when
    /// BenchmarkDotNet runs them one after another. Per round, each call's time is divided by the lower of that round's
    /// two floors; the table gives the median over the rounds of the times and of those ratios.
    /// </summary>
    public static class RedisInterleaved
    {
        // The two floors first (the ratios divide by the lower of them), then every single call of the targets.
        private static readonly (string Name, Func<RedisBenchmarks, long> Batch)[] Calls =
            new (string Name, Func<RedisBenchmarks, long> Batch)[]
            {
                ("floor: EVALSHA of return 1, synchronous", b => b.Floor_EvalSha_Return1()),
                ("floor: EVALSHA of return 1, task waited on", b => b.Floor_EvalSha_Return1_Task()),
            }
            .Concat(RedisBenchmarks.SingleCalls.Select(c => (c.Name, c.Run)))
            .ToArray();

        private const int BatchCalls = 200; // RedisBenchmarks.Batch: the calls one benchmark invocation makes

        public static string Measure(int rounds)
        {
            var text = new StringBuilder();
            foreach (int entries in new[] { 10_000, 1_000_000 })
            {
                var bench = new RedisBenchmarks { Entries = entries };
                bench.Setup();
                try
                {
                    text.Append(Table(entries, Run(bench, rounds)));
                }
                finally
                {
                    bench.Cleanup();
                }
            }

            return text.ToString();
        }

        // Microseconds per call: [call][round].
        private static double[][] Run(RedisBenchmarks bench, int rounds)
        {
            var times = new double[Calls.Length][];
            for (int c = 0; c < Calls.Length; c++)
            {
                times[c] = new double[rounds];
                for (int warm = 0; warm < 5; warm++)
                {
                    Calls[c].Batch(bench);
                }
            }

            for (int r = 0; r < rounds; r++)
            {
                for (int c = 0; c < Calls.Length; c++)
                {
                    long start = Stopwatch.GetTimestamp();
                    Calls[c].Batch(bench);
                    long ticks = Stopwatch.GetTimestamp() - start;
                    times[c][r] = ticks * 1_000_000.0 / Stopwatch.Frequency / BatchCalls;
                }
            }

            return times;
        }

        private static string Table(int entries, double[][] times)
        {
            int rounds = times[0].Length;
            var lowerFloor = new double[rounds];
            for (int r = 0; r < rounds; r++)
            {
                lowerFloor[r] = Math.Min(times[0][r], times[1][r]);
            }

            var text = new StringBuilder();
            text.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0:N0} entries, {1} rounds of {2} calls each, interleaved (µs per call; ratio to the lower floor of the same round):", entries, rounds, BatchCalls));
            text.AppendLine();
            text.AppendLine("| call | median µs | median ratio | ratio, 25th-75th percentile |");
            text.AppendLine("|---|---:|---:|---|");
            for (int c = 0; c < Calls.Length; c++)
            {
                double[] ratios = times[c].Select((t, r) => t / lowerFloor[r]).ToArray();
                text.AppendLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:0.0} | {2:0.00}x | {3:0.00}x-{4:0.00}x |",
                    Calls[c].Name, Percentile(times[c], 0.5), Percentile(ratios, 0.5), Percentile(ratios, 0.25), Percentile(ratios, 0.75)));
            }

            text.AppendLine();
            return text.ToString();
        }

        private static double Percentile(double[] values, double p)
        {
            double[] sorted = values.OrderBy(v => v).ToArray();
            return sorted[(int)Math.Round(p * (sorted.Length - 1))];
        }
    }
}
