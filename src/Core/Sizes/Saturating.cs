namespace AgentFlow.Resources
{
    /// <summary>
    /// Sums of non-negative byte counts that stop at long.MaxValue instead of wrapping negative: limits may be
    /// as large as long.MaxValue, so "current + size" must never overflow into an admitted allocation.
    /// </summary>
    internal static class Saturating
    {
        // Stryker disable once Equality : >= for either > is equivalent: for other = 0 the second test is false and the sum is returned,
        // and at nonNegative = long.MaxValue - other the sum is exactly long.MaxValue, what saturation returns.
        public static long Add(long nonNegative, long other) =>
            other > 0 && nonNegative > long.MaxValue - other ? long.MaxValue : nonNegative + other;
    }
}
