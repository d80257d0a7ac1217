using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AgentFlow.Resources.Benchmarks
{
    /// <summary>
    /// Exporting and importing a monitor of 1M entries through the snapshot format, next to the floor: the same
    /// entries written with Utf8JsonWriter alone (no store copy, no checksum, no file format around them) and
    /// read with Utf8JsonReader alone into the same StoreEntry values (no stream refills, no checks, no store).
    /// Everything goes to and from memory, so the figures are the format's cost, not the disk's.
    /// </summary>
    [MemoryDiagnoser]
    [CategoriesColumn]
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    public class SnapshotBenchmarks
    {
        public const int Entries = 1_000_000;

        private StateMonitor _monitor = null!;
        private StoreEntry[] _entries = Array.Empty<StoreEntry>();
        private MemoryStream _output = null!;
        private byte[] _snapshot = Array.Empty<byte>();

        // The snapshot writer's own options: compact, only what JSON requires escaped.
        private static readonly JsonWriterOptions FloorOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        [GlobalSetup]
        public void Setup()
        {
            string[] keys = BenchmarkData.Keys(Entries);
            long[] sizes = BenchmarkData.Sizes(Entries);
            _monitor = BenchmarkData.DetailedMonitor(Entries, long.MaxValue / 4, autoCleanup: false);
            for (int i = 0; i < Entries; i++)
            {
                _monitor.Allocate(keys[i], sizes[i], pin: i % 16 == 0);
            }

            _entries = new StoreEntry[Entries];
            for (int i = 0; i < Entries; i++)
            {
                _entries[i] = new StoreEntry(keys[i], sizes[i], i % 16 == 0);
            }

            _output = new MemoryStream();
            SnapshotWriter.Write(StateSnapshot.Capture(_monitor), _output);
            _snapshot = _output.ToArray();
        }

        [Benchmark, BenchmarkCategory("Export")]
        public long Export_Snapshot()
        {
            _output.Position = 0;
            SnapshotWriter.Write(StateSnapshot.Capture(_monitor), _output);
            return _output.Position;
        }

        [Benchmark(Baseline = true), BenchmarkCategory("Export")]
        public long Floor_Utf8JsonWriter()
        {
            _output.Position = 0;
            using (var writer = new Utf8JsonWriter(_output, FloorOptions))
            {
                writer.WriteStartArray();
                StoreEntry[] entries = _entries;
                for (int i = 0; i < entries.Length; i++)
                {
                    writer.WriteStartObject();
                    writer.WriteString("key", entries[i].Key);
                    writer.WriteNumber("size", entries[i].Size);
                    writer.WriteBoolean("pinned", entries[i].IsPinned);
                    writer.WriteEndObject();
                    if (writer.BytesPending > 64 * 1024)
                    {
                        writer.Flush();
                    }
                }

                writer.WriteEndArray();
            }

            return _output.Position;
        }

        [Benchmark, BenchmarkCategory("Import")]
        public long Import_Snapshot()
        {
            using (var input = new MemoryStream(_snapshot, writable: false))
            {
                return SnapshotReader.Read(input, "bench").Restore().ValueCount;
            }
        }

        [Benchmark(Baseline = true), BenchmarkCategory("Import")]
        public long Floor_Utf8JsonReader()
        {
            var entries = new List<StoreEntry>(Entries);
            var reader = new Utf8JsonReader(_snapshot);
            string? key = null;
            long size = 0;
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 4)
                {
                    continue;
                }

                if (reader.ValueTextEquals("key"u8))
                {
                    reader.Read();
                    key = reader.GetString();
                }
                else if (reader.ValueTextEquals("size"u8))
                {
                    reader.Read();
                    size = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("pinned"u8))
                {
                    reader.Read();
                    entries.Add(new StoreEntry(key!, size, reader.TokenType == JsonTokenType.True));
                }
            }

            return entries.Count;
        }
    }
}
