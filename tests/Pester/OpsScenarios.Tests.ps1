#Requires -Version 7.0
# Operator scenarios: budgeting a directory of workflow artifacts, and a runbook run as a child `pwsh -File`
# whose exit code says whether a monitor is over its cleanup threshold.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Manifest = Get-BuiltModuleManifest
    Import-Module $Manifest
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $WarningPreference = 'SilentlyContinue'

    function New-Artifacts([string]$Folder, [int[]]$Sizes) {
        $null = New-Item -ItemType Directory -Force -Path $Folder
        for ($i = 0; $i -lt $Sizes.Count; $i++) {
            [System.IO.File]::WriteAllBytes((Join-Path $Folder ('artifact_{0:00}.bin' -f $i)), [byte[]]::new($Sizes[$i]))
        }
        (Get-Item -LiteralPath $Folder).FullName
    }

    function Get-Names([string]$Folder) { @(Get-ChildItem -LiteralPath $Folder -File | ForEach-Object Name) }
}

Describe 'Budgeting a directory of workflow artifacts' {
    BeforeEach {
        Reset-MonitorRegistry
        # Ten artifacts of 10 KB, 20 KB, ... 100 KB: 550 KB in all.
        $folder = New-Artifacts (Join-Path $TestDrive "artifacts-$([guid]::NewGuid().ToString('N'))") (1..10 | ForEach-Object { $_ * 10KB })
        $monitor = New-StateMonitor -Name artifacts -Limits (New-ResourceLimits -MaxStateSize 1MB -MaxValueSize 256KB -StreamChunkSize 64KB -AutoCleanup:$false)
        Get-ChildItem -LiteralPath $folder -File | Add-Allocation
    }

    It 'records every artifact under its full path with its length' {
        $stats = Get-ResourceUsage
        $stats.ValueCount | Should -Be 10
        $stats.CurrentSize | Should -Be 563200
        $stats.CurrentSize | Should -Be (Get-ChildItem -LiteralPath $folder -File | Measure-Object Length -Sum).Sum
        (Get-Allocation -Oldest 1).Key | Should -Be (Join-Path $folder 'artifact_00.bin')
    }

    It 'previews with -WhatIf without touching the monitor or the disk' {
        $state = Get-MonitorState $monitor
        Invoke-ResourceCleanup 0.25 -WhatIf | Select-Object -ExpandProperty Evicted | Remove-Item -WhatIf
        Get-MonitorState $monitor | Should -Be $state
        (Get-Names $folder).Count | Should -Be 10
    }

    It 'keeps the artifacts in use, evicts the least recently used and deletes them through the pipeline' {
        'artifact_00.bin', 'artifact_01.bin', 'artifact_02.bin' | ForEach-Object { Join-Path $folder $_ } | Use-Allocation
        $result = Invoke-ResourceCleanup 0.25
        $result.Evicted | Remove-Item
        $result.Evicted.Key | ForEach-Object { Split-Path -Leaf $_ } | Should -Be @(3..7 | ForEach-Object { 'artifact_{0:00}.bin' -f $_ })
        $result.BytesFreed | Should -Be 307200
        Get-Names $folder | Should -Be @('artifact_00.bin', 'artifact_01.bin', 'artifact_02.bin', 'artifact_08.bin', 'artifact_09.bin')
        $monitor.CurrentSize | Should -Be 256000
        $monitor.CurrentSize | Should -Be (Get-ChildItem -LiteralPath $folder -File | Measure-Object Length -Sum).Sum
    }

    It 'drops the oldest artifacts from tracking and disk in one pipeline' {
        Get-Allocation -Oldest 2 | Remove-Allocation -PassThru | Remove-Item
        Get-Names $folder | Should -Be @(2..9 | ForEach-Object { 'artifact_{0:00}.bin' -f $_ })
        $monitor.CurrentSize | Should -Be 532480
        $monitor.CurrentSize | Should -Be (Get-ChildItem -LiteralPath $folder -File | Measure-Object Length -Sum).Sum
    }

    It 'keeps pinned artifacts on disk whatever the cleanup' {
        Join-Path $folder 'artifact_03.bin' | Lock-Allocation
        Invoke-ResourceCleanup 0 | Select-Object -ExpandProperty Evicted | Remove-Item
        Get-Names $folder | Should -Be @('artifact_03.bin')
        $monitor.CurrentSize | Should -Be 40KB
    }

    It 'finds the monitors that need cleanup across the session' {
        $null = New-StateMonitor -Name quiet
        Add-Allocation small 1KB
        $null = New-StateMonitor -Name busy -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 10KB -StreamChunkSize 1KB -AutoCleanup:$false)
        Add-Allocation big 9KB
        @(Get-StateMonitor | Get-ResourceUsage | Where-Object ShouldCleanup | ForEach-Object MonitorName) | Should -Be @('busy')
    }
}

