namespace AgentFlow.Resources
{
    /// <summary>
    /// An exact sum of non-negative sizes that may pass long.MaxValue (many streamed values of up to 2^63 - 1
    /// bytes each): 128 bits, so that adding and later subtracting the same values always comes back exactly.
    /// <see cref="Value"/> reports it saturated at long.MaxValue, as every counter that sums sizes is reported.
    /// Not thread-safe: the owner serialises access.
    /// </summary>
    internal struct WideSum
    {
        private ulong _low;
        private ulong _high;

        /// <summary>The sum, or long.MaxValue when it is larger.</summary>
        public readonly long Value =>
            _high != 0 ||
            // Stryker disable once Equality : at _low = long.MaxValue, (long)_low is long.MaxValue too, so > and >= agree.
            _low > long.MaxValue ? long.MaxValue : (long)_low;

        /// <summary>A sum that starts at <paramref name="value"/> (not negative).</summary>
        public static WideSum Of(long value) => new WideSum { _low = (ulong)value };

        /// <summary>True when the sum is at least <paramref name="value"/> (not negative).</summary>
        public readonly bool AtLeast(long value) => _high != 0 || _low >= (ulong)value;

        /// <summary>Adds a non-negative value.</summary>
        public void Add(long value)
        {
            ulong low = _low + (ulong)value;
            if (low < _low)
            {
                _high++;
            }

            _low = low;
        }

        /// <summary>Subtracts a non-negative value that was added before.</summary>
        public void Subtract(long value)
        {
            if (_low < (ulong)value)
            {
                _high--;
            }

            _low -= (ulong)value;
        }
    }
}
