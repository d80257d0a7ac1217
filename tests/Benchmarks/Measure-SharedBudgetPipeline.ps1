<#
.SYNOPSIS
    A piped Add-Allocation into a shared (Redis) budget: -Count [pscustomobject]@{ Key; Size } records, entries per
    second, beside the same pipeline into a memory monitor in the same process. Run by Invoke-Benchmarks.ps1 in a
    fresh `pwsh -NoProfile`; writes its results as JSON to -OutFile.
.DESCRIPTION
    Starts its own redis-server (Debian's package) on a free loopback port with a temporary directory
    (tests/Pester/RedisTestServer.psm1) and stops it at the end. Each round pipes the same items into a new, empty
    budget whose limits are never reached (Add-Allocation sends them to Redis in pipelined runs), checks that the
    budget's CurrentSize and ValueCount equal the items' sums, deletes the budget (Remove-SharedBudget), and does
    the same into a new memory monitor. One warm-up round of 5,000 items each first; the median of -Repeat rounds
    is reported.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string]$ManifestPath,
    [int]$Count = 100000,
    [int]$Repeat = 3,
    [Parameter(Mandatory)] [string]$OutFile
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$WarningPreference = 'SilentlyContinue'

Import-Module $ManifestPath
Import-Module (Join-Path $PSScriptRoot '../Pester/RedisTestServer.psm1') -Force

$items = foreach ($i in 1..$Count) { [pscustomobject]@{ Key = "bench/step-$i/output"; Size = [long](1024 + ($i % 1024)) } }
$expectedBytes = [long]($items | Measure-Object -Property Size -Sum).Sum
$limits = New-ResourceLimits -MaxStateSize 1TB -MaxValueSize 1GB -MaxCacheEntries ($Count * 2)

function Measure-Round([string]$Kind, [string]$Name, [object[]]$Batch, [string]$Configuration) {
    $monitor = if ($Kind -eq 'Redis') { New-StateMonitor -Name $Name -Redis $Configuration -Limits $limits -Force }
    else { New-StateMonitor -Name $Name -Limits $limits -Force }
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $Batch | Add-Allocation -Monitor $monitor
    $watch.Stop()
    $usage = Get-ResourceUsage -Monitor $monitor
    $bytes = [long]($Batch | Measure-Object -Property Size -Sum).Sum
    if ($usage.CurrentSize -ne $bytes -or $usage.ValueCount -ne $Batch.Count) {
        throw "$Kind round '$Name' recorded $($usage.CurrentSize) bytes in $($usage.ValueCount) entries; expected $bytes in $($Batch.Count)."
    }
    if ($Kind -eq 'Redis') { Remove-SharedBudget -Name $Name -Redis $Configuration -Confirm:$false }
    Remove-StateMonitor -Monitor $Name -Confirm:$false
    $watch.Elapsed.TotalMilliseconds
}

$server = Start-TestRedisServer
try {
    $config = "$($server.Configuration),syncTimeout=30000"
    $null = Measure-Round Redis 'warm-redis' $items[0..4999] $config
    $null = Measure-Round Memory 'warm-memory' $items[0..4999] $config
    $redisMs = @(); $memoryMs = @()
    for ($r = 1; $r -le $Repeat; $r++) {
        $redisMs += Measure-Round Redis "bench-redis-$r" $items $config
        $memoryMs += Measure-Round Memory "bench-memory-$r" $items $config
    }
}
finally {
    Stop-TestRedisServer $server
}

function Get-Median([double[]]$Values) { $s = @($Values | Sort-Object); if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
$result = [pscustomobject]@{
    Count              = $Count
    ExpectedBytes      = $expectedBytes
    RedisMs            = $redisMs
    MemoryMs           = $memoryMs
    RedisEntriesPerSec = [math]::Round($Count / ((Get-Median $redisMs) / 1000))
    MemoryEntriesPerSec = [math]::Round($Count / ((Get-Median $memoryMs) / 1000))
    RedisServer        = (& redis-server --version) -join ' '
}
$result | ConvertTo-Json -Depth 3 | Set-Content -LiteralPath $OutFile -Encoding utf8
$result
