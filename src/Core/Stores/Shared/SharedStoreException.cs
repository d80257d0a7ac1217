using System;

namespace AgentFlow.Resources
{
    /// <summary>Why an operation on a shared store failed.</summary>
    public enum SharedStoreFailure
    {
        /// <summary>The server could not be reached, timed out, or was lost; the shared state is unchanged.</summary>
        Unavailable,

        /// <summary>The server refused the user or password.</summary>
        AuthenticationFailed,

        /// <summary>The budget exists with other limits, another alert bound or another mode than asked for.</summary>
        LimitsMismatch,

        /// <summary>The budget's keys were deleted while this store was attached.</summary>
        BudgetDeleted,

        /// <summary>The server refused a command (for example an ACL that does not cover the budget's keys).</summary>
        CommandRefused,
    }

    /// <summary>
    /// A shared store (Redis) could not do what was asked. The message names the server and the budget and never
    /// contains a password.
    /// </summary>
    public sealed class SharedStoreException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public SharedStoreException(SharedStoreFailure failure, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            Failure = failure;
        }

        /// <summary>What went wrong.</summary>
        public SharedStoreFailure Failure { get; }
    }
}
