#Requires -Version 7.0
# Invoke-ResourceCleanup: targets, results, eviction order, pins, -WhatIf plans, -Confirm, fast monitors.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModuleManifest)
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $Commands = 'AgentFlow.Resources.PowerShell.Commands'
    # Tests read warnings through -WarningVariable; keep the run's output readable.
    $WarningPreference = 'SilentlyContinue'

    # 7 KB in five entries of a 10 KB monitor without automatic cleanup; LRU order b, c, d, e, a.
    function New-CleanupMonitor([double]$CleanupTarget = 0.7) {
        $monitor = New-StateMonitor -Name cleanup -Limits (
            New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 2KB -StreamChunkSize 1KB -AutoCleanup:$false -CleanupTarget $CleanupTarget)
        Add-Allocation a 1KB; Add-Allocation b 2KB; Add-Allocation c 1KB; Add-Allocation d 2KB; Add-Allocation e 1KB
        Use-Allocation a
        $null = Get-ResourceAlert
        $monitor
    }
}

Describe 'Invoke-ResourceCleanup' {
    BeforeEach {
        Reset-MonitorRegistry
        $monitor = New-CleanupMonitor
    }

    It 'evicts least recently used entries down to the target and returns what it did' {
        $result = Invoke-ResourceCleanup 0.3
        $result | Should -BeOfType ([AgentFlow.Resources.CleanupResult])
        $result.MonitorName | Should -Be 'cleanup'
        $result.BytesFreed | Should -Be 5120
        $result.EntriesRemoved | Should -Be 3
        $result.Evicted.Key | Should -Be @('b', 'c', 'd')
        $result.Evicted.Size | Should -Be @(2048, 1024, 2048)
        $result.SizeBefore | Should -Be 7168
        $result.SizeAfter | Should -Be 2048
        $result.TargetPercentage | Should -Be 0.3
        $result.TargetBytes | Should -Be 3072
        $result.TargetReached | Should -BeTrue
        $result.PinnedSize | Should -Be 0
        @(Get-Allocation).Key | Should -Be @('e', 'a')
        (Get-ResourceUsage).TotalEvictions | Should -Be 3
        (Get-ResourceUsage).EvictedBytes | Should -Be 5120
    }

    It 'writes the manual CleanupTriggered alert as a warning and queues it' {
        $null = Invoke-ResourceCleanup -TargetPercentage 0.3 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Message | Should -Be @('[cleanup] Manual cleanup freed 5 KB by evicting 3 entries.')
        $alert = Get-ResourceAlert
        $alert.Type | Should -Be 'CleanupTriggered'
        $alert.Automatic | Should -BeFalse
        $alert.Freed | Should -Be 5120
        $alert.EntriesRemoved | Should -Be 3
    }

    It 'uses the limits'' CleanupTarget without -TargetPercentage' {
        Reset-MonitorRegistry
        $null = New-CleanupMonitor -CleanupTarget 0.5
        $result = Invoke-ResourceCleanup
        $result.TargetPercentage | Should -Be 0.5
        $result.TargetBytes | Should -Be 5120
        $result.Evicted.Key | Should -Be @('b')
        $result.SizeAfter | Should -Be 5120
    }

    It 'evicts every unpinned entry with a target of 0' {
        Lock-Allocation d
        $result = Invoke-ResourceCleanup 0 -WarningAction SilentlyContinue
        $result.Evicted.Key | Should -Be @('b', 'c', 'e', 'a')
        $result.TargetReached | Should -BeFalse
        @(Get-Allocation).Key | Should -Be @('d')
    }

    It 'evicts nothing and raises no alert when usage is already at or below the target' {
        $result = Invoke-ResourceCleanup 0.7 -WarningVariable warnings
        $result.EntriesRemoved | Should -Be 0
        $result.BytesFreed | Should -Be 0
        $result.Evicted.Count | Should -Be 0
        $result.TargetReached | Should -BeTrue
        $warnings | Should -BeNullOrEmpty
        Get-ResourceAlert | Should -BeNullOrEmpty
        $monitor.ValueCount | Should -Be 5
    }

    It 'stops at pinned entries: target not reached, CleanupFailed warning and alert, pins kept' {
        Lock-Allocation b, d, a
        $result = Invoke-ResourceCleanup 0.3 -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Evicted.Key | Should -Be @('c', 'e')
        $result.SizeAfter | Should -Be 5120
        $result.TargetReached | Should -BeFalse
        $result.PinnedSize | Should -Be 5120
        $result.PinnedCount | Should -Be 3
        $warnings.Message | Should -Be @(
            '[cleanup] Manual cleanup freed 2 KB by evicting 2 entries.'
            '[cleanup] Cleanup to 30 % (3 KB) stopped at 5 KB: 5 KB is pinned in 3 entries.')
        (Get-ResourceAlert).Type | Should -Be @('CleanupTriggered', 'CleanupFailed')
        @(Get-Allocation).Key | Should -Be @('b', 'd', 'a')
    }

    It 'lets the evicted entries flow on (Select-Object -ExpandProperty Evicted)' {
        $keys = Invoke-ResourceCleanup 0.3 | Select-Object -ExpandProperty Evicted | ForEach-Object LiteralPath
        $keys | Should -Be @('b', 'c', 'd')
    }

    It 'takes the monitor by name, object, and by property name from the pipeline' {
        $other = New-StateMonitor -Name other
        (Invoke-ResourceCleanup 0.6 -Monitor cleanup).Evicted.Key | Should -Be @('b')
        (Invoke-ResourceCleanup 0.4 -Monitor $monitor).Evicted.Key | Should -Be @('c')
        (Get-ResourceUsage cleanup | Invoke-ResourceCleanup 0.3).Evicted.Key | Should -Be @('d')
        $other.ValueCount | Should -Be 0
    }

    It 'evicts nothing with -WhatIf' {
        $state = Get-MonitorState $monitor
        Invoke-ResourceCleanup 0.3 -WhatIf | Should -BeNullOrEmpty
        Get-MonitorState $monitor | Should -Be $state
        (Get-ResourceUsage).TotalEvictions | Should -Be 0
        Get-ResourceAlert | Should -BeNullOrEmpty
    }

    It 'prints the plan with -WhatIf: the entries and bytes that would be evicted' {
        $result = Invoke-FreshPwsh {
            param($Manifest)
            Import-Module $Manifest
            $monitor = New-StateMonitor -Name plan -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 2KB -StreamChunkSize 1KB -AutoCleanup:$false)
            Add-Allocation a 1KB; Add-Allocation b 2KB; Add-Allocation c 1KB; Add-Allocation d 2KB; Add-Allocation e 1KB; Use-Allocation a
            Invoke-ResourceCleanup 0.3 -WhatIf
            Invoke-ResourceCleanup 0.9 -WhatIf
            Lock-Allocation b, c, d, e, a
            Invoke-ResourceCleanup 0.3 -WhatIf
            'size ' + $monitor.CurrentSize + ', evictions ' + (Get-ResourceUsage).TotalEvictions
        } -ArgumentList (Get-BuiltModuleManifest)
        $result.Output | Should -Be @(
            "What if: Evict 3 entries (5 KB) from state monitor 'plan', from 7 KB to 2 KB (target 30 % (3 KB)), least recently used first:"
            '  b (2 KB)'
            '  c (1 KB)'
            '  d (2 KB)'
            "What if: Evict nothing from state monitor 'plan': it holds 7 KB, already at or below the target 90 % (9 KB)."
            "What if: Evict nothing from state monitor 'plan': it holds 7 KB, over the target 30 % (3 KB), but 7 KB is pinned in 5 entries and nothing else can be evicted."
            'size 7168, evictions 0'
        )
    }

    It 'asks before evicting with -Confirm, so a non-interactive session evicts nothing' {
        $result = Invoke-FreshPwsh {
            param($Manifest)
            Import-Module $Manifest
            $monitor = New-StateMonitor -Name confirm -Limits (New-ResourceLimits -AutoCleanup:$false)
            Add-Allocation a 1MB; Add-Allocation b 1MB
            try { $null = Invoke-ResourceCleanup 0 -Confirm; 'cleaned' } catch { 'refused' }
            'entries ' + $monitor.ValueCount
            $null = Invoke-ResourceCleanup 0 -WarningAction SilentlyContinue
            'entries ' + $monitor.ValueCount
        } -ArgumentList (Get-BuiltModuleManifest)
        $result.Output | Should -Be @('refused', 'entries 2', 'entries 0')
    }

    It 'is ShouldProcess with medium impact and declares CleanupResult' {
        $command = Get-Command Invoke-ResourceCleanup
        $attribute = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.SupportsShouldProcess | Should -BeTrue
        $attribute.ConfirmImpact | Should -Be 'Medium'
        $command.OutputType.Name | Should -Be 'AgentFlow.Resources.CleanupResult'
    }

    It 'rejects -TargetPercentage <Value> with <ErrorId> and changes nothing' -TestCases @(
        @{ Value = -0.1; ErrorId = 'ParameterArgumentValidationError' }
        @{ Value = 1.01; ErrorId = 'ParameterArgumentValidationError' }
        @{ Value = [double]::NaN; ErrorId = 'ParameterArgumentValidationError' }
        @{ Value = 'half'; ErrorId = 'CannotConvertArgumentNoMessage' }
    ) {
        param($Value, $ErrorId)
        $state = Get-MonitorState $monitor
        $record = Get-ErrorRecord { Invoke-ResourceCleanup -TargetPercentage $Value }
        $record.FullyQualifiedErrorId | Should -Be "$ErrorId,$Commands.InvokeResourceCleanupCommand"
        Get-MonitorState $monitor | Should -Be $state
    }

    It 'writes NotSupportedByFastMonitor for a fast monitor, with the CleanupFailed warning and alert' {
        $fast = New-StateMonitor -Name fast -Fast
        Add-Allocation a 1KB
        $result = Invoke-ResourceCleanup 0 -ErrorVariable problems -WarningVariable warnings -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "NotSupportedByFastMonitor,$Commands.InvokeResourceCleanupCommand"
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $warnings.Message | Should -Be @('[fast] Fast monitors keep no per-key data, so they cannot clean up. Create the monitor without fast mode to use cleanup, LRU order and pins.')
        (Get-ResourceAlert).Type | Should -Be 'CleanupFailed'
        $fast.CurrentSize | Should -Be 1KB
    }

    It 'removes evicted file entries from disk through the pipeline (LiteralPath)' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'evict')
        foreach ($i in 1..4) { [System.IO.File]::WriteAllBytes((Join-Path $folder "f$i.bin"), [byte[]]::new(1KB)) }
        $null = New-StateMonitor -Name files -Limits (New-ResourceLimits -MaxStateSize 8KB -MaxValueSize 2KB -StreamChunkSize 1KB -AutoCleanup:$false)
        Get-ChildItem -LiteralPath $folder -File | Add-Allocation
        Use-Allocation (Join-Path $folder.FullName 'f1.bin')
        Invoke-ResourceCleanup 0.25 | Select-Object -ExpandProperty Evicted | Remove-Item
        (Get-ChildItem -LiteralPath $folder -File).Name | Should -Be @('f1.bin', 'f4.bin')
        @(Get-Allocation | ForEach-Object { Split-Path -Leaf $_.Key }) | Should -Be @('f4.bin', 'f1.bin')
    }
}
