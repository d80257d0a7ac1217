using System;

namespace AgentFlow.Resources
{
    /// <summary>What is wrong with a file that is not a usable state snapshot.</summary>
    public enum SnapshotProblem
    {
        /// <summary>The file is not JSON at all.</summary>
        NotJson,

        /// <summary>The file ends before the snapshot does (an empty file, or one cut short).</summary>
        Truncated,

        /// <summary>The content does not hash to the SHA-256 checksum the file states: it was changed or damaged.</summary>
        ChecksumMismatch,

        /// <summary>JSON, but not a state snapshot (another format name, or no format name).</summary>
        UnknownFormat,

        /// <summary>A state snapshot of a newer format version than this module reads.</summary>
        NewerVersion,

        /// <summary>A property is missing, unknown, of the wrong type or out of range.</summary>
        InvalidContent,

        /// <summary>The limits in the snapshot are not valid limits.</summary>
        InvalidLimits,

        /// <summary>The state disagrees with itself or its limits: duplicate keys, negative sizes, totals that are not the sums of the entries.</summary>
        InconsistentState,
    }

    /// <summary>A file (or stream) that cannot be read as a state snapshot; the message names it and says what is wrong.</summary>
    public sealed class InvalidSnapshotException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public InvalidSnapshotException(string path, SnapshotProblem problem, string detail, Exception? innerException = null)
            : base($"The file '{path}' is not a valid state snapshot: {detail}", innerException)
        {
            Path = path;
            Problem = problem;
            Detail = detail;
        }

        /// <summary>The file (or the name of the stream) that was read.</summary>
        public string Path { get; }

        /// <summary>What kind of problem it is.</summary>
        public SnapshotProblem Problem { get; }

        /// <summary>What is wrong, without the file name.</summary>
        public string Detail { get; }
    }
}
