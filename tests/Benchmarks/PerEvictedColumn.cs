using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>Cleanup benchmarks: mean time divided by the entries evicted (half of Entries).</summary>
    public sealed class PerEvictedColumn : IColumn
    {
        public string Id => nameof(PerEvictedColumn);

        public string ColumnName => "ns/evicted";

        public bool AlwaysShow => false;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Mean time per evicted entry, in nanoseconds (Entries / 2 evicted; 5,000 for Monitor_Cleanup_5k)";

        /// <summary>Entries one invocation evicts: 5,000 for Monitor_Cleanup_5k, else Entries / 2; null outside the cleanup benchmarks.</summary>
        public static double? Evicted(BenchmarkCase benchmarkCase)
        {
            foreach (var parameter in benchmarkCase.Parameters.Items)
            {
                if (parameter.Name == nameof(CleanupBenchmarks.Entries) && parameter.Value is int entries)
                {
                    return benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(CleanupBenchmarks.Monitor_Cleanup_5k)
                        ? CleanupBenchmarks.FixedEvictions
                        : entries / 2;
                }
            }

            return null;
        }

        /// <summary>The Entries parameter, or null.</summary>
        public static int? Entries(BenchmarkCase benchmarkCase)
        {
            foreach (var parameter in benchmarkCase.Parameters.Items)
            {
                if (parameter.Name == nameof(CleanupBenchmarks.Entries) && parameter.Value is int entries)
                {
                    return entries;
                }
            }

            return null;
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double? evicted = Evicted(benchmarkCase);
            BenchmarkReport? report = summary[benchmarkCase];
            if (evicted == null || report?.ResultStatistics == null)
            {
                return "-";
            }

            return (report.ResultStatistics.Mean / evicted.Value).ToString("N1", CultureInfo.InvariantCulture);
        }

        public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Length > 0 && Evicted(summary.BenchmarksCases[0]) != null;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