Describe 'A runbook run with pwsh -File' {
    BeforeAll {
        $runbook = Join-Path $TestDrive 'Test-ArtifactBudget.ps1'
        Set-Content -LiteralPath $runbook -Encoding utf8 -Value @'
# Records the artifacts of a folder against a budget; exits 3 when the budget is over its cleanup threshold.
param(
    [Parameter(Mandatory)] [string]$ModuleManifest,
    [Parameter(Mandatory)] [string]$ArtifactPath,
    [Parameter(Mandatory)] [string]$MaxStateSize
)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
$limits = New-ResourceLimits -MaxStateSize $MaxStateSize -MaxValueSize 16KB -StreamChunkSize 16KB -AutoCleanup:$false
$null = New-StateMonitor -Name runbook -Limits $limits
Get-ChildItem -LiteralPath $ArtifactPath -File | Add-Allocation
$usage = Get-ResourceUsage
'{0}: {1} of {2} bytes in {3} files ({4} %)' -f $usage.MonitorName, $usage.CurrentSize, $usage.MaxStateSize, $usage.ValueCount, [math]::Round($usage.UsagePercentage * 100, 1)
if ($usage.ShouldCleanup) {
    [Console]::Error.WriteLine("over the cleanup threshold of $($usage.CleanupThresholdBytes) bytes")
    exit 3
}
exit 0
'@
        # Six artifacts of 10 KB: 61440 bytes.
        $artifacts = New-Artifacts (Join-Path $TestDrive 'runbook-artifacts') (1..6 | ForEach-Object { 10KB })
        $pwsh = Get-PwshCommand

        function Invoke-Runbook([string]$MaxStateSize) {
            $stdout = Join-Path $TestDrive 'stdout.txt'
            $stderr = Join-Path $TestDrive 'stderr.txt'
            $arguments = @($pwsh.Arguments) + @('-NoProfile', '-NonInteractive', '-File', $runbook, '-ModuleManifest', $Manifest, '-ArtifactPath', $artifacts, '-MaxStateSize', $MaxStateSize)
            # Start-Process joins the arguments with spaces: none of them contains one.
            $process = Start-Process -FilePath $pwsh.FilePath -ArgumentList $arguments -Wait -PassThru -NoNewWindow -RedirectStandardOutput $stdout -RedirectStandardError $stderr
            [pscustomobject]@{
                ExitCode = $process.ExitCode
                # The child colours its warnings: compare the text.
                Output   = @(Get-Content -LiteralPath $stdout | ForEach-Object { $_ -replace '\x1b\[[0-9;]*m' })
                Errors   = @(Get-Content -LiteralPath $stderr | ForEach-Object { $_ -replace '\x1b\[[0-9;]*m' })
            }
        }
    }

    It 'exits 3 and says why when the monitor is over its threshold' {
        $run = Invoke-Runbook '64KB'
        $run.ExitCode | Should -Be 3
        $run.Output | Should -Be @(
            'WARNING: [runbook] StateSize at 93.8 %: 60 KB of 64 KB.'
            'runbook: 61440 of 65536 bytes in 6 files (93.8 %)')
        $run.Errors | Should -Be @('over the cleanup threshold of 52428 bytes')
    }

    It 'exits 0 when the monitor is under its threshold' {
        $run = Invoke-Runbook '1MB'
        $run.ExitCode | Should -Be 0
        $run.Output | Should -Be @('runbook: 61440 of 1048576 bytes in 6 files (5.9 %)')
        $run.Errors | Should -BeNullOrEmpty
    }

    It 'fails (exit 1) with the binding error when the budget is not a size' {
        $run = Invoke-Runbook 'sixtyfourKB'
        $run.ExitCode | Should -Be 1
        (($run.Errors -join ' ') -replace '\s+', ' ') | Should -BeLike "*Cannot use 'sixtyfourKB' as a size*"
    }
}

