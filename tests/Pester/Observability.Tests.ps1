#Requires -Version 7.0
# Seeing and predicting usage through the cmdlets: Get-ResourceUsage -History and the forecast, the prediction
# limits, Export-ResourceMetrics checked by Prometheus's own promtool, Show-ResourceUsage, and
# Export-ResourceReport rendered by a real headless Chromium. build.ps1 Test installs promtool and chromium.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModuleManifest)
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $Commands = 'AgentFlow.Resources.PowerShell.Commands'
    $WarningPreference = 'SilentlyContinue'
    $ResultsFolder = if ($env:AGENTFLOW_ARTIFACTS) { Join-Path $env:AGENTFLOW_ARTIFACTS 'test-results' } else { Join-Path (Get-RepositoryRoot) 'artifacts/test-results' }
    $null = New-Item -ItemType Directory -Force -Path $ResultsFolder

    # Three monitors whose names need escaping in Prometheus labels and HTML: quotes, a backslash, non-ASCII letters.
    function New-ObservedMonitors {
        Reset-MonitorRegistry
        $script:Quoted = New-StateMonitor -Name 'say "cheese"' -Limits (New-ResourceLimits -MaxStateSize 10MB)
        0..9 | ForEach-Object { Add-Allocation -Key "data_$_" -Size 1MB }   # evicts 3 at 8 MB
        Lock-Allocation data_9
        $script:Windows = New-StateMonitor -Name 'C:\runs\nightly' -Fast
        Add-Allocation -Key a -Size 4KB
        $script:Unicode = New-StateMonitor -Name 'Größe-監視' -Limits (New-ResourceLimits -MaxStateSize 1MB -MaxValueSize 512KB -AutoCleanup:$false)
        Add-Allocation -Key big -Size 600KB -ErrorAction SilentlyContinue   # rejected
        Add-Allocation -Key ok -Size 100KB
    }

    function Invoke-Promtool([string]$Text) {
        $output = $Text | & promtool check metrics 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
    }

    $ChromiumFlags = @('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--hide-scrollbars')

    # Runs Debian's chromium headless with a new, empty profile; returns its standard output (the DOM with --dump-dom).
    function Invoke-Chromium([string[]]$Arguments) {
        $profileFolder = Join-Path ([IO.Path]::GetTempPath()) ('agentflow-chromium-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $profileFolder
        try {
            $output = & chromium @ChromiumFlags "--user-data-dir=$profileFolder" @Arguments 2>$null
            if ($LASTEXITCODE -ne 0) { throw "chromium exited with $LASTEXITCODE" }
            $output -join "`n"
        }
        finally { Remove-Item -LiteralPath $profileFolder -Recurse -Force -ErrorAction SilentlyContinue }
    }

    # [uri] casts a Unix path to a relative URI: build the file URI explicitly.
    function Get-FileUri([string]$Path) { [Uri]::new($Path, [UriKind]::Absolute).AbsoluteUri }

    function Format-Exact([long]$Bytes) {
        if ($Bytes -lt 1024) { return [AgentFlow.Resources.ByteSize]::Format($Bytes) }
        '{0} ({1} bytes)' -f [AgentFlow.Resources.ByteSize]::Format($Bytes), $Bytes.ToString('N0', [cultureinfo]::InvariantCulture)
    }
}

AfterAll {
    Reset-MonitorRegistry
}

