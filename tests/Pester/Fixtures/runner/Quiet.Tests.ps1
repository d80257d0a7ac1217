# A suite that passes while printing what used to reach the test command's console: a 'What if:' line with a
# temporary path, and coloured host output. tests/Pester/TestOutput.Tests.ps1 runs it through tools/TestReport.psm1.
Describe 'Quiet' {
    It 'previews a removal' {
        $file = New-Item -ItemType File -Path (Join-Path ([System.IO.Path]::GetTempPath()) "runner-fixture-$([guid]::NewGuid().ToString('N')).tmp")
        try {
            Remove-Item -LiteralPath $file.FullName -WhatIf
            Test-Path -LiteralPath $file.FullName | Should -BeTrue
        }
        finally { Remove-Item -LiteralPath $file.FullName -Force }
    }

    It 'writes in colour' {
        Write-Host 'coloured host output' -ForegroundColor Magenta
        1 | Should -Be 1
    }
}
