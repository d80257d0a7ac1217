using System.Text;
using System.Text.Json;

namespace AgentFlow.Resources
{
    /// <summary>The property names of an entry, encoded once: an entry is written and read a million times in a large snapshot.</summary>
    internal static class EntryNames
    {
        public static readonly JsonEncodedText Key = JsonEncodedText.Encode(SnapshotFormat.Key);
        public static readonly JsonEncodedText Size = JsonEncodedText.Encode(SnapshotFormat.Size);
        public static readonly JsonEncodedText Pinned = JsonEncodedText.Encode(SnapshotFormat.Pinned);

        public static readonly byte[] KeyUtf8 = Encoding.UTF8.GetBytes(SnapshotFormat.Key);
        public static readonly byte[] SizeUtf8 = Encoding.UTF8.GetBytes(SnapshotFormat.Size);
        public static readonly byte[] PinnedUtf8 = Encoding.UTF8.GetBytes(SnapshotFormat.Pinned);
    }
}
