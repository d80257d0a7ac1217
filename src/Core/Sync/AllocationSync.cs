using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Works out how to make a monitor's entries match real things (files in a folder, running processes): which to add,
    /// which to update because their size changed, which to remove because they are gone. Entries outside the sync's
    /// scope are never part of a plan, and unchanged ones are left alone so that they keep their place in LRU order.
    /// </summary>
    public static class AllocationSync
    {
        /// <summary>The key prefix of process entries: <c>process/&lt;name&gt;/&lt;id&gt;</c>.</summary>
        public const string ProcessPrefix = "process/";

        // File names compare as the file system does: case-insensitively on Windows only.
        private static readonly StringComparison s_pathComparison =
            Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

        /// <summary>
        /// The changes that make <paramref name="tracked"/> match <paramref name="observed"/> (key → size): an observed key
        /// not tracked is added, one tracked with another size is updated, and a tracked key that was not observed is
        /// removed when <paramref name="isGone"/> says its thing is gone. Added and updated come in the observed order,
        /// removed in the tracked (LRU) order.
        /// </summary>
        /// <param name="tracked">The monitor's entries.</param>
        /// <param name="observed">What exists now, key → size.</param>
        /// <param name="isGone">For a tracked key that was not observed: true when it is in the sync's scope and its thing is gone.</param>
        /// <param name="unchanged">Observed keys tracked with the same size.</param>
        public static IReadOnlyList<SyncChange> Plan(
            IEnumerable<AllocationEntry> tracked,
            IEnumerable<KeyValuePair<string, long>> observed,
            Func<string, bool> isGone,
            out int unchanged)
        {
            var trackedSizes = new Dictionary<string, long>(StringComparer.Ordinal);
            var trackedOrder = new List<AllocationEntry>();
            foreach (AllocationEntry entry in tracked)
            {
                trackedSizes[entry.Key] = entry.Size;
                trackedOrder.Add(entry);
            }

            var changes = new List<SyncChange>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            unchanged = 0;
            foreach (KeyValuePair<string, long> item in observed)
            {
                if (!seen.Add(item.Key))
                {
                    continue;
                }

                if (!trackedSizes.TryGetValue(item.Key, out long size))
                {
                    changes.Add(new SyncChange(SyncChangeKind.Added, item.Key, item.Value, 0));
                }
                else if (size != item.Value)
                {
                    changes.Add(new SyncChange(SyncChangeKind.Updated, item.Key, item.Value, size));
                }
                else
                {
                    unchanged++;
                }
            }

            foreach (AllocationEntry entry in trackedOrder)
            {
                if (!seen.Contains(entry.Key) && isGone(entry.Key))
                {
                    changes.Add(new SyncChange(SyncChangeKind.Removed, entry.Key, entry.Size, entry.Size));
                }
            }

            return changes;
        }

        /// <summary>The files of a folder (of its subfolders too with <paramref name="recurse"/>) matching the filter: full path → length, in ordinal path order.</summary>
        /// <param name="folder">A full path.</param>
        /// <param name="recurse">Include subfolders.</param>
        /// <param name="filter">A file name pattern with <c>*</c> and <c>?</c>; null or empty for every file.</param>
        public static IReadOnlyList<KeyValuePair<string, long>> ObserveFolder(string folder, bool recurse, string? filter)
        {
            var files = new List<KeyValuePair<string, long>>();
            foreach (FileInfo file in new DirectoryInfo(folder).EnumerateFiles("*", recurse ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly))
            {
                if (MatchesFilter(file.Name, filter))
                {
                    files.Add(new KeyValuePair<string, long>(file.FullName, file.Length));
                }
            }

            // In path order, so that a sync adds the same folder the same way on every file system.
            files.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            return files;
        }

        /// <summary>
        /// True when <paramref name="key"/> is the path of a file the folder sync covers: directly in <paramref name="folder"/>
        /// (or below it with <paramref name="recurse"/>) and matching the filter.
        /// </summary>
        public static bool IsInFolder(string key, string folder, bool recurse, string? filter)
        {
            string prefix = folder.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? folder : folder + Path.DirectorySeparatorChar;
            if (key.Length <= prefix.Length || !key.StartsWith(prefix, s_pathComparison))
            {
                return false;
            }

            int nameStart = key.LastIndexOf(Path.DirectorySeparatorChar) + 1;
            return (recurse || nameStart == prefix.Length) && MatchesFilter(key.Substring(nameStart), filter);
        }

        /// <summary>The key of a process: <c>process/&lt;name&gt;/&lt;id&gt;</c>.</summary>
        public static string ProcessKey(string processName, int id) =>
            ProcessPrefix + processName + "/" + id.ToString(CultureInfo.InvariantCulture);

        /// <summary>The running processes among <paramref name="processes"/>: key → working set, refreshed now.</summary>
        public static IReadOnlyList<KeyValuePair<string, long>> ObserveProcesses(IEnumerable<Process> processes)
        {
            var observed = new List<KeyValuePair<string, long>>();
            foreach (Process process in processes)
            {
                try
                {
                    process.Refresh();
                    if (!process.HasExited)
                    {
                        observed.Add(new KeyValuePair<string, long>(ProcessKey(process.ProcessName, process.Id), process.WorkingSet64));
                    }
                }
                catch (InvalidOperationException)
                {
                    // It exited between the calls: nothing to record.
                }
            }

            return observed;
        }

        /// <summary>
        /// True when <paramref name="key"/> is a process entry whose process has exited: no process has its id any more, or
        /// the one that has it now is another program (the id was reused).
        /// </summary>
        public static bool IsExitedProcess(string key)
        {
            if (!key.StartsWith(ProcessPrefix, StringComparison.Ordinal))
            {
                return false;
            }

            int idStart = key.LastIndexOf('/') + 1;
            if (idStart <= ProcessPrefix.Length + 1 ||
                !int.TryParse(key.Substring(idStart), NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            {
                return false;
            }

            string name = key.Substring(ProcessPrefix.Length, idStart - 1 - ProcessPrefix.Length);
            try
            {
                using (Process process = Process.GetProcessById(id))
                {
                    return process.HasExited || !string.Equals(process.ProcessName, name, StringComparison.Ordinal);
                }
            }
            catch (ArgumentException)
            {
                return true;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }

        /// <summary>True when the file name matches the pattern (<c>*</c> any run, <c>?</c> one character); null or empty matches all.</summary>
        public static bool MatchesFilter(string name, string? filter)
        {
            if (string.IsNullOrEmpty(filter) || filter == "*")
            {
                return true;
            }

            bool ignoreCase = s_pathComparison == StringComparison.OrdinalIgnoreCase;
            int n = 0, p = 0, starP = -1, starN = 0;
            while (n < name.Length)
            {
                if (p < filter!.Length && (filter[p] == '?' || SameChar(filter[p], name[n], ignoreCase)))
                {
                    n++;
                    p++;
                }
                else if (p < filter.Length && filter[p] == '*')
                {
                    starP = p++;
                    starN = n;
                }
                else if (starP >= 0)
                {
                    p = starP + 1;
                    n = ++starN;
                }
                else
                {
                    return false;
                }
            }

            while (p < filter!.Length && filter[p] == '*')
            {
                p++;
            }

            return p == filter.Length;
        }

        private static bool SameChar(char a, char b, bool ignoreCase) =>
            a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
    }
}
