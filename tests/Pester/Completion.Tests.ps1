#Requires -Version 7.0
# Tab completion (TabExpansion2) of monitor names and of keys.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModuleManifest)
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
}

Describe 'Completion' {
    BeforeAll {
        Reset-MonitorRegistry
        $global:CompletionCache = New-StateMonitor -Name 'Build Cache'
        Add-Allocation 'alpha one' 1
        Add-Allocation alpha2 2
        Add-Allocation '/var/artifacts/report.json' 3
        Add-Allocation "it's" 4
        $null = New-StateMonitor -Name builder -Fast
        Add-Allocation fastkey 1
        $global:CompletionCurrent = New-StateMonitor -Name current
        Add-Allocation beta 1
        Add-Allocation Beta-2 1
    }

    AfterAll {
        Remove-Variable -Scope Global -Name CompletionCache, CompletionCurrent
    }

    Describe 'monitor names' {
        It 'completes -Monitor of <Command> case-insensitively, quoting names with spaces' -TestCases @(
            @{ Command = 'Add-Allocation' }, @{ Command = 'Remove-Allocation' }, @{ Command = 'Get-Allocation' }, @{ Command = 'Get-LruKey' }
            @{ Command = 'Use-Allocation' }, @{ Command = 'Lock-Allocation' }, @{ Command = 'Unlock-Allocation' }, @{ Command = 'Get-ResourceUsage' }
            @{ Command = 'Invoke-ResourceCleanup' }, @{ Command = 'Get-ResourceAlert' }, @{ Command = 'Clear-ResourceAlert' }, @{ Command = 'Reset-StateMonitor' }
            @{ Command = 'Select-StateMonitor' }, @{ Command = 'Remove-StateMonitor' }, @{ Command = 'Invoke-MonitoredStep' }, @{ Command = 'Sync-Allocation' }
        ) {
            param($Command)
            Get-Completion "$Command -Monitor BU" | Should -Be @("'Build Cache'", 'builder')
        }

        It 'completes positional monitor names and -MonitorName' {
            Get-Completion 'Select-StateMonitor cu' | Should -Be @('current')
            Get-Completion 'Get-ResourceUsage ' | Should -Be @("'Build Cache'", 'builder', 'current')
            Get-Completion 'Add-Allocation k 1 -MonitorName b' | Should -Be @("'Build Cache'", 'builder')
        }

        It 'completes Get-StateMonitor -Name, with a quoted start too' {
            Get-Completion 'Get-StateMonitor -Name ''Bui' | Should -Be @("'Build Cache'", 'builder')
            Get-Completion 'Get-StateMonitor *der' | Should -Be @('builder')
        }

        It 'offers nothing for a prefix that matches no monitor' {
            Get-Completion 'Get-ResourceUsage -Monitor zz' | Should -BeNullOrEmpty
        }
    }

    Describe 'keys' {
        It 'completes keys of the monitor named with -Monitor, quoting when needed' {
            Get-Completion "Remove-Allocation -Monitor 'Build Cache' -Key al" | Should -Be @("'alpha one'", 'alpha2')
            Get-Completion "Use-Allocation -Monitor 'build cache' -Key /var" | Should -Be @('/var/artifacts/report.json')
            Get-Completion "Lock-Allocation -Monitor 'Build Cache' -Key it" | Should -Be @("'it''s'")
        }

        It 'completes keys of the monitor given as an object with -Monitor' {
            Get-Completion 'Get-Allocation -Monitor $CompletionCache -Key A' | Should -Be @("'alpha one'", 'alpha2')
        }

        It 'completes keys of the current monitor without -Monitor, case-insensitively, for <Command>' -TestCases @(
            @{ Command = 'Add-Allocation' }, @{ Command = 'Remove-Allocation' }, @{ Command = 'Get-Allocation' }
            @{ Command = 'Use-Allocation' }, @{ Command = 'Lock-Allocation' }, @{ Command = 'Unlock-Allocation' }
        ) {
            param($Command)
            Get-Completion "$Command -Key be" | Should -Be @('beta', 'Beta-2')
            Get-Completion "$Command Beta" | Should -Be @('beta', 'Beta-2')
        }

        It 'offers no keys for a fast monitor (it keeps none)' {
            Get-Completion 'Remove-Allocation -Monitor builder -Key f' | Should -BeNullOrEmpty
        }

        It 'offers no keys when there is no current monitor' {
            $saved = Get-StateMonitor -Current
            $temporary = New-StateMonitor -Name temporary
            Remove-StateMonitor temporary -Confirm:$false
            try {
                Get-StateMonitor -Current | Should -BeNullOrEmpty
                Get-Completion 'Use-Allocation -Key b' | Should -BeNullOrEmpty
            }
            finally { Select-StateMonitor $saved }
        }
    }
}
