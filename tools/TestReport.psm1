# Running the test runners quietly and reporting them: build.ps1 Test uses it, and tests/Pester/TestOutput.Tests.ps1
# checks what it prints. Each runner's own output (dotnet test's console, Pester's progress, the 'What if:' lines
# that -WhatIf tests print) goes to a log file under the results folder; the console gets failures, one line per
# suite and, last, 'N passed, N failed, N skipped'. Everything is written as plain text, so a redirected run
# (CI, a log file) holds no ANSI escape codes.

Set-StrictMode -Version Latest

Import-Module (Join-Path $PSScriptRoot 'ChildPwsh.psm1')

# One runner's outcome: counts, readable failures, one line per suite; Crashed when it produced no usable results.
function New-RunnerResult {
    param([Parameter(Mandatory)] [string]$Name, [string]$Log)
    [pscustomobject]@{
        Name     = $Name
        Passed   = 0
        Failed   = 0
        Skipped  = 0
        Failures = [System.Collections.Generic.List[string]]::new()
        Suites   = [System.Collections.Generic.List[object]]::new()
        Crashed  = $null
        Log      = $Log
    }
}

function Write-Plain([string]$Text) {
    # Write-Host renders no colour here; the text itself never carries escape codes.
    Write-Host ($Text -replace '\x1b\[[0-9;?]*[A-Za-z]', '')
}

<#
.SYNOPSIS
    Runs tools/Invoke-PesterSuite.ps1 in a fresh pwsh with its output in <ResultDirectory>/pester-output.log, and
    returns the runner result read from its JSON summary (per-file suites included).
#>
function Invoke-PesterRunner {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string]$PesterManifest,
        [Parameter(Mandatory)] [string]$TestPath,
        [Parameter(Mandatory)] [string]$ResultDirectory,
        [string]$Name = 'Pester'
    )
    $null = New-Item -ItemType Directory -Force -Path $ResultDirectory
    $log = Join-Path $ResultDirectory 'pester-output.log'
    $summaryPath = Join-Path $ResultDirectory 'pester-summary.json'
    Remove-Item -LiteralPath $summaryPath, $log -Force -ErrorAction SilentlyContinue
    $r = New-RunnerResult $Name $log
    $pwsh = Get-PwshCommand
    $suite = Join-Path $PSScriptRoot 'Invoke-PesterSuite.ps1'
    # NO_COLOR and plain rendering: the log is read by people, not terminals.
    $env:NO_COLOR = '1'
    try {
        & $pwsh.FilePath @($pwsh.Arguments) -NoProfile -NonInteractive -NoLogo -File $suite `
            -PesterManifest $PesterManifest -TestPath $TestPath -ResultDirectory $ResultDirectory *> $log
        $exit = $LASTEXITCODE
    }
    finally { Remove-Item Env:NO_COLOR -ErrorAction SilentlyContinue }
    if (-not (Test-Path -LiteralPath $summaryPath)) { $r.Crashed = "exit code $exit and no summary $summaryPath (see $log)"; return $r }
    $summary = Get-Content -LiteralPath $summaryPath -Raw | ConvertFrom-Json
    $r.Passed = $summary.Passed
    $r.Failed = $summary.Failed
    $r.Skipped = $summary.Skipped
    foreach ($f in @($summary.Failures)) { $r.Failures.Add("$($f.Name): $($f.Message)") }
    foreach ($s in @($summary.Suites)) { $r.Suites.Add($s) }
    if ($exit -ne 0 -and $r.Failed -eq 0) { $r.Crashed = "exit code $exit although no test failed (see $log)" }
    $r
}

<#
.SYNOPSIS
    Prints each runner's suites, then the failures, the per-runner totals and, as the very last line, the overall
    'N passed, N failed, N skipped'. A runner that crashed or ran no test counts as one failure, so the last line
    agrees with the exit code. Returns the number of failures.
#>
function Write-TestSummary {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [object[]]$Results)
    $passed = 0; $failed = 0; $skipped = 0
    Write-Plain ''
    Write-Plain '==================== Test summary ===================='
    foreach ($r in $Results) {
        if (-not $r.Crashed -and ($r.Passed + $r.Failed) -eq 0) { $r.Crashed = 'ran no test' }
        if ($r.Crashed) { $r.Failures.Add("$($r.Name) did not complete: $($r.Crashed)"); $r.Failed++ }
        $passed += $r.Passed; $failed += $r.Failed; $skipped += $r.Skipped
    }
    foreach ($r in $Results) {
        if ($r.Suites.Count) {
            Write-Plain "$($r.Name) suites$(if ($r.Log) { " (full output: $($r.Log))" }):"
            foreach ($s in $r.Suites) { Write-Plain ('  {0,-48} {1} passed, {2} failed, {3} skipped' -f $s.Name, $s.Passed, $s.Failed, $s.Skipped) }
        }
    }
    $failing = @($Results | Where-Object { $_.Failures.Count })
    if ($failing) {
        Write-Plain 'Failures:'
        foreach ($r in $failing) { foreach ($f in $r.Failures) { Write-Plain "  [$($r.Name)] $f" } }
    }
    Write-Plain 'Totals:'
    foreach ($r in $Results) { Write-Plain ('  {0,-48} {1} passed, {2} failed, {3} skipped' -f $r.Name, $r.Passed, $r.Failed, $r.Skipped) }
    Write-Plain "$passed passed, $failed failed, $skipped skipped"
    $failed
}

Export-ModuleMember -Function New-RunnerResult, Invoke-PesterRunner, Write-TestSummary
