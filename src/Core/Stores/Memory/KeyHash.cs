namespace AgentFlow.Resources
{
    /// <summary>
    /// The entry table's string hash: not randomized, and about twice as fast as <see cref="string.GetHashCode()"/>
    /// (randomized Marvin), which cost a key look-up more than a whole <c>Dictionary</c> look-up. As in the runtime's
    /// own dictionaries, a table that sees a suspiciously long hash chain (keys crafted to collide) switches to the
    /// randomized hash for good (<see cref="EntryTable"/>).
    /// </summary>
    internal static class KeyHash
    {
        /// <summary>Two lanes of "x * 33 rotated, xor the next two characters", then a final mix so that the low bits (the bucket) depend on every character.</summary>
        public static unsafe int Fast(string key)
        {
            // Stryker disable all : the table needs only that equal keys hash equally; every mutant of this mixing that neither throws nor hangs is another fixed function of the key's characters (a read past the last pair sees the string's zero terminator and zeroed padding), so keys are found and told apart, and long chains switch to the randomized hash, as before. Distribution is a benchmark concern.
            uint h1 = (5381u << 16) + 5381u;
            uint h2 = h1;
            int length = key.Length;
            fixed (char* chars = key)
            {
                uint* pairs = (uint*)chars;
                int count = length >> 1;
                int i = 0;
                for (; i + 1 < count; i += 2)
                {
                    h1 = (((h1 << 5) | (h1 >> 27)) + h1) ^ pairs[i];
                    h2 = (((h2 << 5) | (h2 >> 27)) + h2) ^ pairs[i + 1];
                }

                if (i < count)
                {
                    h1 = (((h1 << 5) | (h1 >> 27)) + h1) ^ pairs[i];
                }

                if ((length & 1) != 0)
                {
                    h2 = (((h2 << 5) | (h2 >> 27)) + h2) ^ chars[length - 1];
                }
            }

            uint h = h1 + (h2 * 1566083941u);
            h ^= h >> 15;
            h *= 0x2c1b3c6du;
            h ^= h >> 12;

            // Stryker restore all
            return (int)h;
        }
    }
}
