using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// Resolves -Path/-LiteralPath arguments of file commands to file system paths the way PowerShell's own file
    /// cmdlets do (relative to the current location, PSDrives, wildcards for -Path), writing the usual errors.
    /// </summary>
    internal static class FileSystemPaths
    {
        /// <summary>The existing files <paramref name="path"/> names; a path that matches nothing writes PowerShell's PathNotFound error.</summary>
        public static IReadOnlyList<string> ResolveExisting(PSCmdlet cmdlet, string path, bool literal)
        {
            var files = new List<string>();
            try
            {
                if (literal)
                {
                    string full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                    if (IsFileSystem(cmdlet, path, provider))
                    {
                        if (!File.Exists(full) && !Directory.Exists(full))
                        {
                            throw new ItemNotFoundException($"Cannot find path '{full}' because it does not exist.");
                        }

                        files.Add(full);
                    }

                    return files;
                }

                foreach (string full in cmdlet.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider))
                {
                    if (IsFileSystem(cmdlet, full, provider))
                    {
                        files.Add(full);
                    }
                }
            }
            catch (ItemNotFoundException e)
            {
                cmdlet.WriteError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, path));
            }

            return files;
        }

        /// <summary>The file system path to write <paramref name="path"/> to (it need not exist); null after writing an error.</summary>
        public static string? ResolveForWrite(PSCmdlet cmdlet, string path)
        {
            string full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
            return IsFileSystem(cmdlet, path, provider) ? full : null;
        }

        private static bool IsFileSystem(PSCmdlet cmdlet, string path, ProviderInfo provider)
        {
            if (string.Equals(provider.Name, "FileSystem", System.StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            cmdlet.WriteError(ErrorRecords.UnsupportedLimitsFile(path, $"it is a path of the {provider.Name} provider, not a file."));
            return false;
        }
    }
}
