#Requires -Version 7.0
# The README and the help pages say what the module does: their commands run as written (whole sizes), their
# captured output has the columns and line breaks the module prints, and the README's claims match the repository.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $root = Get-RepositoryRoot
    $pageCases = @(Get-ChildItem -Path (Join-Path $root 'docs/help') -Filter '*.md' -File | Sort-Object Name | ForEach-Object { @{ Page = $_.Name; Path = $_.FullName } })
    $pageCases += @{ Page = 'README.md'; Path = (Join-Path $root 'README.md') }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Manifest = Get-BuiltModuleManifest
    Import-Module $Manifest
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $WarningPreference = 'SilentlyContinue'
    $Root = Get-RepositoryRoot
    $Readme = Get-Content -LiteralPath (Join-Path $Root 'README.md') -Raw

    # The fenced PowerShell blocks of a markdown page, each as an array of lines.
    function Get-CodeBlock([string]$Path) {
        $text = Get-Content -LiteralPath $Path -Raw
        foreach ($m in [regex]::Matches($text, '(?ms)^```powershell\r?\n(.*?)^```')) { , ($m.Groups[1].Value -split '\r?\n') }
    }

    # The lines a view renders, trailing spaces trimmed.
    function Get-Rendered($InputObject) { @(($InputObject | Out-String -Width 200) -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ }) }
}

Describe 'Help and README examples' {
    BeforeAll {
        Reset-MonitorRegistry
        $monitor = New-StateMonitor -Name headers -Limits (New-ResourceLimits -AutoCleanup:$false)
        Add-Allocation a 1KB
        Add-Allocation b 2MB -ErrorAction SilentlyContinue
        $headers = @(
            (Get-Rendered (Get-StateMonitor headers))[0]
            (Get-Rendered (Get-ResourceUsage headers | Format-Table))[0]
            (Get-Rendered (Invoke-ResourceCleanup 0 | Format-Table))[0]
        )
        $alertHeader = 'Time         Type             Message'
    }

    It '<Page>: every size its commands give is a whole number of bytes' -TestCases $pageCases {
        param($Page, $Path)
        foreach ($block in Get-CodeBlock $Path) {
            foreach ($line in $block) {
                # Quoted size strings ('1.5GB', '10 MiB') and manifest values (",2.5MB") must parse; number literals must be whole.
                foreach ($m in [regex]::Matches($line, "'(\d+(\.\d+)?\s?[KMGTP]i?B)'|,(\d+(\.\d+)?\s?[KMGTP]i?B)$")) {
                    $text = if ($m.Groups[1].Success) { $m.Groups[1].Value } else { $m.Groups[3].Value }
                    [AgentFlow.Resources.ByteSize]::TryParse($text, [ref]$null) | Should -BeTrue -Because "$Page has '$text' in: $line"
                }
                foreach ($m in [regex]::Matches($line, '(?<![\w.''])(\d+\.\d+)([KMGTP]B)\b(?!'')')) {
                    $value = [double]$m.Groups[1].Value * [math]::Pow(1024, 'KMGTP'.IndexOf($m.Groups[2].Value[0]) + 1)
                    $value | Should -Be ([math]::Floor($value)) -Because "$Page has $($m.Value) in: $line"
                }
            }
        }
    }

    It '<Page>: tables of monitors, usage, cleanups and alerts have the columns the module shows' -TestCases $pageCases {
        param($Page, $Path)
        foreach ($block in Get-CodeBlock $Path) {
            foreach ($line in $block) {
                if ($line -match 'CurrentSize' -and $line -match 'MaxStateSize|BytesFreed' -and $line -notmatch '[:,|]') {
                    $headers | Should -Contain $line.TrimEnd() -Because "$Page shows the table header '$line'"
                }
                if ($line -match '^Time\s+Type\b') { $line.TrimEnd() | Should -Be $alertHeader -Because "$Page shows the alert header '$line'" }
                if ($line -match '^\S+\s+Mode\s+CurrentSize') { throw "$Page shows the old monitor table header '$line'" }
            }
        }
    }

    It '<Page>: the Evicted and Candidates lists show one whole entry per line' -TestCases $pageCases {
        param($Page, $Path)
        foreach ($block in Get-CodeBlock $Path) {
            for ($i = 0; $i -lt $block.Count; $i++) {
                if ($block[$i] -notmatch '^(Evicted|Candidates)\s+: (.*)$') { continue }
                $entries = @($Matches[2]) + @($block[($i + 1)..($block.Count - 1)] | ForEach-Object { $_ } | Where-Object { $_ -match '^ {19}\S' } | Select-Object -First 25 | ForEach-Object Trim)
                foreach ($entry in $entries | Where-Object { $_ }) {
                    $entry | Should -Match '^[^,]+ \(\d+(\.\d+)? [KMGTP]?B\)$|^… and \d+ more' -Because "$Page lists '$entry'"
                }
            }
        }
    }

    It 'Invoke-ResourceCleanup example 1 shows what the module prints' {
        $page = Get-Content -LiteralPath (Join-Path $Root 'docs/help/Invoke-ResourceCleanup.md') -Raw
        $expected = [regex]::Match($page, '(?ms)^(MonitorName      : artifacts.*?)^```').Groups[1].Value -split '\r?\n' | Where-Object { $_ }
        $null = New-StateMonitor -Name artifacts -Limits (New-ResourceLimits -MaxStateSize 1GB -MaxValueSize 200MB -AutoCleanup:$false)
        101..105 | ForEach-Object -Begin { $sizes = 180MB, 150MB, 170MB, 160MB, 190MB; $i = 0 } -Process { Add-Allocation "/builds/cache/build-$_.zip" $sizes[$i++] }
        $rendered = @((Invoke-ResourceCleanup -Monitor artifacts -TargetPercentage 0.5 | Out-String -Width 100) -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ })
        $rendered | Should -Be @($expected | ForEach-Object TrimEnd)
    }
}

