using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>
    /// Export-ResourceReport: one self-contained HTML file with inline SVG charts of the selected monitors
    /// (every registered monitor when none is given), written atomically.
    /// </summary>
    [Cmdlet(VerbsData.Export, "ResourceReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportResourceReportCommand : MonitorSelectionCmdlet
    {
        /// <summary>The HTML file to write (replaced atomically).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Entries shown in the entries chart of each monitor (the largest).</summary>
        [Parameter]
        [ValidateRange(0, 1000)]
        public int Top { get; set; } = 20;

        /// <summary>Output the file written.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput() => SelectFromInput();

        /// <inheritdoc />
        protected override void EndCommand()
        {
            SelectAllWhenNoneGiven();
            string path = ResolveOutputPath(Path!);
            if (!ShouldProcess(path, $"Write an HTML report of {Selected.Count} state monitor(s)"))
            {
                return;
            }

            MonitorPicture[] pictures = Selected.Select(monitor => MonitorPicture.Take(monitor, Top, alerts: 50)).ToArray();
            if (TryWriteFile(path, file => UsageHtmlReport.WriteFile(file, pictures, DateTime.UtcNow)) && PassThru.IsPresent)
            {
                // Through the provider, so the item carries what Get-Item's output has (mode, size, PSPath).
                WriteObject(SessionState.InvokeProvider.Item.Get(new[] { path }, false, true), enumerateCollection: true);
            }
        }
    }
}
