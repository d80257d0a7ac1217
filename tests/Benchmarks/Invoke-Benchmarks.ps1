<#
.SYNOPSIS
    Runs the performance benchmarks of AgentFlow.Resources and writes the results to <artifacts root>/bench.
.DESCRIPTION
    1. Builds tests/Benchmarks (Release, --artifacts-path <artifacts root>/bench/build) and runs the
       BenchmarkDotNet suite: the engine against BitFaster.Caching's ConcurrentLru and MemoryCache (update,
       access, churn, cleanup at 10k/100k/1M entries), fast mode against Interlocked.Add, two threads against
       one, exporting and importing a 1M-entry snapshot against Utf8JsonWriter/Utf8JsonReader alone, then
       memory per entry at 1M entries and the zero-allocation check. Its reports go to
       bench/bdn/results (one GitHub-markdown table per class, targets.md, targets.json).
    2. The PowerShell benchmark, in a fresh `pwsh -NoProfile`: 100,000 allocations through Add-Allocation -Allocation
       (one dictionary), through Add-Allocation fed
       by the pipeline, through a foreach loop calling $monitor.RecordAllocation(), through a plain
       PowerShell function with a hashtable and a LinkedList, and through a minimal compiled cmdlet (the
       floor of PowerShell's pipeline binding); then the same objects piped into Add-Allocation on a shared
       (Redis) budget, against its own redis-server (Measure-SharedBudgetPipeline.ps1); then Import-Module of
       the built module in fresh processes.
    3. Prints one table of every target and writes bench/summary.md and bench/powershell.json.

    The artifacts root is $env:AGENTFLOW_ARTIFACTS, else <repo>/artifacts. The module is read from
    $env:AGENTFLOW_MODULE_MANIFEST, else <artifacts root>/module/AgentFlow.Resources/AgentFlow.Resources.psd1;
    without a built module the PowerShell part measures the engine assembly alone and skips Add-Allocation and
    Import-Module. Timings mean something only on an otherwise idle machine. A missed target does not fail
    the script; a benchmark that cannot run does.
.PARAMETER Quick
    BenchmarkDotNet's short job (3 warm-up and 3 measured iterations), the footprint at 100k entries, and
    fewer PowerShell repetitions: a check that everything runs (the full run takes about 6 minutes on
    the 2-core machine, after the build).
.EXAMPLE
    dotnet pwsh ./build.ps1 Bench -Quick
.EXAMPLE
    dotnet pwsh ./tests/Benchmarks/Invoke-Benchmarks.ps1
#>
[CmdletBinding()]
param([switch]$Quick)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $false

$RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
$ArtifactsRoot = if ($env:AGENTFLOW_ARTIFACTS) { [System.IO.Path]::GetFullPath($env:AGENTFLOW_ARTIFACTS) } else { Join-Path $RepoRoot 'artifacts' }
$BenchRoot = Join-Path $ArtifactsRoot 'bench'
$BuildRoot = Join-Path $BenchRoot 'build'
$BdnRoot = Join-Path $BenchRoot 'bdn'
$Manifest = if ($env:AGENTFLOW_MODULE_MANIFEST) { $env:AGENTFLOW_MODULE_MANIFEST } else { Join-Path $ArtifactsRoot 'module/AgentFlow.Resources/AgentFlow.Resources.psd1' }
$Project = Join-Path $PSScriptRoot 'AgentFlow.Resources.Benchmarks.csproj'
$Count = 100000
$Repeat = if ($Quick) { 1 } else { 5 }
$ImportRuns = if ($Quick) { 3 } else { 9 }

Import-Module (Join-Path $RepoRoot 'tools/ChildPwsh.psm1') -Force
foreach ($e in $QuietEnvironment.GetEnumerator()) { Set-Item -Path "env:$($e.Key)" -Value $e.Value }

function Write-Step([string]$Message) { Write-Host "==> $Message" -ForegroundColor Cyan }

# Starts a program with its arguments passed verbatim (PowerShell on Unix would expand '*' in a filter
# against the files of the working directory) and its output going straight to this process's output.
function Invoke-Native([string]$What, [string]$FilePath, [string[]]$Arguments, [string]$WorkingDirectory = $RepoRoot) {
    $psi = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.WorkingDirectory = $WorkingDirectory
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $process.WaitForExit()
    if ($process.ExitCode -ne 0) { throw "$What failed (exit code $($process.ExitCode)): $FilePath $($Arguments -join ' ')" }
}

function Get-Median([double[]]$Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count -eq 0) { return [double]::NaN }
    $mid = [int][math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$mid] }
    ($sorted[$mid - 1] + $sorted[$mid]) / 2
}

