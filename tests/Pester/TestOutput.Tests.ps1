#Requires -Version 7.0
# What the test command prints (tools/TestReport.psm1, used by build.ps1 Test): failures and one line per suite
# in plain text, the closing 'N passed, N failed, N skipped', and nothing of the runners' own chatter (Pester's
# progress, 'What if:' lines, colour codes), which goes to a log file instead.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-RepositoryRoot) 'tools/TestReport.psm1') -Force
    $PesterManifest = Join-Path (Get-Module Pester).ModuleBase 'Pester.psd1'
}

Describe 'The test command''s output' {
    BeforeAll {
        $results = Join-Path $TestDrive 'results'
        $runner = Invoke-PesterRunner -PesterManifest $PesterManifest -TestPath (Join-Path $PSScriptRoot 'Fixtures/runner') -ResultDirectory $results
        # Write-Host goes to the information stream: this is exactly what the console shows (the return value is not).
        $printed = @(& { $script:failed = Write-TestSummary @($runner) } 6>&1 | ForEach-Object { [string]$_ })
    }

    It 'counts the runner''s tests and keeps one entry per suite' {
        $runner.Crashed | Should -BeNullOrEmpty
        ($runner.Passed, $runner.Failed, $runner.Skipped) | Should -Be @(3, 1, 0)
        @($runner.Suites | ForEach-Object { '{0}:{1}:{2}:{3}' -f $_.Name, $_.Passed, $_.Failed, $_.Skipped }) | Should -Be @('Failing.Tests.ps1:1:1:0', 'Quiet.Tests.ps1:2:0:0')
    }

    It 'prints the suites, the failure with its message, the totals and, last, the closing line' {
        $printed | Should -Contain ('  {0,-48} 1 passed, 1 failed, 0 skipped' -f 'Failing.Tests.ps1')
        $printed | Should -Contain ('  {0,-48} 2 passed, 0 failed, 0 skipped' -f 'Quiet.Tests.ps1')
        @($printed | Where-Object { $_ -like '  `[Pester`] Failing.fails on purpose: Expected strings to be the same*' }).Count | Should -Be 1
        $printed[-1] | Should -Be '3 passed, 1 failed, 0 skipped'
        $script:failed | Should -Be 1
        $printed.Count | Should -BeLessThan 12
    }

    It 'prints no colour codes, no Pester progress and no ''What if:'' lines' {
        $printed | Where-Object { $_ -match '\x1b' } | Should -BeNullOrEmpty
        $printed | Where-Object { $_ -match 'What if:|coloured host output|\[\+\]|Describing' } | Should -BeNullOrEmpty
    }

    It 'keeps the runner''s own output, in plain text, in the log it names' {
        $printed | Should -Contain "Pester suites (full output: $(Join-Path $results 'pester-output.log')):"
        $log = Get-Content -LiteralPath (Join-Path $results 'pester-output.log') -Raw
        $log | Should -Match 'What if: Performing the operation "Remove File" on target'
        $log | Should -Match 'coloured host output'
        $log | Should -Not -Match '\x1b'
    }

    It 'counts a runner that ran no test as a failure, so the closing line agrees with the exit code' {
        $empty = New-RunnerResult 'empty'
        $lines = @(& { $null = Write-TestSummary @($empty) } 6>&1 | ForEach-Object { [string]$_ })
        $lines[-1] | Should -Be '0 passed, 1 failed, 0 skipped'
        $lines | Should -Contain '  [empty] empty did not complete: ran no test'
    }
}