Describe 'README' {
    It 'runs its runbook pattern with every alert written once' {
        $block = [regex]::Match($Readme, '(?ms)^## The runbook pattern\s+```powershell\r?\n(.*?)^```').Groups[1].Value
        $block | Should -Not -BeNullOrEmpty
        $work = Join-Path $TestDrive 'runbook'
        $null = New-Item -ItemType Directory -Path "$work/inputs", "$work/outputs" -Force
        # Sparse files: the lengths are what the pattern records.
        $make = { param($path, $length) $f = [System.IO.File]::Create($path); try { $f.SetLength($length) } finally { $f.Dispose() } }
        foreach ($i in 1..2) { & $make "$work/inputs/input$i.bin" 1MB }
        foreach ($i in 1..9) { & $make "$work/outputs/output$i.bin" 5MB }
        $script = [scriptblock]::Create("param(`$Manifest) Import-Module `$Manifest`n" + $block)
        $result = Invoke-FreshPwsh $script -ArgumentList $Manifest -WorkingDirectory $work
        $warnings = @($result.Output | Where-Object { $_ -like 'WARNING:*' })
        $warnings | Should -Be @(
            'WARNING: [artifacts] StateSize at 87.5 %: 42 MB of 48 MB.'
            'WARNING: [artifacts] Manual cleanup freed 25 MB by evicting 5 entries.')
        $rows = @(Import-Csv -LiteralPath "$work/alerts.csv")
        $rows.Type | Should -Be @('ApproachingLimit', 'CleanupTriggered')
        $rows[0].PSObject.Properties.Name | Should -Contain 'Reason'
        $result.ExitCode | Should -Be 0
        @(Get-ChildItem "$work/outputs").Count | Should -Be 4
    }

    It 'says how many steps the demo runs' {
        $runbook = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $Root 'examples/Invoke-ArtifactBudgetRunbook.ps1'), [ref]$null, [ref]$null)
        $steps = $runbook.ParamBlock.Parameters.Where({ $_.Name.VariablePath.UserPath -eq 'Steps' })[0].DefaultValue.Value
        $Readme | Should -Match "runs $steps agent steps"
        $Readme | Should -Not -Match 'twelve agent steps'
    }

    It 'says which PowerShell it is tested on (the pinned tool) and that 5.1 is built for, not tested' {
        $tools = Get-Content -LiteralPath (Join-Path $Root '.config/dotnet-tools.json') -Raw | ConvertFrom-Json
        $version = [version]$tools.tools.powershell.version
        $Readme | Should -Match "tested on PowerShell $($version.Major)\.$($version.Minor) on Linux"
        $Readme | Should -Not -Match 'runs in PowerShell 7 and Windows PowerShell 5\.1'
        $Readme | Should -Match 'Windows PowerShell 5\.1 as well, but it has never been run or tested there'
    }

    It 'explains that batches come when the threshold-to-target gap fills, not that a full monitor never evicts on every call' {
        $Readme | Should -Not -Match 'does not evict on every call'
        $Readme | Should -Match 'gap between threshold and target'
        $Readme | Should -Match '`data_7`, `data_8` and `data_9` each evict one entry'
    }

    It 'says how to run a runbook outside the clone' {
        $Readme | Should -Match '`dotnet pwsh` works inside the clone only'
        $Readme | Should -Match 'pwsh -File'
    }
}
