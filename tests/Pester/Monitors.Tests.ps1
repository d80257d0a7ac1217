#Requires -Version 7.0
# New-, Get-, Select-, Remove-, Reset-StateMonitor and Get-ResourceUsage; the registry and the current monitor.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModuleManifest)
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $Commands = 'AgentFlow.Resources.PowerShell.Commands'
    # Tests read warnings through -WarningVariable; keep the run's output readable.
    $WarningPreference = 'SilentlyContinue'
}

Describe 'State monitors' {
    BeforeEach {
        Reset-MonitorRegistry
    }

    Describe 'New-StateMonitor' {
        It 'creates a detailed monitor with the default limits, registers it and makes it current' {
            $monitor = New-StateMonitor
            $monitor | Should -BeOfType ([AgentFlow.Resources.StateMonitor])
            $monitor.Name | Should -Match '^Monitor\d+$'
            $monitor.IsFast | Should -BeFalse
            $monitor.MaxAlerts | Should -Be 1000
            $monitor.Limits.MaxStateSize | Should -Be 100MB
            Get-StateMonitor -Current | Should -Be $monitor
            Get-StateMonitor $monitor.Name | Should -Be $monitor
        }

        It 'takes -Limits by position and from the pipeline' {
            $limits = New-ResourceLimits -MaxStateSize 3MB -MaxValueSize 1MB
            (New-StateMonitor $limits -Name byposition).Limits | Should -Be $limits
            ($limits | New-StateMonitor -Name bypipe).Limits | Should -Be $limits
            (Get-StateMonitor -Current).Name | Should -Be 'bypipe'
        }

        It 'uses the limits of -Preset <Preset>' -TestCases @(
            @{ Preset = 'MemoryConstrained'; State = 25MB }
            @{ Preset = 'HighThroughput'; State = 500MB }
            @{ Preset = 'Streaming'; State = 100MB }
            @{ Preset = 'Development'; State = 1GB }
        ) {
            param($Preset, $State)
            $monitor = New-StateMonitor -Preset $Preset -Name "preset-$Preset"
            $monitor.Limits.MaxStateSize | Should -Be $State
            $expected = [AgentFlow.Resources.ResourceLimits]::FromPreset($Preset)
            $monitor.Limits.ToString() | Should -Be $expected.ToString()
        }

        It 'has the parameter sets Limits (default), Preset and Redis' {
            $command = Get-Command New-StateMonitor
            $command.ParameterSets.Name | Sort-Object | Should -Be @('Limits', 'Preset', 'Redis')
            $command.DefaultParameterSet | Should -Be 'Limits'
            { New-StateMonitor -Limits (New-ResourceLimits) -Preset Streaming } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
        }

        It 'creates a fast monitor with -Fast' {
            $monitor = New-StateMonitor -Name quick -Fast
            $monitor.IsFast | Should -BeTrue
            (Get-ResourceUsage quick).IsFast | Should -BeTrue
        }

        It 'bounds the alert queue with -MaxAlerts and counts the dropped alerts' {
            $monitor = New-StateMonitor -Name bounded -MaxAlerts 5 -Limits (New-ResourceLimits -MaxStateSize 1KB -MaxValueSize 1KB -StreamChunkSize 1KB)
            $monitor.MaxAlerts | Should -Be 5
            1..7 | ForEach-Object { Add-Allocation "too-big-$_" 2KB -ErrorAction SilentlyContinue -WarningAction SilentlyContinue }
            $alerts = Get-ResourceAlert -Peek
            $alerts.Count | Should -Be 5
            $alerts[0].Key | Should -Be 'too-big-3'
            $alerts[4].Key | Should -Be 'too-big-7'
            (Get-ResourceUsage).AlertsDropped | Should -Be 2
        }

        It 'rejects -MaxAlerts <Value>' -TestCases @(@{ Value = 0 }, @{ Value = 1000001 }, @{ Value = -3 }) {
            param($Value)
            $record = Get-ErrorRecord { New-StateMonitor -Name rejected -MaxAlerts $Value }
            $record.FullyQualifiedErrorId | Should -Be "ParameterArgumentValidationError,$Commands.NewStateMonitorCommand"
            Get-StateMonitor | Should -BeNullOrEmpty
        }

        It 'refuses a name in use (case-insensitively) with MonitorNameInUse and changes nothing' {
            $first = New-StateMonitor -Name Alpha
            $other = New-StateMonitor -Name other
            $record = Get-ErrorRecord { New-StateMonitor -Name ALPHA -Fast }
            $record.FullyQualifiedErrorId | Should -Be "MonitorNameInUse,$Commands.NewStateMonitorCommand"
            $record.CategoryInfo.Category | Should -Be 'ResourceExists'
            $record.TargetObject | Should -Be 'ALPHA'
            Get-StateMonitor alpha | Should -Be $first
            Get-StateMonitor -Current | Should -Be $other
        }

        It 'replaces a monitor of the same name with -Force' {
            $first = New-StateMonitor -Name Alpha
            $second = New-StateMonitor -Name alpha -Force -Fast
            Get-StateMonitor ALPHA | Should -Be $second
            Get-StateMonitor ALPHA | Should -Not -Be $first
            @(Get-StateMonitor).Count | Should -Be 1
            Get-StateMonitor -Current | Should -Be $second
        }

        It 'skips generated names that a user already took' {
            $probe = New-StateMonitor
            $next = [int]($probe.Name -replace '^Monitor') + 1
            $taken = New-StateMonitor -Name "Monitor$next"
            $generated = New-StateMonitor
            $generated.Name | Should -Not -Be $taken.Name
            Get-StateMonitor "Monitor$next" | Should -Be $taken
            Get-StateMonitor $generated.Name | Should -Be $generated
        }

        It 'refuses invalid limits with InvalidResourceLimits and registers nothing' {
            $invalid = [AgentFlow.Resources.ResourceLimits]::Builder().MaxStateSize(1KB).MaxValueSize(10MB).Build()
            $record = Get-ErrorRecord { New-StateMonitor -Name broken -Limits $invalid }
            $record.FullyQualifiedErrorId | Should -Be "InvalidResourceLimits,$Commands.NewStateMonitorCommand"
            $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $record.Exception.Message | Should -BeLike '*MaxValueSize (10485760) must not be greater than MaxStateSize (1024).*'
            Get-StateMonitor | Should -BeNullOrEmpty
        }

        It 'refuses the name <Name>' -TestCases @(@{ Name = '' }, @{ Name = '   ' }, @{ Name = 'build*' }, @{ Name = 'cache?' }, @{ Name = 'a[1]' }) {
            param($Name)
            $record = Get-ErrorRecord { New-StateMonitor -Name $Name }
            $record.FullyQualifiedErrorId | Should -BeLike "ParameterArgumentValidationError*,$Commands.NewStateMonitorCommand"
            Get-StateMonitor | Should -BeNullOrEmpty
        }
    }

    Describe 'Get-StateMonitor' {
        BeforeEach {
            $build = New-StateMonitor -Name build
            $cache = New-StateMonitor -Name Cache -Fast
            $archive = New-StateMonitor -Name archive
        }

        It 'lists every monitor ordered by name' {
            (Get-StateMonitor).Name | Should -Be @('archive', 'build', 'Cache')
        }

        It 'finds monitors by name and wildcard, case-insensitively' {
            Get-StateMonitor BUILD | Should -Be $build
            (Get-StateMonitor -Name '*c*').Name | Should -Be @('archive', 'Cache')
            (Get-StateMonitor 'b*', 'cache').Name | Should -Be @('build', 'Cache')
            Get-StateMonitor 'z*' | Should -BeNullOrEmpty
        }

        It 'takes names from the pipeline' {
            ('archive', 'cache' | Get-StateMonitor).Name | Should -Be @('archive', 'Cache')
        }

        It 'writes MonitorNotFound for a name without wildcards that matches nothing, and goes on' {
            $found = Get-StateMonitor 'missing', 'build' -ErrorVariable problems -ErrorAction SilentlyContinue
            $found | Should -Be $build
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be "MonitorNotFound,$Commands.GetStateMonitorCommand"
            $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $problems[0].TargetObject | Should -Be 'missing'
        }

        It 'returns the current monitor with -Current, and nothing when there is none' {
            Get-StateMonitor -Current | Should -Be $archive
            Reset-MonitorRegistry
            Get-StateMonitor -Current | Should -BeNullOrEmpty
        }

        It 'pipes monitors into commands whose -Monitor binds by property name' {
            Add-Allocation a 3MB -Monitor $build
            Add-Allocation b 1MB -Monitor $build
            Add-Allocation c 2MB -Monitor $archive
            $result = Get-StateMonitor 'build' | Invoke-ResourceCleanup 0.02 -Confirm:$false -WarningAction SilentlyContinue
            $result.MonitorName | Should -Be 'build'
            $result.Evicted.Key | Should -Be @('a')
            (Get-StateMonitor 'b*', 'archive' | Get-LruKey) | Should -Be @('b', 'c')
            $archive.CurrentSize | Should -Be 2MB
        }

        It 'has the parameter sets Name (default) and Current' {
            $command = Get-Command Get-StateMonitor
            $command.ParameterSets.Name | Sort-Object | Should -Be @('Current', 'Name')
            $command.DefaultParameterSet | Should -Be 'Name'
            $command.Parameters['Name'].Attributes.Where({ $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count | Should -Be 1
        }
    }

    Describe 'Select-StateMonitor' {
        BeforeEach {
            $first = New-StateMonitor -Name first
            $second = New-StateMonitor -Name second
        }

        It 'makes a monitor current by name, object or pipeline, returning nothing without -PassThru' {
            Select-StateMonitor FIRST | Should -BeNullOrEmpty
            Get-StateMonitor -Current | Should -Be $first
            Select-StateMonitor -Monitor $second
            Get-StateMonitor -Current | Should -Be $second
            'first' | Select-StateMonitor
            Get-StateMonitor -Current | Should -Be $first
            $second | Select-StateMonitor
            Get-StateMonitor -Current | Should -Be $second
        }

        It 'returns the monitor with -PassThru' {
            Select-StateMonitor first -PassThru | Should -Be $first
        }

        It 'makes commands without -Monitor use the selected monitor' {
            Select-StateMonitor first
            Add-Allocation data 100
            $first.CurrentSize | Should -Be 100
            $second.CurrentSize | Should -Be 0
        }

        It 'fails binding for an unknown name with a message pointing to Get-StateMonitor and New-StateMonitor' {
            $record = Get-ErrorRecord { Select-StateMonitor nosuch }
            $record.FullyQualifiedErrorId | Should -Be "ParameterArgumentTransformationError,$Commands.SelectStateMonitorCommand"
            $record.Exception.Message | Should -BeLike "*No state monitor named 'nosuch' is registered. Run Get-StateMonitor to list the monitors, or New-StateMonitor -Name 'nosuch' to create one.*"
            Get-StateMonitor -Current | Should -Be $second
        }

        It 'refuses a monitor that was removed, with MonitorNotFound' {
            Remove-StateMonitor first -Confirm:$false
            $record = Get-ErrorRecord { Select-StateMonitor $first }
            $record.FullyQualifiedErrorId | Should -Be "MonitorNotFound,$Commands.SelectStateMonitorCommand"
            Get-StateMonitor -Current | Should -Be $second
        }
    }

    Describe 'Remove-StateMonitor' {
        It 'unregisters the monitor and clears the current monitor when it was current' {
            $kept = New-StateMonitor -Name kept
            $gone = New-StateMonitor -Name gone
            Remove-StateMonitor gone -Confirm:$false
            (Get-StateMonitor).Name | Should -Be @('kept')
            Get-StateMonitor -Current | Should -BeNullOrEmpty
            { Get-ResourceUsage } | Should -Throw -ErrorId 'NoCurrentMonitor,*'
        }

        It 'keeps the current monitor when another one is removed' {
            $other = New-StateMonitor -Name other
            $current = New-StateMonitor -Name current
            $other | Remove-StateMonitor -Confirm:$false
            Get-StateMonitor -Current | Should -Be $current
        }

        It 'removes every monitor piped from Get-StateMonitor' {
            1..3 | ForEach-Object { $null = New-StateMonitor -Name "m$_" }
            Get-StateMonitor | Remove-StateMonitor -Confirm:$false
            Get-StateMonitor | Should -BeNullOrEmpty
        }

        It 'changes nothing with -WhatIf' {
            $monitor = New-StateMonitor -Name stays
            Remove-StateMonitor stays -WhatIf
            Get-StateMonitor stays | Should -Be $monitor
            Get-StateMonitor -Current | Should -Be $monitor
        }

        It 'leaves the monitor object unusable by the commands after it is unregistered' {
            $monitor = New-StateMonitor -Name detached
            Remove-StateMonitor $monitor -Confirm:$false
            $record = Get-ErrorRecord { Add-Allocation data 10 -Monitor $monitor }
            $record.FullyQualifiedErrorId | Should -Be "MonitorNotFound,$Commands.AddAllocationCommand"
            $monitor.CurrentSize | Should -Be 0
        }

        It 'writes MonitorNotFound for a monitor that is no longer registered' {
            $monitor = New-StateMonitor -Name twice
            Remove-StateMonitor $monitor -Confirm:$false
            $record = Get-ErrorRecord { Remove-StateMonitor $monitor -Confirm:$false }
            $record.FullyQualifiedErrorId | Should -Be "MonitorNotFound,$Commands.RemoveStateMonitorCommand"
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'does not remove the replacement of a monitor removed by object' {
            $old = New-StateMonitor -Name shared
            $new = New-StateMonitor -Name shared -Force
            $null = Get-ErrorRecord { Remove-StateMonitor $old -Confirm:$false }
            Get-StateMonitor shared | Should -Be $new
        }

        It 'is ShouldProcess with medium impact' {
            $attribute = (Get-Command Remove-StateMonitor).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            $attribute.SupportsShouldProcess | Should -BeTrue
            $attribute.ConfirmImpact | Should -Be 'Medium'
        }
    }

    Describe 'Reset-StateMonitor' {
        BeforeEach {
            $monitor = New-StateMonitor -Name resettable -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 4KB -StreamChunkSize 1KB)
            Add-Allocation a 4KB -Pin
            Add-Allocation b 4KB -WarningAction SilentlyContinue
            Add-Allocation c 8KB -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        }

        It 'forgets every entry, total, counter and alert with -Confirm:$false' {
            $before = Get-ResourceUsage
            $before.ValueCount | Should -Be 2
            $before.RejectedAllocations | Should -Be 1
            @(Get-ResourceAlert -Peek).Count | Should -BeGreaterThan 0
            Reset-StateMonitor -Confirm:$false | Should -BeNullOrEmpty
            $after = Get-ResourceUsage
            $after.CurrentSize | Should -Be 0
            $after.ValueCount | Should -Be 0
            $after.PeakSize | Should -Be 0
            $after.PinnedSize | Should -Be 0
            $after.RejectedAllocations | Should -Be 0
            Get-ResourceAlert -Peek | Should -BeNullOrEmpty
            Get-Allocation | Should -BeNullOrEmpty
            Get-StateMonitor resettable | Should -Be $monitor
        }

        It 'changes nothing with -WhatIf' {
            $state = Get-MonitorState $monitor
            Reset-StateMonitor resettable -WhatIf
            Get-MonitorState $monitor | Should -Be $state
            (Get-ResourceUsage).RejectedAllocations | Should -Be 1
        }

        It 'resets monitors by name, object and pipeline' {
            $other = New-StateMonitor -Name other
            Add-Allocation x 1
            Reset-StateMonitor resettable -Confirm:$false
            $monitor.ValueCount | Should -Be 0
            $other.ValueCount | Should -Be 1
            Get-StateMonitor | Reset-StateMonitor -Confirm:$false
            $other.ValueCount | Should -Be 0
        }

        It 'declares ConfirmImpact High' {
            $attribute = (Get-Command Reset-StateMonitor).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            $attribute.SupportsShouldProcess | Should -BeTrue
            $attribute.ConfirmImpact | Should -Be 'High'
        }

        It 'asks for confirmation by default, so a non-interactive session cannot reset without -Confirm:$false' {
            $result = Invoke-FreshPwsh {
                param($Manifest)
                Import-Module $Manifest
                $null = New-StateMonitor -Name guarded
                Add-Allocation data 1KB
                Remove-Allocation data -ErrorAction Stop   # medium impact: no prompt at the default $ConfirmPreference
                Add-Allocation data 2KB
                try { Reset-StateMonitor; 'reset ran' } catch { 'refused: {0} NonInteractive={1}' -f $_.FullyQualifiedErrorId, ($_.Exception.Message -match 'NonInteractive') }
                'size ' + (Get-ResourceUsage).CurrentSize
                Reset-StateMonitor -Confirm:$false
                'size ' + (Get-ResourceUsage).CurrentSize
            } -ArgumentList (Get-BuiltModuleManifest)
            $result.Output | Should -Be @("refused: InvalidOperation,$Commands.ResetStateMonitorCommand NonInteractive=True", 'size 2048', 'size 0')
        }
    }

    Describe 'Get-ResourceUsage' {
        It 'returns a consistent snapshot of the current monitor' {
            $monitor = New-StateMonitor -Name usage -Limits (New-ResourceLimits -MaxStateSize 10MB -MaxValueSize 2MB -MaxCacheEntries 10 -EnableStreaming)
            Add-Allocation pinned 1MB -Pin
            Add-Allocation plain 512KB
            Add-Allocation streamed 3MB
            $stats = Get-ResourceUsage
            $stats | Should -BeOfType ([AgentFlow.Resources.ResourceStats])
            $stats.MonitorName | Should -Be 'usage'
            $stats.CurrentSize | Should -Be (1MB + 512KB + 1MB)
            $stats.MaxStateSize | Should -Be 10MB
            $stats.UsagePercentage | Should -Be 0.25
            $stats.ValueCount | Should -Be 3
            $stats.MaxCacheEntries | Should -Be 10
            $stats.EntryUsagePercentage | Should -Be 0.3
            $stats.CleanupThresholdBytes | Should -Be 8388608
            $stats.ShouldCleanup | Should -BeFalse
            $stats.PeakSize | Should -Be 2621440
            $stats.PinnedSize | Should -Be 1MB
            $stats.PinnedCount | Should -Be 1
            $stats.StreamedCount | Should -Be 1
            $stats.StreamedBytes | Should -Be 3MB
            $stats.TotalEvictions | Should -Be 0
            $stats.RejectedAllocations | Should -Be 0
            $stats.IsFast | Should -BeFalse
        }

        It 'takes the monitor by position, name, object and from the pipeline' {
            $a = New-StateMonitor -Name a
            Add-Allocation x 5
            $b = New-StateMonitor -Name b
            (Get-ResourceUsage a).CurrentSize | Should -Be 5
            (Get-ResourceUsage -Monitor $b).CurrentSize | Should -Be 0
            (Get-StateMonitor | Get-ResourceUsage).MonitorName | Should -Be @('a', 'b')
            ('b' | Get-ResourceUsage).MonitorName | Should -Be 'b'
        }

        It 'throws the terminating NoCurrentMonitor error without a current monitor' {
            $record = Get-ErrorRecord { Get-ResourceUsage }
            $record.FullyQualifiedErrorId | Should -Be "NoCurrentMonitor,$Commands.GetResourceUsageCommand"
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $record.Exception.Message | Should -BeLike '*Run New-StateMonitor*'
            # Terminating: the statement stops even when errors are not set to stop.
            $reached = $false
            try { Get-ResourceUsage -ErrorAction SilentlyContinue; $reached = $true } catch { $null = $_ }
            $reached | Should -BeFalse
        }

        It 'fails binding for an unknown monitor name' {
            $null = New-StateMonitor -Name known
            $record = Get-ErrorRecord { Get-ResourceUsage unknown }
            $record.FullyQualifiedErrorId | Should -Be "ParameterArgumentTransformationError,$Commands.GetResourceUsageCommand"
            $record = Get-ErrorRecord { Get-ResourceUsage -Monitor $null }
            $record.FullyQualifiedErrorId | Should -Be "ParameterArgumentValidationError,$Commands.GetResourceUsageCommand"
        }
    }
}