Describe 'Get-ResourceUsage -History and the forecast' {
    BeforeEach { Reset-MonitorRegistry }

    It 'returns the samples, oldest first, the newest holding the current usage' {
        $null = New-StateMonitor -Name hist -Limits (New-ResourceLimits -MaxStateSize 1MB)
        Add-Allocation a 100KB
        Add-Allocation b 200KB
        $samples = @(Get-ResourceUsage -History)
        $samples.Count | Should -BeGreaterOrEqual 1
        $samples[-1].CurrentSize | Should -Be 300KB
        $samples[-1].ValueCount | Should -Be 2
        $samples[-1].UsagePercentage | Should -Be (300KB / 1MB)
        $samples[-1].Timestamp.Kind | Should -Be 'Utc'
        $samples[-1] | Should -BeOfType ([AgentFlow.Resources.UsageSample])
        ($samples | Format-Table | Out-String) | Should -Match '300 KB\s+2\s+29\.3 %'
        (Get-Command Get-ResourceUsage).OutputType.Type | Should -Contain ([AgentFlow.Resources.UsageSample])
    }

    It 'keeps no history with -HistoryLength 0, and the forecast needs three samples' {
        $null = New-StateMonitor -Name none -HistoryLength 0
        Add-Allocation a 1KB
        Get-ResourceUsage -History | Should -BeNullOrEmpty
        $stats = Get-ResourceUsage
        $stats.GrowthRate | Should -BeNullOrEmpty
        $stats.TimeToThreshold | Should -BeNullOrEmpty
        $stats.TimeToLimit | Should -BeNullOrEmpty
        (Get-StateMonitor none).History.Length | Should -Be 0
    }

    It 'takes the history settings on New-StateMonitor and rejects an interval below 1 ms' {
        $m = New-StateMonitor -Name tuned -HistoryInterval '00:00:05' -HistoryLength 120
        $m.History.Interval | Should -Be ([timespan]'00:00:05')
        $m.History.Length | Should -Be 120

        $record = Get-ErrorRecord { New-StateMonitor -Name bad -HistoryInterval 0 }
        $record.FullyQualifiedErrorId | Should -Be "InvalidHistorySettings,$Commands.NewStateMonitorCommand"
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.Exception.Message | Should -BeLike '*at least 1 millisecond*'
        Get-StateMonitor bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-ErrorRecord { New-StateMonitor -Name bad -HistoryLength -1 }).FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError*'
    }

    It 'converts to JSON with the alert counts named by type (ConvertTo-Json needs string keys)' {
        $null = New-StateMonitor -Name json -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 4KB -AutoCleanup:$false)
        Add-Allocation a 4KB
        Add-Allocation b 4KB                                # 80 %: ApproachingLimit
        Add-Allocation c 5KB -ErrorAction SilentlyContinue  # over MaxValueSize: LimitExceeded
        $null = Invoke-ResourceCleanup                      # evicts a: CleanupTriggered
        $stats = Get-ResourceUsage
        $json = $stats | ConvertTo-Json -Compress | ConvertFrom-Json
        $json.CurrentSize | Should -Be $stats.CurrentSize
        $json.AlertsRaised.ApproachingLimit | Should -Be 1
        $json.AlertsRaised.LimitExceeded | Should -Be 1
        $json.AlertsRaised.CleanupTriggered | Should -Be 1
        $json.AlertsRaised.CleanupFailed | Should -Be 0
        $json.AlertsRaised.PredictedExhaustion | Should -Be 0
        $stats.AlertsRaised.CleanupTriggered | Should -Be 1
        $stats.AlertsRaised['LimitExceeded'] | Should -Be 1
        $stats.AlertsRaised[[AgentFlow.Resources.AlertType]::ApproachingLimit] | Should -Be 1
        ($stats | Format-List -Property AlertsRaised | Out-String) | Should -Match 'AlertsRaised : ApproachingLimit 1, LimitExceeded 1, CleanupTriggered 1, CleanupFailed 0, PredictedExhaustion 0'
    }

    It 'shows the forecast in the usage list' {
        $null = New-StateMonitor -Name listed
        $lines = (Get-ResourceUsage | Out-String) -split "`r?`n"
        $lines | Should -Contain 'GrowthRate            : '
        $lines | Should -Contain 'RecordedAllocations   : 0'
    }
}

