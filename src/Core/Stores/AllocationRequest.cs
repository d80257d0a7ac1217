using System;

namespace AgentFlow.Resources
{
    /// <summary>One allocation of a run sent together (<see cref="StateMonitor.AllocateMany"/>).</summary>
    public readonly struct AllocationRequest
    {
        /// <summary>Describes an allocation of <paramref name="size"/> bytes under <paramref name="key"/>.</summary>
        public AllocationRequest(string key, long size, AllocationOptions options = AllocationOptions.None)
        {
            Key = key ?? throw new ArgumentNullException(nameof(key));
            Size = size;
            Options = options;
        }

        /// <summary>The key.</summary>
        public string Key { get; }

        /// <summary>The full size in bytes.</summary>
        public long Size { get; }

        /// <summary>Pin, and whether to return the entry as recorded.</summary>
        public AllocationOptions Options { get; }
    }
}
