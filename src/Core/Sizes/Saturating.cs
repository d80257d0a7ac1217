namespace AgentFlow.Resources
{
    /// <summary>
    /// Sums of non-negative byte counts that stop at long.MaxValue instead of wrapping negative: limits may be
    /// as large as long.MaxValue, so "current + size" must never overflow into an admitted allocation.
    /// </summary>
    internal static class Saturating
    {
        public static long Add(long nonNegative, long other) =>
            other > 0 && nonNegative > long.MaxValue - other ? long.MaxValue : nonNegative + other;
    }
}