function New-Row([string]$Name, [string]$Measured, [string]$Goal, $Met) {
    [pscustomobject]@{ Name = $Name; Measured = $Measured; Goal = $Goal; Met = $Met }
}

$null = New-Item -ItemType Directory -Force -Path $BenchRoot
$started = Get-Date

#region BenchmarkDotNet

Write-Step "dotnet build $(Split-Path -Leaf $Project) (Release) into $BuildRoot"
$buildArgs = @('build', $Project, '-c', 'Release', '--artifacts-path', $BuildRoot, '-nologo')
if ($env:CI) { $buildArgs += '--disable-build-servers' }
Invoke-Native 'dotnet build of the benchmarks' 'dotnet' $buildArgs
$benchBin = Join-Path $BuildRoot 'bin/AgentFlow.Resources.Benchmarks/release'
$benchDll = Join-Path $benchBin 'AgentFlow.Resources.Benchmarks.dll'
if (-not (Test-Path -LiteralPath $benchDll)) { throw "The benchmark build did not produce $benchDll." }

if (Test-Path -LiteralPath $BdnRoot) { Remove-Item -LiteralPath $BdnRoot -Recurse -Force }
$bdnArgs = @($benchDll, '--filter', '*', '--artifacts', $BdnRoot)
if ($Quick) { $bdnArgs += '--quick' }
Write-Step "BenchmarkDotNet $(if ($Quick) { '(quick: short job)' } else { '(full run)' }) -> $BdnRoot"
# BenchmarkDotNet finds the project to build its runner from the solution in the working directory.
Invoke-Native 'The BenchmarkDotNet run' 'dotnet' $bdnArgs $RepoRoot

$targetsFile = Join-Path $BdnRoot 'results/targets.json'
if (-not (Test-Path -LiteralPath $targetsFile)) { throw "BenchmarkDotNet finished without writing $targetsFile." }
$engine = Get-Content -LiteralPath $targetsFile -Raw | ConvertFrom-Json

#endregion

#region PowerShell

$haveModule = Test-Path -LiteralPath $Manifest -PathType Leaf
$measureArgs = @('-Count', $Count, '-Repeat', $Repeat, '-OutFile', (Join-Path $BenchRoot 'powershell-raw.json'))
if ($haveModule) {
    $measureArgs += @('-ManifestPath', $Manifest)
}
else {
    Write-Warning "No built module at $Manifest (run 'dotnet pwsh ./build.ps1 Build' first): measuring the engine assembly alone, without Add-Allocation and Import-Module."
    $measureArgs += @('-CoreAssembly', (Join-Path $benchBin 'AgentFlow.Resources.Core.dll'))
}

Write-Step "PowerShell: $($Count.ToString('N0')) allocations, median of $Repeat runs each (fresh pwsh -NoProfile)"
$pwsh = Get-PwshCommand
Invoke-Native 'The PowerShell benchmark' $pwsh.FilePath (@($pwsh.Arguments) + @('-NoProfile', '-NonInteractive', '-NoLogo', '-File', (Join-Path $PSScriptRoot 'Measure-PowerShellBenchmarks.ps1')) + $measureArgs)
$ps = Get-Content -LiteralPath (Join-Path $BenchRoot 'powershell-raw.json') -Raw | ConvertFrom-Json
$byName = @{}
foreach ($r in $ps.Results) { $byName[$r.Name] = $r }

$shared = $null
if ($haveModule) {
    Write-Step "PowerShell: $($Count.ToString('N0')) objects piped into Add-Allocation on a shared (Redis) budget, median of $Repeat runs (own redis-server)"
    $sharedFile = Join-Path $BenchRoot 'shared-budget-raw.json'
    Invoke-Native 'The shared budget benchmark' $pwsh.FilePath (@($pwsh.Arguments) + @('-NoProfile', '-NonInteractive', '-NoLogo', '-File', (Join-Path $PSScriptRoot 'Measure-SharedBudgetPipeline.ps1'),
            '-ManifestPath', $Manifest, '-Count', $Count, '-Repeat', $Repeat, '-OutFile', $sharedFile))
    $shared = Get-Content -LiteralPath $sharedFile -Raw | ConvertFrom-Json
}

