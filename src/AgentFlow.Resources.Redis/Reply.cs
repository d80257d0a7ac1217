using System;
using System.Globalization;
using StackExchange.Redis;

namespace AgentFlow.Resources.Redis
{
    /// <summary>
    /// Reads a script's reply: every value is text. An operation's reply is its field count, its eviction count, the
    /// fields, the evictions (key, size, charge, reason) and then the alerts it raised; or, when it evicted nothing and
    /// raised nothing (the usual case), its fields alone joined by '|' in one string (no field holds a key).
    /// </summary>
    internal readonly struct Reply
    {
        private readonly string[] _items;

        public Reply(RedisResult result)
        {
            if (result.Resp2Type != ResultType.Array)
            {
                string joined = (string)result!;
                string[] fields = joined.Length == 0 ? Array.Empty<string>() : joined.Split('|');
                _items = new string[fields.Length + 2];
                _items[0] = fields.Length.ToString(CultureInfo.InvariantCulture);
                _items[1] = "0";
                Array.Copy(fields, 0, _items, 2, fields.Length);
                return;
            }

            RedisResult[] items = (RedisResult[])result!;
            _items = new string[items.Length];
            for (int i = 0; i < items.Length; i++)
            {
                _items[i] = (string)items[i]!;
            }
        }

        public int Length => _items.Length;

        public string this[int index] => _items[index];

        public int FieldCount => int.Parse(_items[0], CultureInfo.InvariantCulture);

        public int EvictionCount => int.Parse(_items[1], CultureInfo.InvariantCulture);

        /// <summary>Field <paramref name="index"/> of the operation (0-based).</summary>
        public string Field(int index) => _items[2 + index];

        public long LongField(int index) => Long(Field(index));

        public bool FlagField(int index) => Field(index) == "1";

        public int AlertsStart => 2 + FieldCount + (4 * EvictionCount);

        /// <summary>Eviction <paramref name="index"/>: key, size, charge and reason.</summary>
        public (string Key, long Size, long Charge, EvictionReason Reason) Eviction(int index)
        {
            int at = 2 + FieldCount + (4 * index);
            EvictionReason reason = _items[at + 3] switch
            {
                "A" => EvictionReason.Admission,
                "T" => EvictionReason.Threshold,
                _ => EvictionReason.Manual,
            };
            return (_items[at], Long(_items[at + 1]), Long(_items[at + 2]), reason);
        }

        /// <summary>A whole number as the script writes it ('%.0f'); values past long's range saturate.</summary>
        public static long Long(string text)
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                return value;
            }

            return Long(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        /// <summary>A whole number the script keeps as a double; values past long's range saturate.</summary>
        public static long Long(double value) =>
            value >= long.MaxValue ? long.MaxValue : value <= long.MinValue ? long.MinValue : (long)value;

        public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
