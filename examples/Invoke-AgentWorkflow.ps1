<#
.SYNOPSIS
    An agent workflow of script-block steps, fetch -> transform -> summarize, run under a memory budget.

.DESCRIPTION
    Every step runs through Invoke-MonitoredStep: the module records the step's input as '<step>/input'
    before it runs (and refuses to run it when that does not fit the budget), streams the step's output on,
    records the output as '<step>/output' and releases the input. The documents are generated from -Seed,
    so the run needs no network and repeats exactly.

      fetch      one step per batch of documents: returns pages (url, title, body)
      transform  one step per batch: keeps the sentences that carry a figure
      summarize  one step over every fact: a short report, pinned (it is the workflow's result)

    Intermediate pages are released as soon as their facts are extracted, so the state stays within the
    budget however many batches run. At the end the script prints every step's usage record and checks
    that only the pinned report and the facts of each batch are tracked, that no step input is left, and
    that the peak stayed within the budget; it exits non-zero otherwise.

    The limits come from a YAML file (examples/agent-workflow.limits.yaml by default), read with
    Import-ResourceLimits.

.PARAMETER Documents
    How many documents to fetch.

.PARAMETER BatchSize
    How many documents one fetch step takes.

.PARAMETER LimitsPath
    The workflow's limits file (YAML, JSON or .psd1). examples/agent-workflow.limits.yaml by default: 4 MB of
    state, 2 MB a value, no automatic cleanup.

.PARAMETER Seed
    Seed of the generated documents.

.PARAMETER ModulePath
    The module to import: a manifest path or a module name. The built module by default.

.EXAMPLE
    ./examples/Invoke-AgentWorkflow.ps1

.EXAMPLE
    ./examples/Invoke-AgentWorkflow.ps1 -Documents 200 -BatchSize 40 -LimitsPath ./my.limits.yaml -Seed 3
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 10000)] [int] $Documents = 60,
    [ValidateRange(1, 10000)] [int] $BatchSize = 20,
    [string] $LimitsPath = (Join-Path $PSScriptRoot 'agent-workflow.limits.yaml'),
    [int] $Seed = 11,
    [string] $ModulePath
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not $ModulePath) {
    $artifacts = if ($env:AGENTFLOW_ARTIFACTS) { $env:AGENTFLOW_ARTIFACTS } else { Join-Path $PSScriptRoot '..' 'artifacts' }
    $ModulePath = Join-Path $artifacts 'module' 'AgentFlow.Resources' 'AgentFlow.Resources.psd1'
}
Import-Module $ModulePath -Force

# A page of a fetched document: 12 to 60 KB of text, some sentences with a figure in them.
$random = [Random]::new($Seed)
function Get-Page([string] $Url) {
    $sentences = foreach ($i in 1..$random.Next(40, 200)) {
        if ($random.Next(0, 10) -eq 0) { "Revenue of unit $i grew by $($random.Next(1, 40)) percent." }
        else { 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.' }
    }
    [pscustomobject]@{ Url = $Url; Title = "Report $($Url.Split('/')[-1])"; Body = $sentences -join ' ' }
}

$limits = Import-ResourceLimits -LiteralPath $LimitsPath
$monitor = New-StateMonitor -Name 'agent-workflow' -Limits $limits -Force
Write-Host ("Agent workflow: {0} documents in batches of {1}, budget {2}, values up to {3}" -f $Documents, $BatchSize,
    [AgentFlow.Resources.ByteSize]::Format($limits.MaxStateSize), [AgentFlow.Resources.ByteSize]::Format($limits.MaxValueSize))

$usages = [System.Collections.Generic.List[object]]::new()
$facts = [System.Collections.Generic.List[string]]::new()
$urls = @(1..$Documents | ForEach-Object { 'https://reports.example/{0:d4}' -f $_ })

$batch = 0
for ($first = 0; $first -lt $urls.Count; $first += $BatchSize) {
    $batch++
    $list = $urls[$first..([Math]::Min($first + $BatchSize, $urls.Count) - 1)]
    # A step that does not fit is refused before it runs: -ErrorAction Stop makes that end the workflow.
    $pages = Invoke-MonitoredStep "fetch$batch" { param($batchUrls) foreach ($url in $batchUrls) { Get-Page $url } } `
        -InputObject $list -UsageVariable usage -ErrorAction Stop
    $usages.Add($usage)

    $found = Invoke-MonitoredStep "transform$batch" {
        foreach ($page in $_) { [regex]::Matches($page.Body, 'Revenue of unit \d+ grew by \d+ percent\.') | ForEach-Object Value }
    } -InputObject $pages -UsageVariable usage -ErrorAction Stop
    $usages.Add($usage)
    # The pages are no longer needed once their facts are out.
    Remove-Allocation -Key "fetch$batch/output"
    foreach ($fact in $found) { $facts.Add($fact) }
    Write-Host ("  batch {0}: {1} pages ({2}), {3} facts, {4} resident" -f $batch, @($pages).Count,
        [AgentFlow.Resources.ByteSize]::Format($usages[-2].OutputSize), @($found).Count, [AgentFlow.Resources.ByteSize]::Format($monitor.CurrentSize))
    $pages = $null
}

$report = Invoke-MonitoredStep summarize {
    $byGrowth = $_ | Sort-Object { [int]($_ -replace '.*grew by (\d+) percent\.', '$1') } -Descending
    "Facts: $($_.Count). Highest growth: $($byGrowth[0])"
} -InputObject $facts.ToArray() -PinOutput -UsageVariable usage -ErrorAction Stop
$usages.Add($usage)

Write-Host ''
Write-Host 'Steps:'
$usages | Format-Table Name, Succeeded, InputSize, OutputSize, PeakSize, EvictedCount, @{ Name = 'Alerts'; Expression = { $_.Alerts.Count } } -AutoSize |
    Out-String | Write-Host
Write-Host $report

$stats = Get-ResourceUsage
$kept = @(Get-Allocation | ForEach-Object Key)
$transforms = @($kept | Where-Object { $_ -like 'transform*/output' })
$expectedKeys = 1 + $transforms.Count
$consistent = $kept.Count -eq $expectedKeys -and 'summarize/output' -in $kept -and (Get-Allocation summarize/output).IsPinned -and
    $stats.PeakSize -le $limits.MaxStateSize -and -not @($kept | Where-Object { $_ -like '*/input' })
Write-Host ("Tracked at the end: {0} entries, {1}; peak {2} of {3}" -f $kept.Count,
    [AgentFlow.Resources.ByteSize]::Format($stats.CurrentSize), [AgentFlow.Resources.ByteSize]::Format($stats.PeakSize),
    [AgentFlow.Resources.ByteSize]::Format($limits.MaxStateSize))
Remove-StateMonitor -Monitor $monitor -Confirm:$false
if (-not $consistent) {
    Write-Error 'The workflow left inputs or pages tracked, or went over its budget.' -ErrorAction Continue
    exit 1
}
Write-Host 'Workflow finished within its budget.'
exit 0
