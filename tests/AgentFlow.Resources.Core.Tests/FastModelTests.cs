using System;
using System.Collections.Generic;
using System.Linq;
using AgentFlow.Resources;
using CsCheck;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>Random sequences against a fast monitor, compared with four plain counters (fast mode is counters only).</summary>
    public abstract class FastModelTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        private readonly struct FastOp
        {
            public FastOp(int kind, long size)
            {
                Kind = kind;
                Size = size;
            }

            public int Kind { get; }

            public long Size { get; }

            public override string ToString() => Kind switch
            {
                0 => $"Allocate({Size})",
                1 => $"Deallocate({Size})",
                2 => $"DeallocateRecorded(#{Size})",
                3 => "Cleanup",
                _ => "Reset",
            };
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Fast_monitor_matches_plain_counters(bool streaming)
        {
            const long state = 100, value = 20, entries = 6, chunk = 5;
            const long thresholdBytes = 75;   // floor(100 * 0.75)
            const double thresholdEntries = 4.5; // 6 * 0.75
            Gen<FastOp> op = Gen.Select(
                Gen.FrequencyConst((10, 0), (3, 1), (6, 2), (1, 3), (1, 4)),
                Gen.Long[0, 40],
                (k, s) => new FastOp(k, s));
            op.Array[1, 100].Sample(
                ops =>
                {
                    StateMonitor m = NewMonitor(
                        TestSupport.Limits(state: state, value: value, entries: entries, threshold: 0.75, target: 0.5, streaming: streaming, chunk: chunk),
                        "fast",
                        10_000);
                    long size = 0, count = 0, streamedCount = 0, streamedBytes = 0, peak = 0, rejected = 0;
                    var recorded = new List<long>(); // sizes recorded, only to pick plausible deallocations
                    for (int i = 0; i < ops.Length; i++)
                    {
                        FastOp o = ops[i];
                        string where = $"step {i} {o}";
                        var expected = new List<string>();
                        if (o.Kind == 0 || o.Kind == 1 || o.Kind == 2)
                        {
                            long amount = o.Kind == 2 ? (recorded.Count == 0 ? 0 : recorded[(int)(o.Size % recorded.Count)]) : o.Size;
                            bool streamed = amount > value;
                            long charge = streamed && streaming ? Math.Min(amount, chunk) : amount;
                            if (o.Kind == 0)
                            {
                                string? reject =
                                    streamed && !streaming ? $"LimitExceeded ValueSize {amount} {value} k" :
                                    size + charge > state ? $"LimitExceeded StateSize {size + charge} {state} k" :
                                    count + 1 > entries ? $"LimitExceeded CacheEntries {count + 1} {entries} k" : null;
                                Assert.True(m.RecordAllocation("k", amount) == (reject == null), where);
                                if (reject != null)
                                {
                                    rejected++;
                                    expected.Add(reject);
                                }
                                else
                                {
                                    if (size < thresholdBytes && size + charge >= thresholdBytes)
                                    {
                                        expected.Add($"ApproachingLimit StateSize {size + charge} {state}");
                                    }

                                    if (count < thresholdEntries && count + 1 >= thresholdEntries)
                                    {
                                        expected.Add($"ApproachingLimit CacheEntries {count + 1} {entries}");
                                    }

                                    size += charge;
                                    count++;
                                    if (streamed)
                                    {
                                        streamedCount++;
                                        streamedBytes += amount;
                                    }

                                    peak = Math.Max(peak, size);
                                    recorded.Add(amount);
                                }
                            }
                            else
                            {
                                bool streamedDeallocation = streamed && streaming;
                                bool ok = count >= 1 && size - charge >= 0
                                    && (!streamedDeallocation || (streamedCount >= 1 && streamedBytes - amount >= 0));
                                if (ok)
                                {
                                    Assert.True(m.RecordDeallocation("k", amount), where);
                                    size -= charge;
                                    count--;
                                    if (streamedDeallocation)
                                    {
                                        streamedCount--;
                                        streamedBytes -= amount;
                                    }

                                    recorded.Remove(amount);
                                }
                                else
                                {
                                    string before = TestSupport.Fingerprint(m);
                                    Assert.Throws<ArgumentException>(() => m.RecordDeallocation("k", amount));
                                    Assert.Equal(before, TestSupport.Fingerprint(m));
                                }
                            }
                        }
                        else if (o.Kind == 3)
                        {
                            Assert.Throws<InvalidOperationException>(() => m.Cleanup(0.5));
                            expected.Add("CleanupFailed");
                        }
                        else
                        {
                            m.Reset();
                            size = count = streamedCount = streamedBytes = peak = rejected = 0;
                            recorded.Clear();
                        }

                        Assert.False(m.RecordDeallocation("k")); // never without a size
                        Assert.Equal(string.Join(" | ", expected), string.Join(" | ", m.GetAlerts().Select(ReferenceModel.Notation)));
                        ResourceStats s = m.GetStats();
                        Assert.True(s.IsFast);
                        Assert.Equal(size, s.CurrentSize);
                        Assert.Equal(count, s.ValueCount);
                        Assert.Equal(streamedCount, s.StreamedCount);
                        Assert.Equal(streamedBytes, s.StreamedBytes);
                        Assert.Equal(peak, s.PeakSize);
                        Assert.Equal(rejected, s.RejectedAllocations);
                        Assert.Equal(0, s.TotalEvictions);
                        Assert.Empty(m.GetAllocations());
                        Assert.Empty(m.GetLruKeys(10));
                    }
                },
                iter: Scaled(300), // the store's share (IStoreFactory.Effort)
                threads: TestSupport.ModelThreads,
                print: ops => string.Join("; ", ops));
        }
    }
}
