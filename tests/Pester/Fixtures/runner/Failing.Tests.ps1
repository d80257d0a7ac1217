# A suite with one failure on purpose, for tests/Pester/TestOutput.Tests.ps1 (never part of the real run).
Describe 'Failing' {
    It 'fails on purpose' {
        'actual' | Should -Be 'expected'
    }

    It 'passes' {
        $true | Should -BeTrue
    }
}
