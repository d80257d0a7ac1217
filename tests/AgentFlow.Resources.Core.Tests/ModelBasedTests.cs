using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using AgentFlow.Resources;
using CsCheck;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// Long random sequences of every operation, run against the engine and against <see cref="ReferenceModel"/>,
    /// compared after every step. CsCheck shrinks a failure to a minimal sequence.
    /// </summary>
    public abstract class ModelBasedTests<TStore> : StoreSuite<TStore>
        where TStore : IStoreFactory, new()
    {
        private const int KeyPool = 10;
        private static long s_operations;

        public enum Kind
        {
            Allocate,
            AllocatePinned,
            Deallocate,
            Access,
            Pin,
            Unpin,
            Cleanup,
            Plan,
            LruKeys,
            Reset,
        }

        public readonly struct Op
        {
            public Op(Kind kind, int key, long size, int tenths, int count)
            {
                Kind = kind;
                Key = key;
                Size = size;
                Tenths = tenths;
                Count = count;
            }

            public Kind Kind { get; }

            public int Key { get; }

            public long Size { get; }

            public int Tenths { get; }

            public int Count { get; }

            public string KeyName => "k" + Key;

            public double Target => Tenths / 10.0;

            public override string ToString() => Kind switch
            {
                Kind.Allocate => $"Allocate({KeyName},{Size})",
                Kind.AllocatePinned => $"Allocate({KeyName},{Size},pin)",
                Kind.Cleanup => $"Cleanup({Target})",
                Kind.Plan => $"Plan({Target})",
                Kind.LruKeys => $"LruKeys({Count})",
                Kind.Reset => "Reset",
                _ => $"{Kind}({KeyName})",
            };
        }

        public sealed class Config
        {
            public Config(string name, long state, long value, long entries, double threshold, double target, bool auto, bool streaming, long chunk, long maxSize, int maxAlerts = 10_000)
            {
                MaxAlerts = maxAlerts;
                Name = name;
                State = state;
                Value = value;
                Entries = entries;
                Threshold = threshold;
                Target = target;
                Auto = auto;
                Streaming = streaming;
                Chunk = chunk;
                MaxSize = maxSize;
            }

            public string Name { get; }

            public long State { get; }

            public long Value { get; }

            public long Entries { get; }

            public double Threshold { get; }

            public double Target { get; }

            public bool Auto { get; }

            public bool Streaming { get; }

            public long Chunk { get; }

            public long MaxSize { get; }

            public int MaxAlerts { get; }

            public override string ToString() => Name;
        }

        public static IEnumerable<object[]> Configs() => new[]
        {
            new Config("auto", state: 100, value: 40, entries: 8, threshold: 0.75, target: 0.5, auto: true, streaming: false, chunk: 10, maxSize: 50),
            new Config("manual", state: 100, value: 40, entries: 8, threshold: 0.75, target: 0.5, auto: false, streaming: false, chunk: 10, maxSize: 50),
            new Config("auto-streaming", state: 64, value: 16, entries: 6, threshold: 0.75, target: 0.25, auto: true, streaming: true, chunk: 4, maxSize: 40),
            new Config("manual-streaming", state: 64, value: 16, entries: 6, threshold: 0.5, target: 0.25, auto: false, streaming: true, chunk: 16, maxSize: 40),
            new Config("tiny-entries", state: 1000, value: 500, entries: 3, threshold: 1.0, target: 0.5, auto: true, streaming: false, chunk: 100, maxSize: 600),
            new Config("evict-all", state: 40, value: 40, entries: 5, threshold: 0.5, target: 0.0, auto: true, streaming: true, chunk: 8, maxSize: 60),
            new Config("alert-bound-1", state: 100, value: 40, entries: 8, threshold: 0.75, target: 0.5, auto: true, streaming: false, chunk: 10, maxSize: 50, maxAlerts: 1),
            new Config("alert-bound-2", state: 64, value: 16, entries: 6, threshold: 0.5, target: 0.25, auto: true, streaming: true, chunk: 4, maxSize: 40, maxAlerts: 2),

            // 0.29 x 100 is 28.999999999999996 and 0.07 x 100 is 7.000000000000001: whole numbers but for noise.
            new Config("rounding-noise", state: 100, value: 20, entries: 100, threshold: 0.29, target: 0.07, auto: true, streaming: false, chunk: 10, maxSize: 30),
            new Config("rounding-noise-entries", state: 1000, value: 300, entries: 100, threshold: 0.07, target: 0.03, auto: true, streaming: false, chunk: 10, maxSize: 400),
        }.Select(c => new object[] { c });

        private static Gen<Op[]> Operations(Config c)
        {
            Gen<Kind> kind = Gen.FrequencyConst(
                (30, Kind.Allocate),
                (6, Kind.AllocatePinned),
                (10, Kind.Deallocate),
                (10, Kind.Access),
                (6, Kind.Pin),
                (6, Kind.Unpin),
                (5, Kind.Cleanup),
                (3, Kind.Plan),
                (4, Kind.LruKeys),
                (1, Kind.Reset));
            Gen<long> size = Gen.Frequency(
                (8, Gen.Long[0, c.Value]),
                (1, Gen.Const(0L)),
                (2, Gen.Long[c.Value + 1, c.MaxSize]));
            Gen<Op> op = Gen.Select(kind, Gen.Int[0, KeyPool - 1], size, Gen.Int[0, 10], Gen.Int[0, KeyPool + 2], (k, key, s, t, n) => new Op(k, key, s, t, n));
            return op.Array[1, 120];
        }

        // Sequences per configuration for the in-process stores (about 48k operations each, over 480k in all); a store
        // with a round trip per operation runs its share (IStoreFactory.Effort) of every configuration.
        private const int Sequences = 800;

        [Theory]
        [MemberData(nameof(Configs))]
        public void Engine_matches_the_reference_model(Config config)
        {
            int sequences = Scaled(Sequences);
            long before = Interlocked.Read(ref s_operations);
            Operations(config).Sample(
                ops => Run(config, ops),
                iter: sequences,
                threads: TestSupport.ModelThreads,
                print: ops => string.Join("; ", ops));
            long ran = Interlocked.Read(ref s_operations) - before;
            Assert.True(ran >= sequences * 45L, $"only {ran} operations ran for {config} in {sequences} sequences"); // 60 on average
        }

        private static void Run(Config c, Op[] ops)
        {
            ResourceLimits limits = ResourceLimits.Builder()
                .MaxStateSize(c.State)
                .MaxValueSize(c.Value)
                .MaxCacheEntries(c.Entries)
                .CleanupThreshold(c.Threshold)
                .CleanupTarget(c.Target)
                .AutoCleanup(c.Auto)
                .EnableStreaming(c.Streaming)
                .StreamChunkSize(c.Chunk)
                .Build();
            var monitor = NewMonitor(limits, "model", maxAlerts: c.MaxAlerts);
            var model = new ReferenceModel(c.State, c.Value, c.Entries, c.Threshold, c.Target, c.Auto, c.Streaming, c.Chunk, c.MaxAlerts);
            var evictions = new List<string>();
            monitor.Evicted += (_, e) => evictions.Add(e.Entry.Key + ":" + e.Reason);

            for (int step = 0; step < ops.Length; step++)
            {
                Op op = ops[step];
                string where = $"step {step} {op}";
                switch (op.Kind)
                {
                    case Kind.Allocate:
                    case Kind.AllocatePinned:
                        {
                            bool pin = op.Kind == Kind.AllocatePinned;
                            bool existed = model.Find(op.KeyName) != null;
                            AllocationResult actual = monitor.Allocate(op.KeyName, op.Size, pin);
                            (bool recorded, int evicted) = model.Allocate(op.KeyName, op.Size, pin);
                            Check(recorded, actual.Recorded, where, "recorded");
                            if (recorded)
                            {
                                Check(evicted, actual.EntriesEvicted, where, "entries evicted");
                                Check(existed, actual.Replaced, where, "replaced");
                                ReferenceModel.Entry e = model.Find(op.KeyName)!;
                                Check(e.Charge, actual.ResidentSize, where, "resident size");
                                Check(e.Streamed, actual.IsStreamed, where, "streamed");
                            }

                            break;
                        }

                    case Kind.Deallocate:
                        Check(model.Deallocate(op.KeyName), monitor.RecordDeallocation(op.KeyName), where, "deallocated");
                        break;
                    case Kind.Access:
                        Check(model.Access(op.KeyName), monitor.RecordAccess(op.KeyName), where, "accessed");
                        break;
                    case Kind.Pin:
                        Check(model.SetPinned(op.KeyName, true), monitor.Pin(op.KeyName), where, "pinned");
                        break;
                    case Kind.Unpin:
                        Check(model.SetPinned(op.KeyName, false), monitor.Unpin(op.KeyName), where, "unpinned");
                        break;
                    case Kind.Plan:
                        {
                            CleanupPlan plan = monitor.PlanCleanup(op.Target);
                            List<ReferenceModel.Entry> expected = model.Plan(op.Target, out long targetBytes);
                            Check(string.Join(", ", expected.Select(ReferenceModel.Describe)), string.Join(", ", plan.Candidates.Select(TestSupport.Describe)), where, "plan candidates");
                            Check(expected.Sum(e => e.Charge), plan.BytesToFree, where, "plan bytes");
                            Check(targetBytes, plan.TargetBytes, where, "plan target bytes");
                            Check(model.Total - expected.Sum(e => e.Charge) <= targetBytes, plan.TargetReached, where, "plan target reached");
                            break;
                        }

                    case Kind.Cleanup:
                        {
                            long sizeBefore = model.Total;
                            CleanupPlan plan = monitor.PlanCleanup(op.Target);
                            CleanupResult result = monitor.Cleanup(op.Target);
                            List<ReferenceModel.Entry> expected = model.Cleanup(op.Target, out long targetBytes);
                            string expectedEvicted = string.Join(", ", expected.Select(ReferenceModel.Describe));
                            Check(expectedEvicted, string.Join(", ", result.Evicted.Select(TestSupport.Describe)), where, "evicted");
                            Check(expectedEvicted, string.Join(", ", plan.Candidates.Select(TestSupport.Describe)), where, "plan before cleanup");
                            Check(expected.Sum(e => e.Charge), result.BytesFreed, where, "bytes freed");
                            Check(expected.Count, result.EntriesRemoved, where, "entries removed");
                            Check(model.Total <= targetBytes, result.TargetReached, where, "target reached");
                            Check(sizeBefore, result.SizeBefore, where, "size before");
                            Check(model.Total, result.SizeAfter, where, "size after");
                            Check(model.PinnedSize, result.PinnedSize, where, "pinned size in result");
                            break;
                        }

                    case Kind.LruKeys:
                        Check(
                            string.Join(",", model.Lru.Take(op.Count).Select(e => e.Key)),
                            string.Join(",", monitor.GetLruKeys(op.Count)),
                            where,
                            "LRU keys");
                        break;
                    case Kind.Reset:
                        monitor.Reset();
                        model.Reset();
                        break;
                }

                Compare(monitor, model, evictions, where);
                Interlocked.Increment(ref s_operations);
            }
        }

        private static void Compare(StateMonitor monitor, ReferenceModel model, List<string> evictions, string where)
        {
            Check(model.DescribeAll(), TestSupport.Describe(monitor), where, "entries in LRU order");
            Check(model.Total, monitor.CurrentSize, where, "CurrentSize");
            Check(model.Count, monitor.ValueCount, where, "ValueCount");
            Check(string.Join(" | ", model.DrainAlerts()), string.Join(" | ", monitor.GetAlerts().Select(ReferenceModel.Notation)), where, "alerts");
            Check(string.Join(" ", model.Evictions), string.Join(" ", evictions), where, "Evicted events");
            model.Evictions.Clear();
            evictions.Clear();

            ResourceStats s = monitor.GetStats();
            Check(model.Peak, s.PeakSize, where, "PeakSize");
            Check(model.PinnedSize, s.PinnedSize, where, "PinnedSize");
            Check(model.PinnedCount, s.PinnedCount, where, "PinnedCount");
            Check(model.StreamedCount, s.StreamedCount, where, "StreamedCount");
            Check(model.StreamedBytes, s.StreamedBytes, where, "StreamedBytes");
            Check(model.TotalEvictions, s.TotalEvictions, where, "TotalEvictions");
            Check(model.EvictedBytes, s.EvictedBytes, where, "EvictedBytes");
            Check(model.Rejected, s.RejectedAllocations, where, "RejectedAllocations");
            Check(model.AlertsDropped, s.AlertsDropped, where, "AlertsDropped");
            Check(model.Total >= model.ThresholdBytes, s.ShouldCleanup, where, "ShouldCleanup");
            Check(true, s.CurrentSize <= s.MaxStateSize && s.ValueCount <= s.MaxCacheEntries, where, "within the hard limits");
        }

        private static void Check<T>(T expected, T actual, string where, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
            {
                var message = new StringBuilder();
                message.Append(where).Append(": ").Append(what).Append(" expected <").Append(expected).Append("> but was <").Append(actual).Append('>');
                throw new Xunit.Sdk.XunitException(message.ToString());
            }
        }
    }
}