$importMs = @()
if ($haveModule) {
    Write-Step "Import-Module in a fresh pwsh -NoProfile, $ImportRuns times (after one unmeasured run)"
    $probe = {
        param($ManifestPath)
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        Import-Module $ManifestPath -ErrorAction Stop
        $sw.Stop()
        [Console]::Out.WriteLine('IMPORT_MS=' + $sw.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture))
    }
    for ($i = 0; $i -le $ImportRuns; $i++) {
        $run = Invoke-FreshPwsh $probe -ArgumentList $Manifest -TimeoutSeconds 120
        $line = @($run.Output | Where-Object { $_ -like 'IMPORT_MS=*' }) | Select-Object -First 1
        if ($run.ExitCode -ne 0 -or -not $line) { throw "Import-Module of $Manifest failed in a fresh process: $($run.ErrorOutput -join [Environment]::NewLine)" }
        if ($i -gt 0) { $importMs += [double]::Parse($line.Substring(10), [cultureinfo]::InvariantCulture) }
    }
}

$psRows = [System.Collections.Generic.List[object]]::new()
$method = $byName['method']
if ($byName.ContainsKey('pipeline')) {
    $pipeline = $byName['pipeline']
    $plainRatio = $byName['plain'].MedianMs / $pipeline.MedianMs
    $psRows.Add((New-Row 'PowerShell: plain-PowerShell function / Add-Allocation pipeline (speed-up)' ('{0:N1}x ({1:N0} ms vs {2:N0} ms)' -f $plainRatio, $byName['plain'].MedianMs, $pipeline.MedianMs) '>= 10x' ($plainRatio -ge 10)))
    $loopRatio = $pipeline.MedianMs / $method.MedianMs
    $psRows.Add((New-Row 'PowerShell: Add-Allocation pipeline / $monitor.RecordAllocation() loop' ('{0:N1}x ({1:N0} ms vs {2:N0} ms)' -f $loopRatio, $pipeline.MedianMs, $method.MedianMs) '<= 3x' ($loopRatio -le 3)))
    $psRows.Add((New-Row 'PowerShell: plain foreach loop / Add-Allocation pipeline (context)' ('{0:N1}x' -f ($byName['plainLoop'].MedianMs / $pipeline.MedianMs)) '' $null))
    if ($byName.ContainsKey('floor')) {
        $psRows.Add((New-Row 'PowerShell: Add-Allocation / minimal compiled cmdlet, same binding (context)' ('{0:N2}x ({1:N2} vs {2:N2} us per object)' -f ($pipeline.MedianMs / $byName['floor'].MedianMs), $pipeline.MicrosPerOp, $byName['floor'].MicrosPerOp) '' $null))
    }
}
if ($byName.ContainsKey('batch')) {
    $batch = $byName['batch']
    $batchPlain = $byName['plain'].MedianMs / $batch.MedianMs
    $psRows.Add((New-Row 'PowerShell: plain-PowerShell function / Add-Allocation -Allocation (speed-up)' ('{0:N1}x ({1:N0} ms vs {2:N1} ms)' -f $batchPlain, $byName['plain'].MedianMs, $batch.MedianMs) '>= 10x' ($batchPlain -ge 10)))
    $batchLoop = $batch.MedianMs / $method.MedianMs
    $psRows.Add((New-Row 'PowerShell: Add-Allocation -Allocation / $monitor.RecordAllocation() loop' ('{0:N2}x ({1:N1} ms vs {2:N1} ms)' -f $batchLoop, $batch.MedianMs, $method.MedianMs) '<= 3x' ($batchLoop -le 3)))
}
if ($shared) {
    $psRows.Add((New-Row 'PowerShell: piped Add-Allocation into a shared (Redis) budget, entries per second' ('{0:N0} entries/s (a memory monitor, same pipeline and process: {1:N0})' -f $shared.RedisEntriesPerSec, $shared.MemoryEntriesPerSec) '>= 20,000' ($shared.RedisEntriesPerSec -ge 20000)))
}
if ($importMs.Count -gt 0) {
    $median = Get-Median $importMs
    $psRows.Add((New-Row "PowerShell: Import-Module, median of $($importMs.Count) fresh processes" ('{0:N0} ms (min {1:N0}, max {2:N0})' -f $median, ($importMs | Measure-Object -Minimum).Minimum, ($importMs | Measure-Object -Maximum).Maximum) '< 250 ms' ($median -lt 250)))
}

#endregion

#region Report

