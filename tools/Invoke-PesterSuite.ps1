<#
.SYNOPSIS
    Runs the Pester suites and writes their results; build.ps1 starts it in a fresh pwsh process.
.DESCRIPTION
    Imports Pester from -PesterManifest (restored from NuGet by build.ps1), runs every *.Tests.ps1 under
    -TestPath (not those under <TestPath>/Fixtures, which other tests run on purpose), writes NUnit XML
    results to <ResultDirectory>/pester.xml and a JSON summary (counts, failures and one entry per test
    file) to <ResultDirectory>/pester-summary.json, which build.ps1 reads for the totals. Its own output
    is Pester's detailed progress in plain text: tools/TestReport.psm1 keeps it in a log file. The exit
    code is 0 when everything passed, else 1.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string]$PesterManifest,
    [Parameter(Mandatory)] [string]$TestPath,
    [Parameter(Mandatory)] [string]$ResultDirectory
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

Import-Module $PesterManifest -Force

$null = New-Item -ItemType Directory -Force -Path $ResultDirectory
$config = New-PesterConfiguration
$config.Run.Path = $TestPath
$config.Run.ExcludePath = @((Join-Path $TestPath 'Fixtures') + '/*')
# PassThru rather than Run.Exit: Run.Exit would leave the process before the summary below is written.
$config.Run.PassThru = $true
$config.Run.Exit = $false
$config.Output.Verbosity = 'Detailed'
# Plain text: this output ends up in a log file, where colour codes are noise.
$config.Output.RenderMode = 'Plaintext'
# The NUnit report is written below, not by Invoke-Pester: its writer throws on control characters in a
# failure message (ANSI colours from an error record), and that must not cost the run its results.
$config.TestResult.Enabled = $false

$result = Invoke-Pester -Configuration $config
try { $result | Export-NUnitReport -Path (Join-Path $ResultDirectory 'pester.xml') }
catch { Write-Warning "The NUnit report could not be written: $($_.Exception.Message)" }

function Get-FirstLine([object]$ErrorRecords) {
    $first = @($ErrorRecords) | Select-Object -First 1
    if ($null -eq $first) { return '' }
    $message = if ($first -is [System.Management.Automation.ErrorRecord]) { $first.Exception.Message } else { [string]$first }
    ($message -split "\r?\n" | Where-Object { $_.Trim() } | Select-Object -First 3) -join ' | '
}

# Failures outside any test (a BeforeAll that throws, a file that does not parse) fail no test of their
# own in Pester's counts, so they are listed and counted here too.
$failures = @(
    foreach ($t in $result.Failed) { [pscustomobject]@{ Name = $t.ExpandedPath; Message = Get-FirstLine $t.ErrorRecord } }
    foreach ($b in $result.FailedBlocks) { [pscustomobject]@{ Name = "$($b.Path -join '.') (block setup/teardown)"; Message = Get-FirstLine $b.ErrorRecord } }
    foreach ($c in $result.FailedContainers) { [pscustomobject]@{ Name = "$($c.Item) (file)"; Message = Get-FirstLine $c.ErrorRecord } }
)

# One entry per test file; a file whose setup failed counts one failure even when no test of it ran.
$suites = @(
    foreach ($c in $result.Containers) {
        $failed = $c.FailedCount + $(if ($c.Result -eq 'Failed' -and $c.FailedCount -eq 0) { 1 } else { 0 })
        [pscustomobject]@{ Name = [System.IO.Path]::GetFileName([string]$c.Item); Passed = $c.PassedCount; Failed = $failed; Skipped = $c.SkippedCount + $c.NotRunCount }
    }
)

$summary = [ordered]@{
    Passed   = $result.PassedCount
    Failed   = $failures.Count
    Skipped  = $result.SkippedCount + $result.NotRunCount
    Total    = $result.TotalCount
    Failures = $failures
    Suites   = $suites
}
$summary | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath (Join-Path $ResultDirectory 'pester-summary.json') -Encoding utf8
# Not the count itself: exit codes wrap at 256.
exit $(if ($failures.Count) { 1 } else { 0 })
