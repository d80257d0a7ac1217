using System;
using System.Buffers.Binary;
using StackExchange.Redis;

namespace AgentFlow.Resources.Redis
{
    /// <summary>
    /// The counters hash's <c>totals</c> field: the counters almost every operation changes, packed by the scripts as
    /// nine little-endian doubles (Lua's <c>struct.pack('&lt;ddddddddd', ...)</c>: size, count, peak, pinned size, pinned
    /// count, the three edge-trigger states, the recency clock) so that a script reads and writes them
    /// in one field, without parsing text (docs/design/redis-store.md). A budget that has recorded nothing yet has no
    /// such field: every total is 0.
    /// </summary>
    internal readonly struct BudgetTotals
    {
        /// <summary>The field's name in the counters hash.</summary>
        public const string Field = "totals";

        private const int Doubles = 9;
        private readonly double[]? _values;

        public BudgetTotals(RedisValue field)
        {
            if (field.IsNull)
            {
                _values = null;
                return;
            }

            byte[] bytes = (byte[])field!;
            if (bytes.Length != Doubles * sizeof(double))
            {
                throw new SharedStoreException(SharedStoreFailure.CommandRefused,
                    $"The shared budget's '{Field}' field holds {bytes.Length} bytes, not {Doubles * sizeof(double)}: it was not written by this module's layout version.");
            }

            _values = new double[Doubles];
            for (int i = 0; i < Doubles; i++)
            {
                _values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)));
            }
        }

        /// <summary>The field's bytes for these totals (what the scripts write), for tools that fill a budget in bulk.</summary>
        public static byte[] Pack(long size, long count, long peak, long pinnedSize, long pinnedCount, long clock)
        {
            var bytes = new byte[Doubles * sizeof(double)];
            double[] values = { size, count, peak, pinnedSize, pinnedCount, 0, 0, 0, clock };
            for (int i = 0; i < Doubles; i++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), values[i]);
            }

            return bytes;
        }

        public long Size => At(0);

        public long Count => At(1);

        public long Peak => At(2);

        public long PinnedSize => At(3);

        public long PinnedCount => At(4);

        public bool StateAtThreshold => At(5) == 1;

        public bool EntriesAtThreshold => At(6) == 1;

        public bool AutomaticCleanupFailing => At(7) == 1;

        private long At(int index) => _values is null ? 0 : Reply.Long(_values[index]);
    }
}
