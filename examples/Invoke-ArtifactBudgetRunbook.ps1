<#
.SYNOPSIS
    Runbook: keeps a workflow's artifact directory inside a memory budget with AgentFlow.Resources.

.DESCRIPTION
    Simulates a multi-step agent workflow on data it generates. The workflow's inputs are recorded and
    pinned (later steps still need them). Every agent step runs through `Invoke-MonitoredStep`: its input
    (the previous step's result record) is recorded as `stepNN/input` while it runs, and the record it
    returns as `stepNN/output`; it writes its result and log files into the artifact folder. After each
    step `Sync-Allocation` makes the monitor's entries for the artifact folder match the disk, so the
    runbook keeps no list of its own: new files are recorded, files another job deleted are dropped. The
    step reads the previous step's result (`Use-Allocation`, which keeps it recently used). When cleanup
    is due, the least recently used entries are evicted and the evicted files deleted through the
    pipeline. At the end it reports the alerts, syncs once more (which must find nothing to change), checks
    that the tracked files equal the bytes on disk and that every pinned input survived, and exits
    non-zero when they do not. Every seventh step dumps a trace larger than the per-value limit: the sync
    rejects it with a LimitsExceeded error, and the dump is moved out of the budgeted folder. With
    -ReportFolder it also leaves the monitor's metrics for Prometheus (agentflow.prom, as node_exporter's
    textfile collector reads them) and an HTML report (report.html) there, and says where.

    With -SnapshotPath the runbook is the hourly pattern: when the snapshot exists the run starts from it
    (Import-StateMonitor: the last run's entries, pins, LRU order, counters and alerts) and first checks
    that the tracked files still equal the files on disk; at the end it saves its state for the next run
    (Export-StateMonitor).

.PARAMETER WorkRoot
    Folder the workflow writes its artifacts to. A new temporary folder by default; removed at the end
    unless -KeepArtifacts or -SnapshotPath.

.PARAMETER LimitsPath
    The workflow's limits file (YAML, JSON or .psd1, read with Import-ResourceLimits).
    examples/artifact-budget.limits.yaml by default: a 32 MB budget with manual cleanup.

.PARAMETER Steps
    How many agent steps to run.

.PARAMETER Seed
    Seed of the random output sizes, so that a run can be repeated exactly.

.PARAMETER ModulePath
    The module to import: a manifest path or a module name. The built module by default.

.PARAMETER KeepArtifacts
    Keep the artifact folder for inspection.

.PARAMETER ReportFolder
    Folder to write agentflow.prom (Export-ResourceMetrics) and report.html (Export-ResourceReport) to at the end.

.PARAMETER StepPause
    Milliseconds each agent step takes (a pause), so that the usage history (one sample per 100 ms) shows the steps.

.PARAMETER SnapshotPath
    A state snapshot file carried from run to run: imported at the start when it exists, written at the
    end. Needs -WorkRoot (the snapshot tracks the files in it), which is then kept for the next run.

.EXAMPLE
    dotnet pwsh ./build.ps1 Demo

.EXAMPLE
    ./examples/Invoke-ArtifactBudgetRunbook.ps1 -LimitsPath ./my.limits.yaml -Steps 20 -Seed 7

.EXAMPLE
    ./examples/Invoke-ArtifactBudgetRunbook.ps1 -WorkRoot /var/lib/agent/artifacts -SnapshotPath /var/lib/agent/budget.json

    Run it every hour: each run continues from the state the previous one saved.
#>
[CmdletBinding()]
param(
    [string] $WorkRoot,
    [string] $LimitsPath = (Join-Path $PSScriptRoot 'artifact-budget.limits.yaml'),
    [ValidateRange(1, 1000)] [int] $Steps = 16,
    [int] $Seed = 42,
    [string] $ModulePath,
    [switch] $KeepArtifacts,
    [string] $ReportFolder,
    [ValidateRange(0, 60000)] [int] $StepPause = 0,
    [string] $SnapshotPath
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not $ModulePath) {
    $artifacts = if ($env:AGENTFLOW_ARTIFACTS) { $env:AGENTFLOW_ARTIFACTS } else { Join-Path $PSScriptRoot '..' 'artifacts' }
    $ModulePath = Join-Path $artifacts 'module' 'AgentFlow.Resources' 'AgentFlow.Resources.psd1'
}
Import-Module $ModulePath -Force

if ($SnapshotPath -and -not $WorkRoot) {
    throw 'Pass -WorkRoot with -SnapshotPath: the snapshot tracks the files in that folder.'
}
if (-not $WorkRoot) {
    $WorkRoot = Join-Path ([IO.Path]::GetTempPath()) ("agentflow-runbook-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
}
New-Item -ItemType Directory -Path $WorkRoot -Force | Out-Null
$random = [Random]::new($Seed)

# Writes a file of the given size without holding its bytes in memory.
function New-Artifact([string] $Name, [long] $Size) {
    $path = Join-Path $WorkRoot $Name
    $stream = [IO.File]::Create($path)
    try { $stream.SetLength($Size) } finally { $stream.Dispose() }
    Get-Item -LiteralPath $path
}

# Cleanup stays manual (auto_cleanup: false in the file) so that every eviction also deletes its file: the runbook owns the disk.
# The file's prediction_horizon makes the monitor warn (PredictedExhaustion) when the threshold is two seconds away at
# the current rate; one usage sample per 100 ms shows the steps in the history.
$limits = Import-ResourceLimits -LiteralPath $LimitsPath
Write-Host "AgentFlow.Resources runbook: $Steps steps, limits from $LimitsPath ($limits), artifacts in $WorkRoot"
$overflowRoot = New-Item -ItemType Directory -Path "$WorkRoot.overflow" -Force

# The tracked files of the work folder (step records are only memory) and the files on disk: they must agree.
function Get-FolderUsage {
    $tracked = @(Get-Allocation | Where-Object { $_.Key.StartsWith($WorkRoot) })
    $onDisk = @(Get-ChildItem -LiteralPath $WorkRoot -File)
    [pscustomobject]@{
        TrackedCount = $tracked.Count
        TrackedBytes = [long]($tracked | Measure-Object -Property Size -Sum).Sum
        FileCount    = $onDisk.Count
        DiskBytes    = [long]($onDisk | Measure-Object -Property Length -Sum).Sum
    }
}

# Least recently used first; files by name, step records by key.
function Get-LruOrder { (Get-LruKey -Count 1000 | ForEach-Object { if ($_.StartsWith($WorkRoot)) { Split-Path -Leaf $_ } else { $_ } }) -join ', ' }

$resumed = $SnapshotPath -and (Test-Path -LiteralPath $SnapshotPath)
$firstStep = 1
if ($resumed) {
    # Start where the last run stopped, with its limits: the same entries, pins, LRU order, counters and alerts.
    $monitor = Import-StateMonitor -Path $SnapshotPath -Force
    $limits = $monitor.Limits
    $inputs = @(Get-Item -LiteralPath (Join-Path $WorkRoot 'input.dataset.csv'), (Join-Path $WorkRoot 'input.prompt.txt'), (Join-Path $WorkRoot 'input.config.json'))
    $folder = Get-FolderUsage
    Write-Host ("Resumed from {0}: {1} entries ({2} pinned), {3} tracked in files, {4} on disk" -f $SnapshotPath, $monitor.ValueCount,
        @(Get-Allocation -Pinned).Count, $folder.TrackedBytes, $folder.DiskBytes)
    Write-Host "  least recently used first: $(Get-LruOrder)"
    if ($folder.TrackedBytes -ne $folder.DiskBytes -or $folder.TrackedCount -ne $folder.FileCount) {
        Write-Error "The snapshot $SnapshotPath does not match the files in $WorkRoot." -ErrorAction Continue
        exit 1
    }
    # Step numbers go on from the last run's, so no file name or step record is used twice.
    $numbers = @(Get-ChildItem -LiteralPath $WorkRoot, $overflowRoot -File | ForEach-Object { if ($_.Name -match '^step(\d+)\.') { [int]$Matches[1] } })
    if ($numbers) { $firstStep = [int]($numbers | Measure-Object -Maximum).Maximum + 1 }
}
else {
    $monitor = New-StateMonitor -Limits $limits -Name 'artifact-budget' -Force -HistoryInterval '00:00:00.1'

    # Inputs every step needs: pinned, so no cleanup may evict them.
    $inputs = @(
        New-Artifact 'input.dataset.csv' 6MB
        New-Artifact 'input.prompt.txt' 24KB
        New-Artifact 'input.config.json' 2KB
    )
    $inputs | Add-Allocation -Pin
}

$rejectedTraces = 0
$evictedFiles = 0
$freedBytes = 0L
$previous = $null
for ($step = $firstStep; $step -lt $firstStep + $Steps; $step++) {
    # The step reads the previous step's result: it stays recently used.
    if ($previous) { Use-Allocation -Key $previous.Result }
    if ($StepPause) { Start-Sleep -Milliseconds $StepPause }

    # One agent step: its input is the previous step's record, its output the record of what it wrote.
    $record = Invoke-MonitoredStep ('step{0:d2}' -f $step) {
        param($last)
        $result = New-Artifact ('step{0:d2}.result.json' -f $step) ($random.Next(1, 6) * 1MB + $random.Next(0, 512KB))
        $log = New-Artifact ('step{0:d2}.log' -f $step) ($random.Next(16, 256) * 1KB)
        # Every seventh step also dumps a trace that is too large to keep in the workflow's state.
        $trace = if ($step % 7 -eq 0) { (New-Artifact ('step{0:d2}.trace.bin' -f $step) 12MB).FullName }
        [pscustomobject]@{ Step = $step; After = $(if ($last) { $last.Step }); Result = $result.FullName; Log = $log.FullName; Trace = $trace }
    } -InputObject $previous
    $previous = $record

    # The folder is the truth: record what the step wrote. A file over the per-value limit is rejected.
    $null = Sync-Allocation -Path $WorkRoot -ErrorVariable rejected -ErrorAction SilentlyContinue
    foreach ($problem in $rejected) {
        if ($problem.FullyQualifiedErrorId -notlike 'ValueSizeLimitExceeded,*') { throw $problem }
        $rejectedTraces++
        $trace = Get-Item -LiteralPath $problem.TargetObject
        Move-Item -LiteralPath $trace.FullName -Destination $overflowRoot
        Write-Host ("  step {0,2}: {1} ({2}) is over the per-value limit: rejected, moved to the overflow folder" -f $step, $trace.Name,
            [AgentFlow.Resources.ByteSize]::Format($trace.Length))
    }

    $usage = Get-ResourceUsage
    Write-Host ("  step {0,2}: {1,2} entries, {2,9} resident ({3:P1})" -f $step, $usage.ValueCount,
        [AgentFlow.Resources.ByteSize]::Format($usage.CurrentSize), $usage.UsagePercentage)
    if ($usage.ShouldCleanup) {
        $cleanup = Invoke-ResourceCleanup -TargetPercentage 0.5
        # Evicted files are deleted; evicted step records are only memory.
        $files = @($cleanup.Evicted | Where-Object { $_.Key.StartsWith($WorkRoot) })
        $files | Remove-Item
        $evictedFiles += $files.Count
        $freedBytes += $cleanup.BytesFreed
        Write-Host ("  step {0,2}: cleanup evicted {1} files and {2} step records ({3}), {4} resident" -f $step, $files.Count,
            ($cleanup.EntriesRemoved - $files.Count), [AgentFlow.Resources.ByteSize]::Format($cleanup.BytesFreed),
            [AgentFlow.Resources.ByteSize]::Format($cleanup.SizeAfter))
    }
}

if ($ReportFolder) {
    # Written before the alerts are drained, so that the report shows them on its time line.
    $reportRoot = New-Item -ItemType Directory -Path $ReportFolder -Force
    $metricsPath = Join-Path $reportRoot 'agentflow.prom'
    $reportPath = Join-Path $reportRoot 'report.html'
    Export-ResourceMetrics -Monitor $monitor -Path $metricsPath
    Export-ResourceReport -Monitor $monitor -Path $reportPath
    Show-ResourceUsage -Monitor $monitor -Width 100 | Out-String | Write-Host
}

$alerts = @(Get-ResourceAlert)
# A last sync must find the tracked files exactly as they are on disk.
$finalSync = Sync-Allocation -Path $WorkRoot
$usage = Get-ResourceUsage
$folder = Get-FolderUsage
$pinnedSurvivors = @(Get-Allocation -Pinned).Count

Write-Host ''
Write-Host 'Alerts raised:'
$alerts | Group-Object Type | ForEach-Object { Write-Host ("  {0,-19} {1}" -f $_.Name, $_.Count) }
Write-Host ''
Write-Host 'Summary:'
$summary = [pscustomobject]@{
    Steps            = $Steps
    TrackedEntries   = $folder.TrackedCount
    TrackedBytes     = $folder.TrackedBytes
    StepRecords      = $usage.ValueCount - $folder.TrackedCount
    FilesOnDisk      = $folder.FileCount
    BytesOnDisk      = $folder.DiskBytes
    PeakBytes        = $usage.PeakSize
    EvictedFiles     = $evictedFiles
    FreedBytes       = $freedBytes
    PinnedInputsKept = "$pinnedSurvivors of $($inputs.Count)"
    RejectedTraces   = $rejectedTraces
    Usage            = '{0:P1}' -f $usage.UsagePercentage
}
$summary | Format-List | Out-String | Write-Host

$driftFound = $finalSync.Added + $finalSync.Updated + $finalSync.Removed
$consistent = $folder.TrackedBytes -eq $folder.DiskBytes -and $folder.TrackedCount -eq $folder.FileCount -and $driftFound -eq 0 -and
    $pinnedSurvivors -eq $inputs.Count -and $usage.PeakSize -le $limits.MaxStateSize
if ($SnapshotPath -and $consistent) {
    # Written atomically: a run killed here leaves the previous snapshot or this one, never half of one.
    Export-StateMonitor -Path $SnapshotPath
    Write-Host ("Saved to {0} for the next run: {1} entries ({2} pinned)" -f $SnapshotPath, $usage.ValueCount, $pinnedSurvivors)
    Write-Host "  least recently used first: $(Get-LruOrder)"
}
Remove-StateMonitor -Monitor $monitor -Confirm:$false
# The snapshot tracks the files in the work folder: they stay for the next run.
if (-not $KeepArtifacts -and -not $SnapshotPath) { Remove-Item -LiteralPath $WorkRoot, $overflowRoot -Recurse -Force }

if (-not $consistent) {
    Write-Error 'The tracked state and the artifact directory disagree, or a pinned input was lost.' -ErrorAction Continue
    exit 1
}
if ($ReportFolder) {
    Write-Host "Metrics for Prometheus (node_exporter textfile format): $metricsPath"
    Write-Host "HTML report: $reportPath"
}
Write-Host 'Runbook finished: the artifact directory stayed within its budget.'
exit 0