Describe 'Prediction settings on New-ResourceLimits' {
    It 'builds limits with a horizon and predictive cleanup' {
        $limits = New-ResourceLimits -PredictionHorizon '00:05:00' -PredictiveCleanup
        $limits.PredictionHorizon | Should -Be ([timespan]'00:05:00')
        $limits.PredictiveCleanup | Should -BeTrue
        "$limits" | Should -BeLike '*prediction horizon 00:05:00 (predictive cleanup)'
        (New-ResourceLimits).PredictionHorizon | Should -Be ([timespan]::Zero)
        Test-ResourceLimits -PredictionHorizon '00:01:00' | Should -BeTrue
    }

    It 'rejects predictive cleanup without a horizon or without automatic cleanup, listing both problems' {
        $record = Get-ErrorRecord { New-ResourceLimits -PredictiveCleanup -AutoCleanup:$false }
        $record.FullyQualifiedErrorId | Should -Be "InvalidResourceLimits,$Commands.NewResourceLimitsCommand"
        $record.Exception.Message | Should -BeLike '*PredictiveCleanup needs a PredictionHorizon greater than 0*PredictiveCleanup needs AutoCleanup*'
        (Test-ResourceLimits -PredictionHorizon '-00:00:01' -Detailed).Problems | Should -Be @('PredictionHorizon must be 0 (off) or a positive time span, but is -00:00:01.')
    }
}

Describe 'Export-ResourceMetrics' {
    BeforeAll { New-ObservedMonitors }

    It 'passes promtool check metrics for monitors whose names need escaping' {
        $text = Export-ResourceMetrics
        $text | Should -BeOfType ([string])
        $check = Invoke-Promtool $text
        $check.Output | Should -BeNullOrEmpty
        $check.ExitCode | Should -Be 0
    }

    It 'escapes quotes and backslashes in labels and keeps non-ASCII letters' {
        $lines = (Export-ResourceMetrics) -split "`n"
        $lines | Should -Contain 'agentflow_state_bytes{monitor="say \"cheese\""} 7340032'
        $lines | Should -Contain 'agentflow_state_bytes{monitor="C:\\runs\\nightly"} 4096'
        $lines | Should -Contain 'agentflow_state_bytes{monitor="Größe-監視"} 102400'
        $lines | Should -Contain 'agentflow_rejections_total{monitor="Größe-監視"} 1'
        $lines | Should -Contain 'agentflow_evictions_total{monitor="say \"cheese\""} 3'
        $lines | Should -Contain 'agentflow_evicted_bytes_total{monitor="say \"cheese\""} 3145728'
        $lines | Should -Contain 'agentflow_state_peak_bytes{monitor="say \"cheese\""} 8388608'
        $lines | Should -Contain 'agentflow_state_limit_bytes{monitor="C:\\runs\\nightly"} 104857600'
        $lines | Should -Contain 'agentflow_state_entries{monitor="say \"cheese\""} 7'
        $lines | Should -Contain 'agentflow_alerts_total{monitor="say \"cheese\"",type="CleanupTriggered"} 3'
        $lines | Should -Contain 'agentflow_alerts_total{monitor="Größe-監視",type="LimitExceeded"} 1'
        $lines | Should -Contain '# TYPE agentflow_alerts_total counter'
    }

    It 'selects monitors by object, name, wildcard and pipeline' {
        $only = (Export-ResourceMetrics -Monitor 'Gr*') -split "`n" | Where-Object { $_ -like 'agentflow_state_bytes{*' }
        $only | Should -Be @('agentflow_state_bytes{monitor="Größe-監視"} 102400')
        $piped = (Get-StateMonitor 'C:\runs\nightly' | Export-ResourceMetrics) -split "`n" | Where-Object { $_ -like 'agentflow_state_entries{*' }
        $piped | Should -Be @('agentflow_state_entries{monitor="C:\\runs\\nightly"} 1')
        $both = (Export-ResourceMetrics $Quoted, 'Größe-監視') -split "`n" | Where-Object { $_ -like 'agentflow_state_bytes{*' }
        $both.Count | Should -Be 2

        $record = Get-ErrorRecord { Export-ResourceMetrics -Monitor 'missing' }
        $record.FullyQualifiedErrorId | Should -Be "MonitorNotFound,$Commands.ExportResourceMetricsCommand"
    }

    It 'writes the same text to a file atomically, replacing the old one, and -WhatIf writes nothing' {
        $folder = Join-Path $TestDrive 'textfile'
        $null = New-Item -ItemType Directory -Path $folder
        $path = Join-Path $folder 'agentflow.prom'
        Set-Content -LiteralPath $path -Value 'stale'
        Export-ResourceMetrics -Path $path | Should -BeNullOrEmpty
        [IO.File]::ReadAllText($path) | Should -BeExactly (Export-ResourceMetrics)
        [IO.File]::ReadAllBytes($path)[0] | Should -Not -Be 0xEF
        @(Get-ChildItem -LiteralPath $folder -Force).Name | Should -Be @('agentflow.prom')
        $check = Invoke-Promtool ([IO.File]::ReadAllText($path))
        $check.Output | Should -BeNullOrEmpty
        $check.ExitCode | Should -Be 0

        $other = Join-Path $folder 'other.prom'
        Export-ResourceMetrics -Path $other -WhatIf
        Test-Path -LiteralPath $other | Should -BeFalse
    }

    It 'reports a folder that does not exist as ExportFailed and writes nothing' {
        $record = Get-ErrorRecord { Export-ResourceMetrics -Path (Join-Path $TestDrive 'no/such/folder/x.prom') }
        $record.FullyQualifiedErrorId | Should -Be "ExportFailed,$Commands.ExportResourceMetricsCommand"
        $record.CategoryInfo.Category | Should -Be 'WriteError'
        $record.Exception.Message | Should -BeLike "Cannot write '*x.prom': *Nothing was written there."
    }
}

