using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AgentFlow.Resources;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    public class SizeEstimatorTests
    {
        public enum SmallEnum : byte
        {
            A,
        }

        [Theory]
        [MemberData(nameof(Primitives))]
        public void Primitives_count_their_documented_size(object value, long expected)
        {
            Assert.Equal(expected, SizeEstimator.Estimate(value));
        }

        public static IEnumerable<object[]> Primitives() => new[]
        {
            new object[] { true, 1L },
            new object[] { (byte)7, 1L },
            new object[] { (sbyte)7, 1L },
            new object[] { 'x', 2L },
            new object[] { (short)7, 2L },
            new object[] { (ushort)7, 2L },
            new object[] { 7, 4L },
            new object[] { 7u, 4L },
            new object[] { 7f, 4L },
            new object[] { 7L, 8L },
            new object[] { 7ul, 8L },
            new object[] { 7d, 8L },
            new object[] { 7m, 16L },
            new object[] { new DateTime(2026, 11, 30), 8L },
            new object[] { TimeSpan.FromSeconds(1), 8L },
            new object[] { Guid.Empty, 16L },
            new object[] { DateTimeOffset.UnixEpoch, 16L },
            new object[] { SmallEnum.A, 1L },
            new object[] { DayOfWeek.Monday, 4L },
        };

        [Fact]
        public void Null_is_zero_and_strings_are_two_bytes_a_char()
        {
            Assert.Equal(0, SizeEstimator.Estimate(null));
            Assert.Equal(0, SizeEstimator.Estimate(string.Empty));
            Assert.Equal(10, SizeEstimator.Estimate("hello"));
            Assert.Equal(2 * 1000, SizeEstimator.Estimate(new string('é', 1000)));
        }

        [Fact]
        public void Arrays_of_primitives_are_length_times_element_size()
        {
            Assert.Equal(1000, SizeEstimator.Estimate(new byte[1000]));
            Assert.Equal(4000, SizeEstimator.Estimate(new int[1000]));
            Assert.Equal(8 * 6, SizeEstimator.Estimate(new double[2, 3]));
            Assert.Equal(16 * 3, SizeEstimator.Estimate(new Guid[3]));
            Assert.Equal(2 * 5, SizeEstimator.Estimate("hello".ToCharArray()));
            Assert.Equal(0, SizeEstimator.Estimate(Array.Empty<long>()));
        }

        [Fact]
        public void Arrays_of_primitives_are_not_walked()
        {
            var estimator = new CountingEstimator();
            Assert.Equal(4L * 1_000_000, estimator.Add(new int[1_000_000]));
            Assert.Equal(1, estimator.Unwrapped);

            // An array of objects is walked: the array, then each item.
            var walked = new CountingEstimator();
            Assert.Equal(3 * 4, walked.Add(new object[] { 1, 2, 3 }));
            Assert.Equal(4, walked.Unwrapped);
        }

        [Fact]
        public void Collections_are_the_sum_of_their_items()
        {
            Assert.Equal(4 + 8 + 6, SizeEstimator.Estimate(new object[] { 1, 2L, "abc" }));
            Assert.Equal(3 * 8, SizeEstimator.Estimate(new List<long> { 1, 2, 3 }));
            Assert.Equal(2 + 4 + 0, SizeEstimator.Estimate(new ArrayList { "a", 5, null }));
            Assert.Equal(0, SizeEstimator.Estimate(new List<string>()));
        }

        [Fact]
        public void Dictionaries_are_the_sum_of_their_keys_and_values()
        {
            var table = new Hashtable { ["ab"] = 1, ["c"] = "xyz" };
            Assert.Equal((4 + 4) + (2 + 6), SizeEstimator.Estimate(table));
            var typed = new Dictionary<string, long> { ["key"] = 10 };
            Assert.Equal(6 + 8, SizeEstimator.Estimate(typed));

            // Key/value pairs outside a dictionary are objects with Key and Value properties: the same figure.
            Assert.Equal(6 + 8, SizeEstimator.Estimate(typed.ToList()));
        }

        [Fact]
        public void Other_objects_are_the_sum_of_their_public_property_values()
        {
            var record = new Record { Name = "step", Size = 42, Tags = new[] { "a", "bc" } };
            Assert.Equal(8 + 8 + (2 + 4), SizeEstimator.Estimate(record));
            Assert.Equal(2 + 4, SizeEstimator.Estimate(new KeyValuePair<char, int>('k', 1)));
        }

        [Fact]
        public void A_getter_that_throws_counts_zero()
        {
            Assert.Equal(4, SizeEstimator.Estimate(new Throwing()));
        }

        [Fact]
        public void Code_counts_zero()
        {
            Assert.Equal(0, SizeEstimator.Estimate(typeof(string)));
            Assert.Equal(0, SizeEstimator.Estimate(typeof(string).Assembly));
            Assert.Equal(0, SizeEstimator.Estimate(new Func<int>(() => 1)));
        }

        [Fact]
        public void Files_count_their_length_and_folders_the_lengths_of_their_files_recursively()
        {
            string root = Path.Combine(Path.GetTempPath(), "sizeestimator-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(root, "sub", "deeper"));
            try
            {
                File.WriteAllBytes(Path.Combine(root, "a.bin"), new byte[1000]);
                File.WriteAllBytes(Path.Combine(root, "sub", "b.bin"), new byte[300]);
                File.WriteAllBytes(Path.Combine(root, "sub", "deeper", "c.bin"), new byte[24]);
                Assert.Equal(1000, SizeEstimator.Estimate(new FileInfo(Path.Combine(root, "a.bin"))));
                Assert.Equal(1324, SizeEstimator.Estimate(new DirectoryInfo(root)));
                Assert.Equal(324, SizeEstimator.Estimate(new DirectoryInfo(Path.Combine(root, "sub"))));
                Assert.Equal(0, SizeEstimator.Estimate(new FileInfo(Path.Combine(root, "missing.bin"))));
                Assert.Equal(0, SizeEstimator.Estimate(new DirectoryInfo(Path.Combine(root, "missing"))));
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }

        [Fact]
        public void Streams_count_their_length_and_zero_when_they_cannot_seek()
        {
            using var memory = new MemoryStream(new byte[777]);
            Assert.Equal(777, SizeEstimator.Estimate(memory));
            Assert.Equal(0, SizeEstimator.Estimate(new NonSeekableStream()));
            var disposed = new MemoryStream(new byte[5]);
            disposed.Dispose();
            Assert.Equal(0, SizeEstimator.Estimate(disposed));
        }

        [Fact]
        public void A_shared_reference_is_counted_once()
        {
            string shared = new string('x', 500);
            Assert.Equal(1000, SizeEstimator.Estimate(new object[] { shared, shared, shared }));
            byte[] buffer = new byte[64];
            Assert.Equal(2 + 2 + 64, SizeEstimator.Estimate(new Hashtable { ["a"] = buffer, ["b"] = buffer }));
            var record = new Record { Name = "n", Size = 1 };
            Assert.Equal(2 + 8, SizeEstimator.Estimate(new List<Record> { record, record }));

            // Values (boxed primitives) have no identity: each occurrence counts.
            Assert.Equal(3 * 4, SizeEstimator.Estimate(new object[] { 7, 7, 7 }));
        }

        [Fact]
        public void A_reference_cycle_ends_and_counts_each_object_once()
        {
            var a = new Node { Label = "a" };
            var b = new Node { Label = "bb", Next = a };
            a.Next = b;
            Assert.Equal(2 + 4, SizeEstimator.Estimate(a));

            var self = new ArrayList { "x" };
            self.Add(self);
            Assert.Equal(2, SizeEstimator.Estimate(self));

            var table = new Hashtable { ["k"] = 1 };
            table["self"] = table;
            Assert.Equal(2 + 4 + 8, SizeEstimator.Estimate(table));
        }

        [Fact]
        public void Objects_measured_by_one_estimator_are_counted_once_across_calls()
        {
            var estimator = new SizeEstimator();
            string shared = "abcd";
            Assert.Equal(8, estimator.Add(shared));
            Assert.Equal(0, estimator.Add(shared));
            Assert.Equal(4, estimator.Add(5));
            Assert.Equal(3, estimator.Count);
            Assert.Equal(12, estimator.Size);
        }

        [Fact]
        public void Values_deeper_than_the_depth_bound_are_not_counted()
        {
            // A chain of nodes: the first node is level 0, its Label level 1, its Next level 1, ... node n at level n.
            Node head = Chain(SizeEstimator.MaxDepth + 10);
            // Labels are one char (2 bytes) and sit one level below their node: nodes 0..MaxDepth-1 have theirs counted.
            Assert.Equal(2L * SizeEstimator.MaxDepth, SizeEstimator.Estimate(head));
            Assert.Equal(2L * 10, SizeEstimator.Estimate(Chain(10)));
        }

        [Fact]
        public void A_subclass_measures_wrappers_through_Unwrap_and_GetPropertyValues()
        {
            var estimator = new WrapperEstimator();
            Assert.Equal(10, estimator.Add(new Wrapper("hello")));
            Assert.Equal(4 + 8, estimator.Add(new Bag(1, 2L)));
        }

        [Fact]
        public void Sums_saturate_instead_of_wrapping()
        {
            var huge = new HugeStream();
            Assert.Equal(long.MaxValue, SizeEstimator.Estimate(new object[] { huge, new HugeStream() }));
        }

        private static Node Chain(int length)
        {
            Node? head = null;
            for (int i = 0; i < length; i++)
            {
                head = new Node { Label = new string('n', 1), Next = head }; // distinct strings: a shared one counts once
            }

            return head!;
        }

        private sealed class Record
        {
            public string? Name { get; set; }

            public long Size { get; set; }

            public string[]? Tags { get; set; }

            // Not counted: write-only, static, indexer.
            public static string Static => "static";

            public string this[int index] => "indexer";
        }

        private sealed class Throwing
        {
            public int Fine => 1;

            public string Broken => throw new InvalidOperationException("no value");
        }

        private sealed class Node
        {
            public string? Label { get; set; }

            public Node? Next { get; set; }
        }

        private sealed class Wrapper
        {
            public Wrapper(object payload) => Payload = payload;

            public object Payload { get; }
        }

        private sealed class Bag
        {
            public Bag(params object[] values) => Values = values;

            public object[] Values { get; }
        }

        private sealed class WrapperEstimator : SizeEstimator
        {
            protected override object? Unwrap(object value) => value is Wrapper w ? w.Payload : value;

            protected override IEnumerable<object?> GetPropertyValues(object value) =>
                value is Bag bag ? bag.Values : base.GetPropertyValues(value);
        }

        private sealed class CountingEstimator : SizeEstimator
        {
            public int Unwrapped { get; private set; }

            protected override object? Unwrap(object value)
            {
                Unwrapped++;
                return value;
            }
        }

        private sealed class NonSeekableStream : Stream
        {
            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override void Flush()
            {
            }

            public override int Read(byte[] buffer, int offset, int count) => 0;

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        private sealed class HugeStream : Stream
        {
            public override bool CanRead => true;

            public override bool CanSeek => true;

            public override bool CanWrite => false;

            public override long Length => long.MaxValue - 1;

            public override long Position { get; set; }

            public override void Flush()
            {
            }

            public override int Read(byte[] buffer, int offset, int count) => 0;

            public override long Seek(long offset, SeekOrigin origin) => 0;

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
