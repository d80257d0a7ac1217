#Requires -Version 7.0
# Bad input for every parameter: the exact ErrorId (FullyQualifiedErrorId = '<Id>,<cmdlet class>'), the category,
# and proof that no monitor changed.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModuleManifest)
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $WarningPreference = 'SilentlyContinue'
}

Describe 'Errors' {
    BeforeEach {
        Reset-MonitorRegistry
        # 'fast' first, so that 'target' (7 KB in a, b pinned, c; no automatic cleanup) is the current monitor.
        $fast = New-StateMonitor -Name fast -Fast -Limits (New-ResourceLimits -MaxStateSize 4KB -MaxValueSize 2KB -MaxCacheEntries 3 -StreamChunkSize 1KB)
        Add-Allocation f1 1KB -Monitor fast
        $target = New-StateMonitor -Name target -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 4KB -MaxCacheEntries 3 -StreamChunkSize 1KB -AutoCleanup:$false)
        Add-Allocation a 1KB
        Add-Allocation b 2KB -Pin
        Add-Allocation c 4KB
        $before = (Get-MonitorState $target), (Get-MonitorState $fast)
    }

    AfterEach {
        (Get-MonitorState $target), (Get-MonitorState $fast) | Should -Be $before
        Get-StateMonitor -Current | Should -Be $target
    }

    It '<Case>: <ErrorId> (<Category>)' -TestCases @(
        # Sizes: anything but a non-negative number or size string fails binding, listing the accepted forms.
        @{ Case = 'unknown unit'; Script = { Add-Allocation x '1.5 XB' }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'unit without number'; Script = { Add-Allocation x 'MB' }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'decimal comma'; Script = { Add-Allocation x '1,5MB' }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'words'; Script = { Add-Allocation x 'a few bytes' }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'negative number'; Script = { Add-Allocation x -1 }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'negative size string'; Script = { Add-Allocation x '-1KB' }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'NaN size'; Script = { Add-Allocation x ([double]::NaN) }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'infinite size'; Script = { Add-Allocation x ([double]::NegativeInfinity) }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'null size'; Script = { Add-Allocation x $null }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'array size'; Script = { Add-Allocation x @(1, 2) }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'date as size'; Script = { Add-Allocation x (Get-Date) }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'too large size'; Script = { Add-Allocation x '8192PB' }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'piped bad size'; Script = { [pscustomobject]@{ Key = 'x'; Size = '12 parsecs' } | Add-Allocation }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'piped negative size'; Script = { [pscustomobject]@{ Name = 'x'; Length = -4 } | Add-Allocation }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'bad -Size of Remove-Allocation'; Script = { Remove-Allocation f1 -Size 'lots' -Monitor fast }; Command = 'Remove-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        # Keys.
        @{ Case = 'empty key (add)'; Script = { Add-Allocation '' 1 }; Command = 'Add-Allocation'; ErrorId = 'InvalidAllocationArgument'; Category = 'InvalidArgument' }
        @{ Case = 'empty key (remove)'; Script = { Remove-Allocation '' }; Command = 'Remove-Allocation'; ErrorId = 'InvalidAllocationArgument'; Category = 'InvalidArgument' }
        @{ Case = 'empty key (use)'; Script = { Use-Allocation '' }; Command = 'Use-Allocation'; ErrorId = 'InvalidAllocationArgument'; Category = 'InvalidArgument' }
        @{ Case = 'empty key (lock)'; Script = { Lock-Allocation '' }; Command = 'Lock-Allocation'; ErrorId = 'InvalidAllocationArgument'; Category = 'InvalidArgument' }
        @{ Case = 'empty key (unlock)'; Script = { Unlock-Allocation '' }; Command = 'Unlock-Allocation'; ErrorId = 'InvalidAllocationArgument'; Category = 'InvalidArgument' }
        @{ Case = 'empty key (fast remove)'; Script = { Remove-Allocation '' -Size 1 -Monitor fast }; Command = 'Remove-Allocation'; ErrorId = 'InvalidAllocationArgument'; Category = 'InvalidArgument' }
        @{ Case = 'null key'; Script = { Add-Allocation $null 1 }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentValidationErrorNullNotAllowed'; Category = 'InvalidData' }
        @{ Case = 'unknown key (remove)'; Script = { Remove-Allocation A }; Command = 'Remove-Allocation'; ErrorId = 'AllocationNotFound'; Category = 'ObjectNotFound' }
        @{ Case = 'unknown key (use)'; Script = { Use-Allocation nope }; Command = 'Use-Allocation'; ErrorId = 'AllocationNotFound'; Category = 'ObjectNotFound' }
        @{ Case = 'unknown key (lock)'; Script = { Lock-Allocation nope }; Command = 'Lock-Allocation'; ErrorId = 'AllocationNotFound'; Category = 'ObjectNotFound' }
        @{ Case = 'unknown key (unlock)'; Script = { Unlock-Allocation nope }; Command = 'Unlock-Allocation'; ErrorId = 'AllocationNotFound'; Category = 'ObjectNotFound' }
        @{ Case = 'unknown key (get)'; Script = { Get-Allocation nope }; Command = 'Get-Allocation'; ErrorId = 'AllocationNotFound'; Category = 'ObjectNotFound' }
        # Monitors.
        @{ Case = 'unknown monitor name'; Script = { Add-Allocation x 1 -Monitor nosuch }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'number as monitor'; Script = { Get-Allocation -Monitor 42 }; Command = 'Get-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'null monitor'; Script = { Get-LruKey -Monitor $null }; Command = 'Get-LruKey'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData' }
        @{ Case = 'piped unknown monitor name'; Script = { [pscustomobject]@{ Key = 'x'; Size = 1; MonitorName = 'gone' } | Add-Allocation }; Command = 'Add-Allocation'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'unknown monitor for cleanup'; Script = { Invoke-ResourceCleanup 0 -Monitor nosuch }; Command = 'Invoke-ResourceCleanup'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'unknown monitor for reset'; Script = { Reset-StateMonitor nosuch -Confirm:$false }; Command = 'Reset-StateMonitor'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'unknown monitor for removal'; Script = { Remove-StateMonitor nosuch -Confirm:$false }; Command = 'Remove-StateMonitor'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'unknown monitor to select'; Script = { Select-StateMonitor nosuch }; Command = 'Select-StateMonitor'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
        @{ Case = 'unknown monitor to get'; Script = { Get-StateMonitor nosuch }; Command = 'Get-StateMonitor'; ErrorId = 'MonitorNotFound'; Category = 'ObjectNotFound' }
        @{ Case = 'name in use'; Script = { New-StateMonitor -Name TARGET }; Command = 'New-StateMonitor'; ErrorId = 'MonitorNameInUse'; Category = 'ResourceExists' }
        @{ Case = 'wildcard in new name'; Script = { New-StateMonitor -Name 'tar*' }; Command = 'New-StateMonitor'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData' }
        @{ Case = 'invalid limits for a monitor'; Script = { New-StateMonitor -Name bad -Limits ([AgentFlow.Resources.ResourceLimits]::Builder().CleanupThreshold(0).Build()) }; Command = 'New-StateMonitor'; ErrorId = 'InvalidResourceLimits'; Category = 'InvalidArgument' }
        @{ Case = 'MaxAlerts 0'; Script = { New-StateMonitor -Name bad -MaxAlerts 0 }; Command = 'New-StateMonitor'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData' }
        # Limits of the detailed monitor.
        @{ Case = 'value over MaxValueSize'; Script = { Add-Allocation d 5KB }; Command = 'Add-Allocation'; ErrorId = 'ValueSizeLimitExceeded'; Category = 'LimitsExceeded' }
        @{ Case = 'state over MaxStateSize'; Script = { Add-Allocation d 4KB }; Command = 'Add-Allocation'; ErrorId = 'StateSizeLimitExceeded'; Category = 'LimitsExceeded' }
        @{ Case = 'entries over MaxCacheEntries'; Script = { Add-Allocation d 1 }; Command = 'Add-Allocation'; ErrorId = 'CacheEntriesLimitExceeded'; Category = 'LimitsExceeded' }
        # Fast monitors.
        @{ Case = 'fast: value over MaxValueSize'; Script = { Add-Allocation f2 3KB -Monitor fast }; Command = 'Add-Allocation'; ErrorId = 'ValueSizeLimitExceeded'; Category = 'LimitsExceeded' }
        @{ Case = 'fast: state over MaxStateSize'; Script = { Add-Allocation f2 2KB -Monitor fast; Add-Allocation f3 2KB -Monitor fast }; Command = 'Add-Allocation'; ErrorId = 'StateSizeLimitExceeded'; Category = 'LimitsExceeded'; FastGrowsBy = 2KB }
        @{ Case = 'fast: entries over MaxCacheEntries'; Script = { Add-Allocation f2 1 -Monitor fast; Add-Allocation f3 1 -Monitor fast; Add-Allocation f4 1 -Monitor fast }; Command = 'Add-Allocation'; ErrorId = 'CacheEntriesLimitExceeded'; Category = 'LimitsExceeded'; FastGrowsBy = 2 }
        @{ Case = 'fast: pin on add'; Script = { Add-Allocation f2 1 -Pin -Monitor fast }; Command = 'Add-Allocation'; ErrorId = 'NotSupportedByFastMonitor'; Category = 'InvalidOperation' }
        @{ Case = 'fast: use'; Script = { Use-Allocation f1 -Monitor fast }; Command = 'Use-Allocation'; ErrorId = 'NotSupportedByFastMonitor'; Category = 'InvalidOperation' }
        @{ Case = 'fast: lock'; Script = { Lock-Allocation f1 -Monitor fast }; Command = 'Lock-Allocation'; ErrorId = 'NotSupportedByFastMonitor'; Category = 'InvalidOperation' }
        @{ Case = 'fast: unlock'; Script = { Unlock-Allocation f1 -Monitor fast }; Command = 'Unlock-Allocation'; ErrorId = 'NotSupportedByFastMonitor'; Category = 'InvalidOperation' }
        @{ Case = 'fast: LRU keys'; Script = { Get-LruKey -Monitor fast }; Command = 'Get-LruKey'; ErrorId = 'NotSupportedByFastMonitor'; Category = 'InvalidOperation' }
        @{ Case = 'fast: list entries'; Script = { Get-Allocation -Monitor fast }; Command = 'Get-Allocation'; ErrorId = 'NotSupportedByFastMonitor'; Category = 'InvalidOperation' }
        @{ Case = 'fast: cleanup'; Script = { Invoke-ResourceCleanup 0.5 -Monitor fast }; Command = 'Invoke-ResourceCleanup'; ErrorId = 'NotSupportedByFastMonitor'; Category = 'InvalidOperation' }
        @{ Case = 'fast: cleanup -WhatIf'; Script = { Invoke-ResourceCleanup 0.5 -Monitor fast -WhatIf }; Command = 'Invoke-ResourceCleanup'; ErrorId = 'NotSupportedByFastMonitor'; Category = 'InvalidOperation' }
        @{ Case = 'fast: remove without -Size'; Script = { Remove-Allocation f1 -Monitor fast }; Command = 'Remove-Allocation'; ErrorId = 'SizeRequiredForFastMonitor'; Category = 'InvalidArgument' }
        @{ Case = 'fast: remove below zero'; Script = { Remove-Allocation f1 -Size 2KB -Monitor fast }; Command = 'Remove-Allocation'; ErrorId = 'InvalidAllocationArgument'; Category = 'InvalidArgument' }
        # Other parameters.
        @{ Case = 'cleanup target below 0'; Script = { Invoke-ResourceCleanup -0.5 }; Command = 'Invoke-ResourceCleanup'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData' }
        @{ Case = 'cleanup target NaN'; Script = { Invoke-ResourceCleanup ([double]::NaN) }; Command = 'Invoke-ResourceCleanup'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData' }
        @{ Case = 'cleanup target as percent'; Script = { Invoke-ResourceCleanup 50 }; Command = 'Invoke-ResourceCleanup'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData' }
        @{ Case = 'LRU count negative'; Script = { Get-LruKey -5 }; Command = 'Get-LruKey'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData' }
        @{ Case = 'LRU count not a number'; Script = { Get-LruKey ten }; Command = 'Get-LruKey'; ErrorId = 'CannotConvertArgumentNoMessage'; Category = 'InvalidArgument' }
        @{ Case = 'oldest 0'; Script = { Get-Allocation -Oldest 0 }; Command = 'Get-Allocation'; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData' }
        @{ Case = 'unknown alert type'; Script = { Get-ResourceAlert -Type Meltdown }; Command = 'Get-ResourceAlert'; ErrorId = 'CannotConvertArgumentNoMessage'; Category = 'InvalidArgument' }
        @{ Case = 'unknown preset'; Script = { New-StateMonitor -Name p -Preset Gigantic }; Command = 'New-StateMonitor'; ErrorId = 'CannotConvertArgumentNoMessage'; Category = 'InvalidArgument' }
        @{ Case = 'invalid limit values'; Script = { New-ResourceLimits -CleanupThreshold 0.5 -CleanupTarget 0.6 }; Command = 'New-ResourceLimits'; ErrorId = 'InvalidResourceLimits'; Category = 'InvalidArgument' }
        @{ Case = 'bad limit size'; Script = { New-ResourceLimits -StreamChunkSize '-5' }; Command = 'New-ResourceLimits'; ErrorId = 'ParameterArgumentTransformationError'; Category = 'InvalidData' }
    ) {
        param($Case, $Script, $Command, $ErrorId, $Category, $FastGrowsBy)
        $record = Get-ErrorRecord $Script
        $record.FullyQualifiedErrorId | Should -Be "$ErrorId,$(Get-CommandClass $Command)"
        $record.CategoryInfo.Category | Should -Be $Category
        if ($ErrorId -eq 'ParameterArgumentTransformationError' -and $Case -notmatch 'monitor') {
            $record.Exception.Message | Should -BeLike "*$([AgentFlow.Resources.ByteSize]::AcceptedForms)*"
        }
        if ($FastGrowsBy) {
            # The allocations before the rejected one were admitted; take them back so the fast monitor is as before.
            $counts = $Case -match 'entries'
            $keys = 'f2', 'f3' | Select-Object -First ($(if ($counts) { 2 } else { 1 }))
            foreach ($key in $keys) { Remove-Allocation $key -Size $(if ($counts) { 1 } else { 2KB }) -Monitor fast }
        }
    }

    It 'a rejected allocation of an existing key keeps its old size' {
        $record = Get-ErrorRecord { Add-Allocation a 5KB }
        $record.FullyQualifiedErrorId | Should -Be "ValueSizeLimitExceeded,$(Get-CommandClass Add-Allocation)"
        (Get-Allocation a).Size | Should -Be 1KB
    }

    It 'explains unknown monitor names: run Get-StateMonitor or New-StateMonitor' {
        $record = Get-ErrorRecord { Get-ResourceUsage -Monitor Nope }
        $record.Exception.Message | Should -BeLike "*No state monitor named 'Nope' is registered. Run Get-StateMonitor to list the monitors, or New-StateMonitor -Name 'Nope' to create one.*"
    }

    It 'gives limit errors a recommended action' {
        $record = Get-ErrorRecord { Add-Allocation d 5KB }
        $record.ErrorDetails.RecommendedAction | Should -BeLike '*-EnableStreaming*'
        $record.Exception.Message | Should -Be "Cannot record 'd' (5 KB) in monitor 'target': the value is larger than MaxValueSize (4 KB). Nothing was changed."
    }
}

Describe 'NoCurrentMonitor' {
    BeforeAll {
        Reset-MonitorRegistry
        $detached = [AgentFlow.Resources.StateMonitor]::new([AgentFlow.Resources.ResourceLimits]::Default)
    }

    It '<Command> without -Monitor and without a current monitor throws the terminating NoCurrentMonitor' -TestCases @(
        @{ Command = 'Add-Allocation'; Script = { Add-Allocation k 1 -ErrorAction SilentlyContinue } }
        @{ Command = 'Remove-Allocation'; Script = { Remove-Allocation k -Confirm:$false -ErrorAction SilentlyContinue } }
        @{ Command = 'Get-Allocation'; Script = { Get-Allocation -ErrorAction SilentlyContinue } }
        @{ Command = 'Get-LruKey'; Script = { Get-LruKey -ErrorAction SilentlyContinue } }
        @{ Command = 'Use-Allocation'; Script = { Use-Allocation k -ErrorAction SilentlyContinue } }
        @{ Command = 'Lock-Allocation'; Script = { Lock-Allocation k -ErrorAction SilentlyContinue } }
        @{ Command = 'Unlock-Allocation'; Script = { Unlock-Allocation k -ErrorAction SilentlyContinue } }
        @{ Command = 'Get-ResourceUsage'; Script = { Get-ResourceUsage -ErrorAction SilentlyContinue } }
        @{ Command = 'Invoke-ResourceCleanup'; Script = { Invoke-ResourceCleanup 0.5 -Confirm:$false -ErrorAction SilentlyContinue } }
        @{ Command = 'Get-ResourceAlert'; Script = { Get-ResourceAlert -ErrorAction SilentlyContinue } }
        @{ Command = 'Clear-ResourceAlert'; Script = { Clear-ResourceAlert -Confirm:$false -ErrorAction SilentlyContinue } }
        @{ Command = 'Reset-StateMonitor'; Script = { Reset-StateMonitor -Confirm:$false -ErrorAction SilentlyContinue } }
    ) {
        param($Command, $Script)
        Get-StateMonitor -Current | Should -BeNullOrEmpty
        # -ErrorAction SilentlyContinue in each script: a terminating error stops the command all the same.
        $record = Get-ErrorRecord $Script
        $record.FullyQualifiedErrorId | Should -Be "NoCurrentMonitor,$(Get-CommandClass $Command)"
        $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $record.Exception.Message | Should -Be 'There is no current state monitor in this runspace. Run New-StateMonitor (or Select-StateMonitor) first, or pass -Monitor <name>.'
    }

    It 'still works with a monitor object that was never registered' {
        Add-Allocation k 5 -Monitor $detached
        $detached.CurrentSize | Should -Be 5
    }
}