Describe 'Show-ResourceUsage' {
    BeforeAll { New-ObservedMonitors }
    AfterEach { $env:NO_COLOR = $null; $PSStyle.OutputRendering = 'Host' }

    It 'outputs plain strings fitted to the width when the output is redirected' {
        $lines = @(Show-ResourceUsage -Monitor $Quoted -Width 60 -Top 10)
        $lines | Should -BeOfType ([string])
        $lines[0] | Should -BeExactly 'say "cheese" · 7 MB of 10 MB · 7 entries of 1000 · detailed'
        $lines[1] | Should -Match '^\[[█░:|]{50}\]  70\.0 %$'
        $lines[2] | Should -BeExactly '| threshold 80.0 % (8 MB)   : target 70.0 % (7 MB)'
        $lines | Should -Contain 'largest entries'
        $lines | Where-Object { $_ -like '  data_9 *' } | Should -Match '1 MB pinned$'
        $lines | Should -Contain 'alerts: 3 queued, latest 3'
        $lines[-1] | Should -Match '^  \d\d:\d\d:\d\d CleanupTriggered: Automatic cleanup freed 1 MB b…$'   # cut to 60
        foreach ($line in $lines) {
            $line.Length | Should -BeLessOrEqual 60
            $line | Should -Not -Match "`e"
        }
        @(Show-ResourceUsage -Monitor $Quoted -Width 60 -Top 2 | Where-Object { $_ -like '  data_*' }).Count | Should -Be 4
    }

    It 'colours through $PSStyle when OutputRendering is Ansi, and not when NO_COLOR is set' {
        $PSStyle.OutputRendering = 'Ansi'
        $coloured = @(Show-ResourceUsage -Monitor $Quoted -Width 60)
        $coloured[0] | Should -BeExactly ($PSStyle.Foreground.Cyan + 'say "cheese" · 7 MB of 10 MB · 7 entries of 1000 · detailed' + $PSStyle.Reset)
        $coloured[1].Contains($PSStyle.Foreground.Green + '█') | Should -BeTrue   # 70 % is at the target: the used part is green
        ($coloured -join "`n") -replace "`e\[[0-9;]*m", '' | Should -BeExactly ((Show-ResourceUsage -Monitor $Quoted -Width 60 | ForEach-Object { $_ }) -replace "`e\[[0-9;]*m", '' -join "`n")

        $env:NO_COLOR = '1'
        (Show-ResourceUsage -Monitor $Quoted -Width 60) -join "`n" | Should -Not -Match "`e"
        $env:NO_COLOR = $null
        $PSStyle.OutputRendering = 'PlainText'
        (Show-ResourceUsage -Monitor $Quoted -Width 60) -join "`n" | Should -Not -Match "`e"
    }

    It 'shows the current monitor by default, several monitors from the pipeline, and a fast one without entries' {
        Select-StateMonitor 'Größe-監視'
        (Show-ResourceUsage -Width 80)[0] | Should -BeLike 'Größe-監視 · 100 KB of 1 MB*'
        $all = @(Get-StateMonitor | Show-ResourceUsage -Width 80)
        @($all | Where-Object { $_ -like '* · detailed' -or $_ -like '* · fast' }).Count | Should -Be 3
        $all | Should -Contain 'fast monitor: no per-key data, so no entries to show'
        (Get-ErrorRecord { Show-ResourceUsage -Width 10 }).FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError*'
    }

    It 'fits the window width of a real console when no -Width is given' {
        $lines = @(Show-ResourceUsage -Monitor $Quoted)
        $width = try { $Host.UI.RawUI.WindowSize.Width } catch { 0 }
        $expected = if ($width -ge 30) { $width } else { 80 }
        $lines[1].Length | Should -Be $expected
    }
}

