using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using AgentFlow.Resources.Configuration;
using AgentFlow.Resources.Isolation;
using AgentFlow.Resources.PowerShell.Binding;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>
    /// Export-ResourceLimits: writes limits to a YAML, JSON or .psd1 file (by extension) that Import-ResourceLimits
    /// reads back to equal limits. Like Export-Clixml: replaces an existing file unless -NoClobber, and -Force
    /// replaces a read-only one. The file is written atomically.
    /// </summary>
    [Cmdlet(VerbsData.Export, "ResourceLimits", SupportsShouldProcess = true, DefaultParameterSetName = LimitsFirstParameterSet)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportResourceLimitsCommand : PSCmdlet
    {
        // 'Export-ResourceLimits $limits ./limits.yaml' and '$limits | Export-ResourceLimits ./limits.yaml' both
        // work: with piped limits, the one positional argument is the path (a string does not bind to -Limits
        // without conversion, so PowerShell binds it in the set where the path comes first).
        private const string LimitsFirstParameterSet = "LimitsFirst";
        private const string PipelineParameterSet = "Pipeline";

        /// <summary>The limits to write.</summary>
        [Parameter(ParameterSetName = LimitsFirstParameterSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Parameter(ParameterSetName = PipelineParameterSet, Mandatory = true, ValueFromPipeline = true)]
        [LimitsTransformation]
        [ValidateNotNull]
        public ResourceLimits? Limits { get; set; }

        /// <summary>The file to write; its extension (.yaml, .yml, .json, .psd1) chooses the format.</summary>
        [Parameter(ParameterSetName = LimitsFirstParameterSet, Mandatory = true, Position = 1)]
        [Parameter(ParameterSetName = PipelineParameterSet, Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Do not replace an existing file.</summary>
        [Parameter]
        [Alias("NoOverwrite")]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>Replace a read-only file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Return the file written.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IReadOnlyList<string> problems = Limits!.Validate();
            if (problems.Count > 0)
            {
                WriteError(ErrorRecords.InvalidResourceLimits(problems, Limits));
                return;
            }

            string? file = FileSystemPaths.ResolveForWrite(this, Path);
            if (file == null)
            {
                return;
            }

            IConfigFormat? format;
            try
            {
                format = LimitsFileFormats.ForPath(file);
            }
            catch (IsolatedComponentException e)
            {
                WriteError(ErrorRecords.IsolatedComponent(e));
                return;
            }

            if (format == null)
            {
                WriteError(ErrorRecords.UnsupportedLimitsFile(file, $"the extension must be {LimitsFileFormats.Accepted}."));
                return;
            }

            var existing = new FileInfo(file);
            if (existing.Exists && NoClobber.IsPresent)
            {
                WriteError(ErrorRecords.NoClobber(file));
                return;
            }

            bool readOnly = existing.Exists && (existing.Attributes & FileAttributes.ReadOnly) != 0;
            if (readOnly && !Force.IsPresent)
            {
                WriteError(ErrorRecords.FileReadOnly(file));
                return;
            }

            if (!ShouldProcess(file, $"Write resource limits ({format.Name})"))
            {
                return;
            }

            try
            {
                if (readOnly)
                {
                    existing.Attributes &= ~FileAttributes.ReadOnly;
                }

                LimitsFile.Write(file, Limits, format);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                WriteError(ErrorRecords.LimitsFileWriteError(file, e));
                return;
            }

            if (PassThru.IsPresent)
            {
                WriteObject(new FileInfo(file));
            }
        }
    }
}
