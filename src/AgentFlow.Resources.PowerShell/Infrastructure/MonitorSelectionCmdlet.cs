using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Binding;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of commands that take several monitors at once (Export-ResourceMetrics, Show-ResourceUsage,
    /// Export-ResourceReport): <c>-Monitor</c> takes monitor objects, names and wildcard patterns, from the
    /// command line or the pipeline. A name without wildcards that matches nothing is a MonitorNotFound error.
    /// </summary>
    public abstract class MonitorSelectionCmdlet : StoreCmdlet
    {
        private readonly List<StateMonitor> _selected = new List<StateMonitor>();
        private bool _monitorGiven;

        /// <summary>Monitors, monitor names or wildcard patterns (case-insensitive).</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("MonitorName")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(MonitorNameCompleter))]
        [ValidateNotNullOrEmpty]
        public object[]? Monitor { get; set; }

        /// <summary>The monitors selected so far, each once, in the order first selected.</summary>
        protected IReadOnlyList<StateMonitor> Selected => _selected;

        /// <summary>Adds the monitors that -Monitor names in this pipeline step; returns them.</summary>
        protected IReadOnlyList<StateMonitor> SelectFromInput()
        {
            var added = new List<StateMonitor>();
            if (Monitor == null)
            {
                return added;
            }

            _monitorGiven = true;
            foreach (object? item in Monitor)
            {
                object? value = item is PSObject wrapped ? wrapped.BaseObject : item;
                if (value is StateMonitor monitor)
                {
                    Add(monitor, added);
                    continue;
                }

                string pattern = value?.ToString() ?? string.Empty;
                IReadOnlyList<StateMonitor> matches = MonitorNames.Match(pattern);
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                {
                    WriteError(ErrorRecords.MonitorNotFound(pattern));
                }

                foreach (StateMonitor match in matches)
                {
                    Add(match, added);
                }
            }

            return added;
        }

        /// <summary>True when -Monitor was given at least once (on the command line or from the pipeline).</summary>
        protected bool MonitorGiven => _monitorGiven;

        /// <summary>When no -Monitor was given: every registered monitor, by name.</summary>
        protected void SelectAllWhenNoneGiven()
        {
            if (!_monitorGiven)
            {
                foreach (StateMonitor monitor in MonitorRegistry.Monitors)
                {
                    Add(monitor, null);
                }
            }
        }

        /// <summary>The provider path of a file the command writes (FileSystem paths only).</summary>
        protected string ResolveOutputPath(string path) => GetUnresolvedProviderPathFromPSPath(path);

        /// <summary>Writes the file through <paramref name="write"/>; a file that cannot be written is an ExportFailed error and false.</summary>
        protected bool TryWriteFile(string path, Action<string> write)
        {
            try
            {
                write(path);
                return true;
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                WriteError(ErrorRecords.ExportFailed(exception, path));
                return false;
            }
        }

        private void Add(StateMonitor monitor, List<StateMonitor>? added)
        {
            if (!_selected.Contains(monitor))
            {
                _selected.Add(monitor);
            }

            added?.Add(monitor);
        }
    }
}