Describe 'Export-ResourceReport in a real browser' {
    BeforeAll {
        New-ObservedMonitors
        $ReportPath = Join-Path $TestDrive 'report.html'
        $file = Export-ResourceReport -Path $ReportPath -PassThru
        $Dom = Invoke-Chromium @('--dump-dom', (Get-FileUri $ReportPath))

        # The rendered value of one figure of one monitor's section, decoded.
        function Get-Figure([string]$Monitor, [string]$Figure) {
            $sections = $Dom -split '<section class="monitor" '
            $section = $sections | Where-Object { [Net.WebUtility]::HtmlDecode(($_ -replace '(?s)^data-monitor="([^"]*)".*', '$1')) -eq $Monitor }
            if (@($section).Count -ne 1) { throw "No single section for '$Monitor' in the rendered DOM." }
            if ($section -notmatch ('data-figure="' + [regex]::Escape($Figure) + '" data-value="([^"]*)">([^<]*)<')) { throw "No figure '$Figure' for '$Monitor'." }
            [pscustomobject]@{ Value = $Matches[1]; Shown = [Net.WebUtility]::HtmlDecode($Matches[2]) }
        }
    }

    It 'writes one self-contained file' {
        $file.FullName | Should -Be $ReportPath
        $html = Get-Content -LiteralPath $ReportPath -Raw
        $html | Should -Not -Match '<script|<link|@import|url\(|src='
        ([regex]::Matches($html, '<svg ')).Count | Should -Be 5   # usage for each of 3 monitors, entries for the 2 detailed ones
    }

    It 'shows each monitor''s exact figures in the rendered DOM' {
        foreach ($monitor in $Quoted, $Windows, $Unicode) {
            $stats = Get-ResourceUsage -Monitor $monitor
            $size = Get-Figure $monitor.Name 'current-size'
            $size.Value | Should -Be $stats.CurrentSize
            $size.Shown | Should -BeExactly (Format-Exact $stats.CurrentSize)
            (Get-Figure $monitor.Name 'max-state-size').Shown | Should -BeExactly (Format-Exact $stats.MaxStateSize)
            (Get-Figure $monitor.Name 'peak-size').Shown | Should -BeExactly (Format-Exact $stats.PeakSize)
            (Get-Figure $monitor.Name 'usage').Shown | Should -BeExactly (($stats.UsagePercentage * 100).ToString('0.0', [cultureinfo]::InvariantCulture) + ' %')
            (Get-Figure $monitor.Name 'entries').Shown | Should -BeExactly ('{0} of {1}' -f $stats.ValueCount.ToString('N0', [cultureinfo]::InvariantCulture), $stats.MaxCacheEntries.ToString('N0', [cultureinfo]::InvariantCulture))
            (Get-Figure $monitor.Name 'total-evictions').Value | Should -Be $stats.TotalEvictions
            (Get-Figure $monitor.Name 'rejected-allocations').Value | Should -Be $stats.RejectedAllocations
            (Get-Figure $monitor.Name 'recorded-allocations').Value | Should -Be $stats.RecordedAllocations
            (Get-Figure $monitor.Name 'cleanup-threshold-bytes').Value | Should -Be $stats.CleanupThresholdBytes
            (Get-Figure $monitor.Name 'alerts-CleanupTriggered').Value | Should -Be $stats.AlertsRaised[[AgentFlow.Resources.AlertType]::CleanupTriggered]
        }
        (Get-Figure $Quoted.Name 'current-size').Shown | Should -BeExactly '7 MB (7,340,032 bytes)'
        (Get-Figure $Quoted.Name 'queued-alerts').Value | Should -Be 3
        $Dom | Should -Match '<h2>say "cheese" <small>detailed monitor</small></h2>'
        $Dom | Should -Match '<h2>C:\\runs\\nightly <small>fast monitor</small></h2>'
        $Dom | Should -Match 'class="entry pinned" data-key="data_9"'
    }

    It 'renders to a screenshot' {
        $png = Join-Path $ResultsFolder 'report.png'
        Remove-Item -LiteralPath $png -ErrorAction SilentlyContinue
        $null = Invoke-Chromium @("--screenshot=$png", '--window-size=900,1400', (Get-FileUri $ReportPath))
        $bytes = [IO.File]::ReadAllBytes($png)
        $bytes.Length | Should -BeGreaterThan 10000
        [BitConverter]::ToString($bytes, 0, 8) | Should -Be '89-50-4E-47-0D-0A-1A-0A'
        # Width and height from the PNG header: what the window size asked for.
        [BitConverter]::ToString($bytes, 16, 8) | Should -Be ('{0:X8}{1:X8}' -f 900, 1400 -replace '(..)(?!$)', '$1-')
    }

    It 'honours -WhatIf and reports an unwritable path' {
        $other = Join-Path $TestDrive 'other.html'
        Export-ResourceReport -Path $other -WhatIf
        Test-Path -LiteralPath $other | Should -BeFalse
        (Get-ErrorRecord { Export-ResourceReport -Path (Join-Path $TestDrive 'no/such/report.html') }).FullyQualifiedErrorId | Should -Be "ExportFailed,$Commands.ExportResourceReportCommand"
    }
}

Describe 'The Demo task''s runbook' {
    It 'leaves metrics that promtool accepts and a report, and says where' {
        $folder = Join-Path $TestDrive 'demo'
        $work = Join-Path $TestDrive 'work'
        $runbook = Join-Path (Get-RepositoryRoot) 'examples/Invoke-ArtifactBudgetRunbook.ps1'
        $pwsh = Get-PwshCommand
        $output = & $pwsh.FilePath @($pwsh.Arguments) -NoProfile -NonInteractive -File $runbook -ModulePath (Get-BuiltModuleManifest) -WorkRoot $work -ReportFolder $folder 2>&1
        $LASTEXITCODE | Should -Be 0
        $output | Should -Contain "Metrics for Prometheus (node_exporter textfile format): $(Join-Path $folder 'agentflow.prom')"
        $output | Should -Contain "HTML report: $(Join-Path $folder 'report.html')"
        $check = Invoke-Promtool ([IO.File]::ReadAllText((Join-Path $folder 'agentflow.prom')))
        $check.Output | Should -BeNullOrEmpty
        $check.ExitCode | Should -Be 0
        Get-Content -LiteralPath (Join-Path $folder 'report.html') -Raw | Should -Match 'data-monitor="artifact-budget"'
    }
}