Describe 'The example runbook (build.ps1 Demo)' {
    BeforeAll {
        $Runbook = Join-Path (Get-RepositoryRoot) 'examples/Invoke-ArtifactBudgetRunbook.ps1'
        $Manifest = Get-BuiltModuleManifest
        $pwsh = Get-PwshCommand

        function Invoke-ExampleRunbook([string[]]$Arguments, [string]$WorkRoot) {
            $work = if ($WorkRoot) { $WorkRoot } else { Join-Path $TestDrive ([guid]::NewGuid().ToString('N')) }
            $stdout = Join-Path $TestDrive 'runbook-stdout.txt'
            $stderr = Join-Path $TestDrive 'runbook-stderr.txt'
            $all = @($pwsh.Arguments) + @('-NoProfile', '-NonInteractive', '-File', $Runbook, '-ModulePath', $Manifest, '-WorkRoot', $work) + $Arguments
            $process = Start-Process -FilePath $pwsh.FilePath -ArgumentList $all -Wait -PassThru -NoNewWindow -RedirectStandardOutput $stdout -RedirectStandardError $stderr
            [pscustomobject]@{
                ExitCode = $process.ExitCode
                Output   = @(Get-Content -LiteralPath $stdout | ForEach-Object { $_ -replace '\x1b\[[0-9;]*m' })
                Errors   = @(Get-Content -LiteralPath $stderr | ForEach-Object { $_ -replace '\x1b\[[0-9;]*m' })
                WorkLeft = Test-Path -LiteralPath $work
            }
        }

        function Get-SummaryValue($Run, [string]$Name) {
            $line = $Run.Output | Where-Object { $_ -match "^$Name\s+:" } | Select-Object -First 1
            ($line -split ':', 2)[1].Trim()
        }
    }

    It 'keeps the artifact directory within budget: tracked bytes equal the bytes on disk, pinned inputs survive' {
        $run = Invoke-ExampleRunbook @('-Steps', '16', '-Seed', '42')
        $run.Errors | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
        $run.Output[-1] | Should -Be 'Runbook finished: the artifact directory stayed within its budget.'
        Get-SummaryValue $run 'TrackedBytes' | Should -Be (Get-SummaryValue $run 'BytesOnDisk')
        Get-SummaryValue $run 'TrackedEntries' | Should -Be (Get-SummaryValue $run 'FilesOnDisk')
        Get-SummaryValue $run 'PinnedInputsKept' | Should -Be '3 of 3'
        Get-SummaryValue $run 'RejectedTraces' | Should -Be '2'
        [long](Get-SummaryValue $run 'PeakBytes') | Should -BeLessOrEqual 32MB
        [int](Get-SummaryValue $run 'EvictedFiles') | Should -BeGreaterThan 0
        @($run.Output -match 'is over the per-value limit: rejected').Count | Should -Be 2
        $run.WorkLeft | Should -BeFalse
    }

    It 'continues in a second process from the snapshot the first saved: pins, LRU order, tracked bytes equal to bytes on disk' {
        $work = Join-Path $TestDrive 'hourly'
        $snapshot = Join-Path $TestDrive 'hourly.snapshot.json'
        $first = Invoke-ExampleRunbook @('-Steps', '9', '-Seed', '7', '-SnapshotPath', $snapshot) -WorkRoot $work
        $first.Errors | Should -BeNullOrEmpty
        $first.ExitCode | Should -Be 0
        $first.WorkLeft | Should -BeTrue
        # Entries are the tracked files plus the step records Invoke-MonitoredStep keeps.
        $entries = [int](Get-SummaryValue $first 'TrackedEntries') + [int](Get-SummaryValue $first 'StepRecords')
        $saved = $first.Output | Where-Object { $_ -like 'Saved to *' }
        $saved | Should -Be "Saved to ${snapshot} for the next run: $entries entries (3 pinned)"
        $savedOrder = $first.Output[[array]::IndexOf($first.Output, $saved) + 1]
        $savedOrder | Should -BeLike '  least recently used first: input.dataset.csv, input.prompt.txt, input.config.json, *step09*'

        $second = Invoke-ExampleRunbook @('-Steps', '9', '-Seed', '8', '-SnapshotPath', $snapshot) -WorkRoot $work
        $second.Errors | Should -BeNullOrEmpty
        $second.ExitCode | Should -Be 0
        $tracked = Get-SummaryValue $first 'TrackedBytes'
        $resumed = $second.Output | Where-Object { $_ -like 'Resumed from *' }
        $resumed | Should -Be "Resumed from ${snapshot}: $entries entries (3 pinned), $tracked tracked in files, $tracked on disk"
        $second.Output[[array]::IndexOf($second.Output, $resumed) + 1] | Should -BeExactly $savedOrder
        # The second run numbers its steps after the first run's, and keeps the disk and the budget in step.
        @($second.Output -match '^  step +\d+:')[0] | Should -BeLike '  step 10: *'
        @($second.Output -match '^  step +\d+:')[-1] | Should -BeLike '  step 18: *'
        Get-SummaryValue $second 'TrackedBytes' | Should -Be (Get-SummaryValue $second 'BytesOnDisk')
        Get-SummaryValue $second 'PinnedInputsKept' | Should -Be '3 of 3'
        $second.Output[-1] | Should -Be 'Runbook finished: the artifact directory stayed within its budget.'
    }

    It 'is repeatable: the same seed gives the same summary' {
        $first = Invoke-ExampleRunbook @('-Steps', '9', '-Seed', '7')
        $second = Invoke-ExampleRunbook @('-Steps', '9', '-Seed', '7')
        $first.ExitCode | Should -Be 0
        foreach ($name in 'TrackedBytes', 'TrackedEntries', 'EvictedFiles', 'FreedBytes', 'PeakBytes') {
            Get-SummaryValue $second $name | Should -Be (Get-SummaryValue $first $name)
        }
    }
}