$allRows = @($engine.Targets | ForEach-Object { New-Row $_.Name $_.Measured $_.Goal $_.Met }) + @($psRows)
# Plain lines rather than Format-Table: a non-interactive host is 80 columns wide and would cut the table.
Write-Host ''
Write-Host 'Targets (all ratios from this run):'
foreach ($r in $allRows) {
    $met = if ($null -eq $r.Met) { '   ' } elseif ($r.Met) { 'ok ' } else { 'NO ' }
    Write-Host ("  {0} {1}: {2}{3}" -f $met, $r.Name, $r.Measured, $(if ($r.Goal) { "  (goal $($r.Goal))" } else { '' }))
}
Write-Host ''
Write-Host "PowerShell, $($Count.ToString('N0')) allocations (median of $Repeat runs):"
foreach ($r in $ps.Results) { Write-Host ("  {0,10:N1} ms {1,7:N2} us/allocation  {2}" -f $r.MedianMs, $r.MicrosPerOp, $r.Label) }
if ($importMs.Count -gt 0) { Write-Host ("  Import-Module: {0} ms" -f (($importMs | ForEach-Object { '{0:N0}' -f $_ }) -join ', ')) }
Write-Host ''

$md = [System.Text.StringBuilder]::new()
$null = $md.AppendLine("# AgentFlow.Resources benchmarks, $(Get-Date -Format 'yyyy-MM-dd HH:mm') $(if ($Quick) { '(quick run: indicative only)' })")
$null = $md.AppendLine()
$cpu = (Get-Content -LiteralPath '/proc/cpuinfo' -ErrorAction SilentlyContinue | Where-Object { $_ -like 'model name*' } | Select-Object -First 1)
$null = $md.AppendLine("Machine: $(if ($cpu) { ($cpu -split ':', 2)[1].Trim() } else { 'unknown CPU' }), $([Environment]::ProcessorCount) logical cores; .NET $([Environment]::Version); PowerShell $($ps.PowerShell); load average at the end: $((Get-Content -LiteralPath '/proc/loadavg' -ErrorAction SilentlyContinue) -join ' ')")
$null = $md.AppendLine()
$null = $md.AppendLine('| target | measured | goal | met |')
$null = $md.AppendLine('|---|---|---|---|')
foreach ($r in $allRows) {
    $null = $md.AppendLine("| $($r.Name) | $($r.Measured) | $(if ($r.Goal) { $r.Goal } else { '-' }) | $(if ($null -eq $r.Met) { '-' } elseif ($r.Met) { 'yes' } else { '**no**' }) |")
}
$null = $md.AppendLine()
$null = $md.AppendLine("PowerShell, $($Count.ToString('N0')) allocations (median of $Repeat runs):")
$null = $md.AppendLine()
$null = $md.AppendLine('| variant | median ms | us per allocation |')
$null = $md.AppendLine('|---|---:|---:|')
foreach ($r in $ps.Results) { $null = $md.AppendLine("| $($r.Label) | $($r.MedianMs) | $($r.MicrosPerOp) |") }
if ($importMs.Count -gt 0) { $null = $md.AppendLine("| Import-Module (fresh pwsh -NoProfile), runs in ms: $(($importMs | ForEach-Object { '{0:N0}' -f $_ }) -join ', ') | $('{0:N0}' -f (Get-Median $importMs)) | |") }
$null = $md.AppendLine()
$footprintTable = Join-Path $BdnRoot 'results/targets.md'
$null = $md.AppendLine("Engine tables: $(Join-Path $BdnRoot 'results') (one *-report-github.md per benchmark class); footprint and targets: $footprintTable.")
Set-Content -LiteralPath (Join-Path $BenchRoot 'summary.md') -Value $md.ToString() -Encoding utf8

[pscustomobject]@{
    Date          = (Get-Date).ToUniversalTime().ToString('o')
    Quick         = [bool]$Quick
    Count         = $Count
    Results       = $ps.Results
    ImportModuleMs = $importMs
    Targets       = $psRows
} | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath (Join-Path $BenchRoot 'powershell.json') -Encoding utf8

$missed = @($allRows | Where-Object { $_.Met -eq $false })
Write-Host "Results: $(Join-Path $BenchRoot 'summary.md') (took $([int]((Get-Date) - $started).TotalMinutes) min)." -ForegroundColor Green
if ($missed.Count -gt 0) { Write-Host "$($missed.Count) target(s) missed; see docs/performance.md for why." -ForegroundColor Yellow }

#endregion
