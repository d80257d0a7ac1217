using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AgentFlow.Resources.Configuration;
using AgentFlow.Resources.Isolation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>Import-ResourceLimits: reads limits from a YAML, JSON or .psd1 file; a file with any problem gives errors and no limits.</summary>
    [Cmdlet(VerbsData.Import, "ResourceLimits", DefaultParameterSetName = PathParameterSet)]
    [OutputType(typeof(ResourceLimits))]
    public sealed class ImportResourceLimitsCommand : PSCmdlet
    {
        private const string PathParameterSet = "Path";
        private const string LiteralPathParameterSet = "LiteralPath";

        /// <summary>The files to read; wildcards are allowed.</summary>
        [Parameter(ParameterSetName = PathParameterSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>The files to read, taken exactly as written (no wildcards); files from Get-ChildItem bind here.</summary>
        [Parameter(ParameterSetName = LiteralPathParameterSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathParameterSet;
            foreach (string path in literal ? LiteralPath : Path)
            {
                foreach (string file in FileSystemPaths.ResolveExisting(this, path, literal))
                {
                    Import(file);
                }
            }
        }

        private void Import(string file)
        {
            LimitsReadResult result;
            IConfigFormat? format;
            try
            {
                format = LimitsFileFormats.ForPath(file);
                if (format == null)
                {
                    WriteError(ErrorRecords.UnsupportedLimitsFile(file, $"the extension must be {LimitsFileFormats.Accepted}."));
                    return;
                }

                result = LimitsFile.Read(file, format);
            }
            catch (IsolatedComponentException e)
            {
                WriteError(ErrorRecords.IsolatedComponent(e));
                return;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                WriteError(ErrorRecords.LimitsFileReadError(file, e));
                return;
            }

            List<LimitsProblem> structure = result.Problems.Where(p => p.Kind == LimitsProblemKind.InvalidStructure).ToList();
            if (structure.Count > 0 || result.Limits == null)
            {
                WriteError(ErrorRecords.InvalidLimitsFile(file, format.Name, structure));
                return;
            }

            foreach (LimitsProblem unknown in result.Problems.Where(p => p.Kind == LimitsProblemKind.UnknownKey))
            {
                WriteError(ErrorRecords.UnknownLimitsKey(file, unknown));
            }

            List<LimitsProblem> invalid = result.Problems.Where(p => p.Kind == LimitsProblemKind.InvalidValue)
                .Concat(LimitsDocument.Validate(result))
                .OrderBy(p => p.Line)
                .ToList();
            if (invalid.Count > 0)
            {
                WriteError(ErrorRecords.InvalidResourceLimits(file, invalid));
                return;
            }

            if (result.Problems.Count == 0)
            {
                WriteObject(result.Limits);
            }
        }
    }
}