Describe 'The agent workflow example (examples/Invoke-AgentWorkflow.ps1)' {
    It 'runs fetch, transform and summarize steps under its budget, repeatably, and leaves only the pinned report and the facts' {
        $pwsh = Get-PwshCommand
        $script = Join-Path (Get-RepositoryRoot) 'examples/Invoke-AgentWorkflow.ps1'
        $stdout = Join-Path $TestDrive 'workflow-stdout.txt'
        $stderr = Join-Path $TestDrive 'workflow-stderr.txt'
        $all = @($pwsh.Arguments) + @('-NoProfile', '-NonInteractive', '-File', $script, '-ModulePath', (Get-BuiltModuleManifest))
        $process = Start-Process -FilePath $pwsh.FilePath -ArgumentList $all -Wait -PassThru -NoNewWindow -RedirectStandardOutput $stdout -RedirectStandardError $stderr
        $output = @(Get-Content -LiteralPath $stdout | ForEach-Object { $_ -replace '\x1b\[[0-9;]*m' })
        @(Get-Content -LiteralPath $stderr) | Should -BeNullOrEmpty
        $process.ExitCode | Should -Be 0
        $output | Should -Contain '  batch 1: 20 pages (406.74 KB), 201 facts, 14.87 KB resident'
        $output | Should -Contain 'Facts: 714. Highest growth: Revenue of unit 128 grew by 39 percent.'
        $output | Should -Contain 'Tracked at the end: 4 entries, 53.12 KB; peak 1.05 MB of 4 MB'
        $steps = @($output | Where-Object { $_ -match '^(fetch|transform|summarize)\d*\s+True\s' } | ForEach-Object { ($_ -split '\s+')[0] })
        $steps | Should -Be @('fetch1', 'transform1', 'fetch2', 'transform2', 'fetch3', 'transform3', 'summarize')
        $output[-1] | Should -Be 'Workflow finished within its budget.'
    }
}
