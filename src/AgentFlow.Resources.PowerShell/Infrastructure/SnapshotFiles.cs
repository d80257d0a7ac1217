using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>What Export- and Import-StateMonitor share: file system paths from PowerShell paths, and the errors of a host without System.Text.Json.</summary>
    internal static class SnapshotFiles
    {
        /// <summary>The file system path to write to (it need not exist yet); null after writing NotAFileSystemPath.</summary>
        public static string? ResolveForWriting(PSCmdlet cmdlet, string path)
        {
            string resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
            return IsFileSystem(cmdlet, path, provider) ? resolved : null;
        }

        /// <summary>The existing files <paramref name="path"/> names (wildcards allowed); a missing file is PowerShell's own PathNotFound error.</summary>
        public static IReadOnlyList<string> ResolveExisting(PSCmdlet cmdlet, string path)
        {
            try
            {
                var resolved = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                return IsFileSystem(cmdlet, path, provider) ? (IReadOnlyList<string>)resolved : Array.Empty<string>();
            }
            catch (ItemNotFoundException exception)
            {
                cmdlet.WriteError(new ErrorRecord(exception.ErrorRecord, exception));
                return Array.Empty<string>();
            }
        }

        /// <summary>
        /// True for the failure of a host that cannot load System.Text.Json (Windows PowerShell 5.1: the module
        /// ships no copy, since PowerShell 7's own would conflict with it).
        /// </summary>
        public static bool IsMissingDependency(Exception exception) =>
            (exception is FileNotFoundException notFound && (notFound.FileName ?? string.Empty).StartsWith("System.", StringComparison.Ordinal)) ||
            (exception is FileLoadException loadFailure && (loadFailure.FileName ?? string.Empty).StartsWith("System.", StringComparison.Ordinal));

        private static bool IsFileSystem(PSCmdlet cmdlet, string path, ProviderInfo provider)
        {
            if (provider.Name == "FileSystem")
            {
                return true;
            }

            cmdlet.WriteError(ErrorRecords.NotAFileSystemPath(path, provider.Name));
            return false;
        }
    }
}
