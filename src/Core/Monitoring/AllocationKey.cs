namespace AgentFlow.Resources
{
    /// <summary>
    /// Which allocation keys are accepted: the one rule the monitor, the stores' snapshots and the cmdlets share.
    /// How a key is shown in text is <see cref="Wording.Key"/>.
    /// </summary>
    public static class AllocationKey
    {
        /// <summary>Why the key cannot be used, as a plain sentence; null when it is a valid key.</summary>
        /// <remarks>A key must contain a visible character, as a monitor name must: a blank key cannot be told apart in output.</remarks>
        public static string? Problem(string? key)
        {
            if (key == null)
            {
                return "A key is required.";
            }

            if (key.Length == 0)
            {
                return "A key must not be empty: it must contain a visible character.";
            }

            for (int i = 0; i < key.Length; i++)
            {
                if (!char.IsWhiteSpace(key[i]))
                {
                    return null;
                }
            }

            return "A key must contain a visible character; a key of only white space is not accepted.";
        }
    }
}
