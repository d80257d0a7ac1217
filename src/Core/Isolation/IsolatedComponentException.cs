using System;

namespace AgentFlow.Resources.Isolation
{
    /// <summary>Why an <see cref="IsolatedComponent{TContract}"/> could not be loaded.</summary>
    public enum IsolatedComponentFailure
    {
        /// <summary>The runtime has no AssemblyLoadContext (Windows PowerShell 5.1): the feature needs PowerShell 7.</summary>
        NotSupported,

        /// <summary>The component's files are missing or broken.</summary>
        LoadFailed,
    }

    /// <summary>An isolated component could not be loaded; the message says why and what to do.</summary>
    public sealed class IsolatedComponentException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public IsolatedComponentException(IsolatedComponentFailure failure, string component, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            Failure = failure;
            Component = component;
        }

        /// <summary>Why loading failed.</summary>
        public IsolatedComponentFailure Failure { get; }

        /// <summary>The component's name.</summary>
        public string Component { get; }
    }
}
