using System;
using System.Linq;
using System.Management.Automation;
using AgentFlow.Resources.PowerShell.Infrastructure;

namespace AgentFlow.Resources.PowerShell.Commands
{
    /// <summary>
    /// Show-ResourceUsage: draws monitors as text lines (usage bar, forecast, history sparkline, largest and least
    /// recently used entries, latest alerts), fitted to the width, coloured through $PSStyle unless the output is
    /// redirected or NO_COLOR is set. Outputs strings, like Show-Markdown, so the picture can be captured.
    /// </summary>
    [Cmdlet(VerbsCommon.Show, "ResourceUsage")]
    [OutputType(typeof(string))]
    public sealed class ShowResourceUsageCommand : MonitorSelectionCmdlet
    {
        private const int FallbackWidth = 80;

        /// <summary>Entries shown in each list (largest, least recently used).</summary>
        [Parameter]
        [ValidateRange(0, 1000)]
        public int Top { get; set; } = 5;

        /// <summary>The width to fit (default: the window's width, or 80 when there is no window).</summary>
        [Parameter]
        [ValidateRange(UsageTextView.MinimumWidth, 10000)]
        public int Width { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            foreach (StateMonitor monitor in SelectFromInput())
            {
                Show(monitor);
            }
        }

        /// <inheritdoc />
        protected override void EndCommand()
        {
            if (MonitorGiven)
            {
                return;
            }

            StateMonitor? current = SessionMonitor.Current;
            if (current == null)
            {
                ThrowTerminatingError(ErrorRecords.NoCurrentMonitor(MonitorRegistry.Monitors.Select(m => m.Name).ToArray()));
            }

            Show(current!);
        }

        private void Show(StateMonitor monitor)
        {
            int width = MyInvocation.BoundParameters.ContainsKey(nameof(Width)) ? Width : WindowWidth();
            TextPalette palette = TerminalStyle.UseColour(this) ? TerminalStyle.PaletteFrom(this) : TextPalette.Plain;
            WriteObject(UsageTextView.Render(MonitorPicture.Take(monitor, Top), width, palette), enumerateCollection: true);
        }

        private int WindowWidth()
        {
            try
            {
                int width = Host.UI.RawUI.WindowSize.Width;
                return width >= UsageTextView.MinimumWidth ? width : FallbackWidth;
            }
            catch (Exception exception) when (exception is NotImplementedException || exception is System.Management.Automation.Host.HostException || exception is InvalidOperationException || exception is System.IO.IOException)
            {
                return FallbackWidth;
            }
        }
    }
}
