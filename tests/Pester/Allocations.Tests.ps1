#Requires -Version 7.0
# Add-, Remove-, Get-, Use-, Lock-, Unlock-Allocation and Get-LruKey: parameters, sets, pipelines, outputs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModuleManifest)
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $Commands = 'AgentFlow.Resources.PowerShell.Commands'
    # Tests read warnings through -WarningVariable; keep the run's output readable.
    $WarningPreference = 'SilentlyContinue'
}

Describe 'Allocations' {
    BeforeEach {
        Reset-MonitorRegistry
        $monitor = New-StateMonitor -Name main
    }

    Describe 'Add-Allocation' {
        It 'records an allocation by position and writes nothing without -PassThru' {
            Add-Allocation data 1MB | Should -BeNullOrEmpty
            $monitor.CurrentSize | Should -Be 1MB
            $monitor.ValueCount | Should -Be 1
        }

        It 'returns the entry with -PassThru' {
            $entry = Add-Allocation -Key data -Size '1.5KB' -PassThru
            $entry | Should -BeOfType ([AgentFlow.Resources.AllocationEntry])
            $entry.MonitorName | Should -Be 'main'
            $entry.Key | Should -Be 'data'
            $entry.Size | Should -Be 1536
            $entry.ResidentSize | Should -Be 1536
            $entry.IsPinned | Should -BeFalse
            $entry.IsStreamed | Should -BeFalse
            $entry.LiteralPath | Should -Be 'data'
        }

        It 'replaces an existing key: new size, same count, most recently used' {
            Add-Allocation a 100
            Add-Allocation b 200
            Add-Allocation a 300
            $monitor.CurrentSize | Should -Be 500
            $monitor.ValueCount | Should -Be 2
            Get-Keys | Should -Be @('b', 'a')
        }

        It 'records a size of 0 as an entry' {
            Add-Allocation empty 0
            $monitor.ValueCount | Should -Be 1
            (Get-Allocation empty).Size | Should -Be 0
        }

        It 'treats keys as case-sensitive' {
            Add-Allocation Data 1
            Add-Allocation data 2
            $monitor.ValueCount | Should -Be 2
            (Get-Allocation Data).Size | Should -Be 1
        }

        It 'pins the entry with -Pin' {
            $entry = Add-Allocation keep 2KB -Pin -PassThru
            $entry.IsPinned | Should -BeTrue
            (Get-ResourceUsage).PinnedSize | Should -Be 2KB
        }

        It 'records into the monitor given with -Monitor (name or object), not the current one' {
            $other = New-StateMonitor -Name other
            Add-Allocation x 10 -Monitor main
            Add-Allocation y 20 -Monitor $monitor
            Add-Allocation z 30 -MonitorName MAIN
            $monitor.CurrentSize | Should -Be 60
            $other.CurrentSize | Should -Be 0
        }

        It 'binds Key and Size by property name from the pipeline (sizes as strings too)' {
            $objects = [pscustomobject]@{ Key = 'k1'; Size = '2KB' }, [pscustomobject]@{ Key = 'k2'; Size = 4096 }
            $entries = $objects | Add-Allocation -PassThru
            $entries.Key | Should -Be @('k1', 'k2')
            $entries.Size | Should -Be @(2048, 4096)
            $monitor.CurrentSize | Should -Be 6144
        }

        It 'binds Name and Length by property name from the pipeline' {
            [pscustomobject]@{ Name = 'n1'; Length = 7 } | Add-Allocation
            (Get-Allocation n1).Size | Should -Be 7
        }

        It 'records files from Get-ChildItem -File under their full path with their length' {
            $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'files')
            $sizes = @{ 'a.bin' = 100; 'b.bin' = 2000; 'c.log' = 0 }
            foreach ($name in $sizes.Keys) { [System.IO.File]::WriteAllBytes((Join-Path $folder $name), [byte[]]::new($sizes[$name])) }
            $entries = Get-ChildItem -LiteralPath $folder -File | Add-Allocation -PassThru
            $entries.Key | Should -Be @(
                (Join-Path $folder.FullName 'a.bin'), (Join-Path $folder.FullName 'b.bin'), (Join-Path $folder.FullName 'c.log'))
            $entries.Size | Should -Be @(100, 2000, 0)
            $monitor.CurrentSize | Should -Be 2100
            $monitor.ValueCount | Should -Be 3
        }

        It 'records a file given with -File' {
            $path = Join-Path $TestDrive 'single.bin'
            [System.IO.File]::WriteAllBytes($path, [byte[]]::new(321))
            $entry = Add-Allocation -File (Get-Item -LiteralPath $path) -PassThru
            $entry.Key | Should -Be (Get-Item -LiteralPath $path).FullName
            $entry.Size | Should -Be 321
        }

        It 'refuses directories piped in with InvalidAllocationArgument and records the files' {
            $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'mixed')
            $null = New-Item -ItemType Directory -Path (Join-Path $folder 'sub')
            [System.IO.File]::WriteAllBytes((Join-Path $folder 'z.bin'), [byte[]]::new(10))
            Get-ChildItem -LiteralPath $folder | Add-Allocation -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be "InvalidAllocationArgument,$Commands.AddAllocationCommand"
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $problems[0].Exception.Message | Should -BeLike "*sub' is a directory, which has no length to record*"
            Get-Keys | Should -Be @((Join-Path $folder.FullName 'z.bin'))
            $monitor.CurrentSize | Should -Be 10
        }

        It 'refuses -File for a file that does not exist' {
            $record = Get-ErrorRecord { Add-Allocation -File ([System.IO.FileInfo](Join-Path $TestDrive 'missing.bin')) }
            $record.FullyQualifiedErrorId | Should -Be "FileNotFound,$Commands.AddAllocationCommand"
            $monitor.ValueCount | Should -Be 0
        }

        It 'has the parameter sets ByFile (default, so file-system items bind -File first), ByKey, ByValue and ByDictionary' {
            $command = Get-Command Add-Allocation
            $command.ParameterSets.Name | Sort-Object | Should -Be @('ByDictionary', 'ByFile', 'ByKey', 'ByValue')
            $command.DefaultParameterSet | Should -Be 'ByFile'
            $command.Parameters['Key'].Aliases | Should -Be @('Name')
            $command.Parameters['Size'].Aliases | Should -Be @('Length')
            $command.Parameters['Monitor'].Aliases | Should -Be @('MonitorName')
        }

        It 'copies entries into another monitor: -Monitor on the command line wins over MonitorName' {
            Add-Allocation a 1
            Add-Allocation b 2
            $copy = New-StateMonitor -Name copy
            Get-Allocation -Monitor main | Add-Allocation -Monitor copy
            $copy.CurrentSize | Should -Be 3
            $monitor.CurrentSize | Should -Be 3
        }

        It 'writes a <ErrorId> error and the LimitExceeded warning, and changes nothing' -TestCases @(
            @{ ErrorId = 'ValueSizeLimitExceeded'; Limits = @{ MaxStateSize = 10KB; MaxValueSize = 2KB; StreamChunkSize = 1KB }; Size = 3KB; Resource = 'ValueSize'; Current = 3072; Limit = 2048 }
            @{ ErrorId = 'StateSizeLimitExceeded'; Limits = @{ MaxStateSize = 10KB; MaxValueSize = 8KB; StreamChunkSize = 1KB; AutoCleanup = $false }; Size = 7KB; Resource = 'StateSize'; Current = 11264; Limit = 10240 }
            @{ ErrorId = 'CacheEntriesLimitExceeded'; Limits = @{ MaxCacheEntries = 2; AutoCleanup = $false }; Size = 1; Resource = 'CacheEntries'; Current = 3; Limit = 2 }
        ) {
            param($ErrorId, $Limits, $Size, $Resource, $Current, $Limit)
            $limited = New-StateMonitor -Name limited -Limits (New-ResourceLimits @Limits)
            Add-Allocation first 2KB -WarningAction SilentlyContinue
            Add-Allocation second 2KB -WarningAction SilentlyContinue
            $state = Get-MonitorState $limited
            $null = Get-ResourceAlert
            Add-Allocation third $Size -ErrorVariable problems -WarningVariable warnings -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$Commands.AddAllocationCommand"
            $problems[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
            $problems[0].TargetObject | Should -Be 'third'
            $warnings.Count | Should -Be 1
            $warnings[0].Message | Should -BeLike "``[limited``] $Resource limit exceeded by 'third'*"
            $alert = Get-ResourceAlert
            $alert.Type | Should -Be 'LimitExceeded'
            $alert.Resource | Should -Be $Resource
            $alert.Current | Should -Be $Current
            $alert.Limit | Should -Be $Limit
            Get-MonitorState $limited | Should -Be $state
            (Get-ResourceUsage).RejectedAllocations | Should -Be 1
        }

        It 'goes on with the next piped object after a rejection' {
            $null = New-StateMonitor -Name small -Limits (New-ResourceLimits -MaxStateSize 4KB -MaxValueSize 1KB -StreamChunkSize 1KB)
            $objects = @{ Key = 'a'; Size = 512 }, @{ Key = 'b'; Size = 2KB }, @{ Key = 'c'; Size = 256 } | ForEach-Object { [pscustomobject]$_ }
            $objects | Add-Allocation -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            Get-Keys | Should -Be @('a', 'c')
            $problems.Count | Should -Be 1
            $problems[0].TargetObject | Should -Be 'b'
        }

        It 'stops at a rejection with -ErrorAction Stop, catchable with try/catch' {
            $null = New-StateMonitor -Name strict -Limits (New-ResourceLimits -MaxStateSize 4KB -MaxValueSize 1KB -StreamChunkSize 1KB)
            $caught = $null
            try { Add-Allocation big 2KB -ErrorAction Stop -WarningAction SilentlyContinue; $caught = 'not stopped' }
            catch { $caught = $_.FullyQualifiedErrorId }
            $caught | Should -Be "ValueSizeLimitExceeded,$Commands.AddAllocationCommand"
        }

        It 'admits a value over MaxValueSize as a streamed entry when streaming is on' {
            $null = New-StateMonitor -Name streaming -Limits (New-ResourceLimits -MaxStateSize 10MB -MaxValueSize 2MB -StreamChunkSize 512KB -EnableStreaming)
            $entry = Add-Allocation video 6MB -PassThru
            $entry.IsStreamed | Should -BeTrue
            $entry.Size | Should -Be 6MB
            $entry.ResidentSize | Should -Be 512KB
            (Get-ResourceUsage).CurrentSize | Should -Be 512KB
            (Get-ResourceUsage).StreamedBytes | Should -Be 6MB
        }

        It 'records into a fast monitor and returns a computed entry with -PassThru' {
            $null = New-StateMonitor -Name fast -Fast
            $entry = Add-Allocation a 1KB -PassThru
            Add-Allocation a 1KB
            $entry.Key | Should -Be 'a'
            $entry.Size | Should -Be 1KB
            $entry.MonitorName | Should -Be 'fast'
            (Get-ResourceUsage).CurrentSize | Should -Be 2KB
            (Get-ResourceUsage).ValueCount | Should -Be 2
        }

        It 'declares AllocationEntry as output type' {
            (Get-Command Add-Allocation).OutputType.Name | Should -Be 'AgentFlow.Resources.AllocationEntry'
        }
    }

    Describe 'Remove-Allocation' {
        BeforeEach {
            'a', 'b', 'c', 'd' | ForEach-Object { Add-Allocation $_ 1KB }
        }

        It 'removes keys given by position, several at once, writing nothing' {
            Remove-Allocation a, c | Should -BeNullOrEmpty
            Get-Keys | Should -Be @('b', 'd')
            $monitor.CurrentSize | Should -Be 2KB
        }

        It 'returns the removed entries with -PassThru' {
            $removed = Remove-Allocation b -PassThru
            $removed | Should -BeOfType ([AgentFlow.Resources.AllocationEntry])
            $removed.Key | Should -Be 'b'
            $removed.Size | Should -Be 1KB
        }

        It 'removes keys piped as strings (Get-LruKey | Remove-Allocation)' {
            Get-LruKey 2 | Remove-Allocation
            Get-Keys | Should -Be @('c', 'd')
        }

        It 'removes entries piped from Get-Allocation, from the monitor they came from' {
            $other = New-StateMonitor -Name other
            Add-Allocation a 5
            Get-Allocation -Monitor main -Key a, b | Remove-Allocation
            @(Get-Allocation -Monitor main | ForEach-Object Key) | Should -Be @('c', 'd')
            $other.ValueCount | Should -Be 1
        }

        It 'writes AllocationNotFound for an unknown key and removes the others' {
            Remove-Allocation a, nope, C, d -ErrorVariable problems -ErrorAction SilentlyContinue
            Get-Keys | Should -Be @('b', 'c')
            $problems.FullyQualifiedErrorId | Should -Be @("AllocationNotFound,$Commands.RemoveAllocationCommand", "AllocationNotFound,$Commands.RemoveAllocationCommand")
            $problems.TargetObject | Should -Be @('nope', 'C')
            $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'removes nothing with -WhatIf' {
            $state = Get-MonitorState $monitor
            Remove-Allocation a, b -WhatIf
            Get-Allocation | Remove-Allocation -WhatIf
            Get-MonitorState $monitor | Should -Be $state
        }

        It 'ignores -Size on a detailed monitor (it knows the size)' {
            Remove-Allocation a -Size 999 -PassThru | ForEach-Object Size | Should -Be 1KB
            $monitor.CurrentSize | Should -Be 3KB
        }

        It 'needs -Size on a fast monitor (SizeRequiredForFastMonitor) and subtracts it' {
            $fast = New-StateMonitor -Name fast -Fast
            Add-Allocation x 3KB
            Add-Allocation y 1KB
            $record = Get-ErrorRecord { Remove-Allocation x }
            $record.FullyQualifiedErrorId | Should -Be "SizeRequiredForFastMonitor,$Commands.RemoveAllocationCommand"
            $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $fast.CurrentSize | Should -Be 4KB
            $removed = Remove-Allocation x -Size 3KB -PassThru
            $removed.Size | Should -Be 3KB
            $removed.ResidentSize | Should -Be 3KB
            $fast.CurrentSize | Should -Be 1KB
            $fast.ValueCount | Should -Be 1
            [pscustomobject]@{ Key = 'y'; Size = '1KB' } | Remove-Allocation
            $fast.CurrentSize | Should -Be 0
        }

        It 'refuses a fast-monitor deallocation below zero with InvalidAllocationArgument' {
            $fast = New-StateMonitor -Name fast -Fast
            Add-Allocation x 1KB
            $record = Get-ErrorRecord { Remove-Allocation x -Size 2KB }
            $record.FullyQualifiedErrorId | Should -Be "InvalidAllocationArgument,$Commands.RemoveAllocationCommand"
            $fast.CurrentSize | Should -Be 1KB
            $fast.ValueCount | Should -Be 1
        }

        It 'is ShouldProcess with medium impact' {
            $attribute = (Get-Command Remove-Allocation).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            $attribute.SupportsShouldProcess | Should -BeTrue
            $attribute.ConfirmImpact | Should -Be 'Medium'
        }
    }

    Describe 'Get-Allocation' {
        BeforeEach {
            'log-1', 'data-1', 'log-2', 'Data-2', 'data-3' | ForEach-Object { Add-Allocation $_ 1KB }
            Lock-Allocation log-2
            Use-Allocation log-1
        }

        It 'returns every entry, least recently used first' {
            $entries = Get-Allocation
            $entries | Should -BeOfType ([AgentFlow.Resources.AllocationEntry])
            $entries.Key | Should -Be @('data-1', 'log-2', 'Data-2', 'data-3', 'log-1')
        }

        It 'selects keys and case-sensitive wildcards, keeping LRU order' {
            Get-Keys -Key data-3, log-1 | Should -Be @('data-3', 'log-1')
            Get-Keys 'data-*' | Should -Be @('data-1', 'data-3')
            Get-Keys '[dD]ata-*' | Should -Be @('data-1', 'Data-2', 'data-3')
            # Keys from the pipeline are keys, not patterns (Get-LruKey | Get-Allocation must find 'b[1].bin').
            @('log-1', 'data-1' | Get-Allocation | ForEach-Object Key) | Should -Be @('log-1', 'data-1')
            @('log-*' | Get-Allocation -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
        }

        It 'writes AllocationNotFound for a key without wildcards that matches nothing' {
            $found = Get-Allocation 'DATA-1', 'data-1', 'none*' -ErrorVariable problems -ErrorAction SilentlyContinue
            $found.Key | Should -Be 'data-1'
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be "AllocationNotFound,$Commands.GetAllocationCommand"
        }

        It 'returns the N least recently used with -Oldest, and only pinned ones with -Pinned' {
            Get-Keys -Oldest 2 | Should -Be @('data-1', 'log-2')
            Get-Keys -Pinned | Should -Be @('log-2')
            Get-Keys 'data*' -Oldest 1 | Should -Be @('data-1')
        }

        It 'rejects -Oldest <Value>' -TestCases @(@{ Value = 0 }, @{ Value = -1 }) {
            param($Value)
            (Get-ErrorRecord { Get-Allocation -Oldest $Value }).FullyQualifiedErrorId | Should -Be "ParameterArgumentValidationError,$Commands.GetAllocationCommand"
        }

        It 'writes NotSupportedByFastMonitor for a fast monitor' {
            $null = New-StateMonitor -Name fast -Fast
            Add-Allocation x 1
            $record = Get-ErrorRecord { Get-Allocation }
            $record.FullyQualifiedErrorId | Should -Be "NotSupportedByFastMonitor,$Commands.GetAllocationCommand"
            $record.CategoryInfo.Category | Should -Be 'InvalidOperation'
        }
    }

    Describe 'Get-LruKey' {
        BeforeEach {
            1..12 | ForEach-Object { Add-Allocation "k$_" 1 }
        }

        It 'returns 10 keys by default, least recently used first, as strings' {
            $keys = Get-LruKey
            $keys.Count | Should -Be 10
            $keys[0] | Should -BeOfType ([string])
            $keys | Should -Be @(1..10 | ForEach-Object { "k$_" })
        }

        It 'returns -Count keys (pinned ones included) and all of them when fewer exist' {
            Lock-Allocation k1
            Use-Allocation k2
            Get-LruKey 3 | Should -Be @('k1', 'k3', 'k4')
            (Get-LruKey -Count 100).Count | Should -Be 12
            Get-LruKey 0 | Should -BeNullOrEmpty
        }

        It 'rejects a negative -Count' {
            (Get-ErrorRecord { Get-LruKey -1 }).FullyQualifiedErrorId | Should -Be "ParameterArgumentValidationError,$Commands.GetLruKeyCommand"
        }

        It 'writes NotSupportedByFastMonitor for a fast monitor' {
            $null = New-StateMonitor -Name fast -Fast
            (Get-ErrorRecord { Get-LruKey }).FullyQualifiedErrorId | Should -Be "NotSupportedByFastMonitor,$Commands.GetLruKeyCommand"
        }
    }

    Describe 'Use-, Lock- and Unlock-Allocation' {
        BeforeEach {
            'a', 'b', 'c' | ForEach-Object { Add-Allocation $_ 1KB }
        }

        It 'Use-Allocation makes keys the most recently used, in the order given' {
            Use-Allocation a | Should -BeNullOrEmpty
            Get-Keys | Should -Be @('b', 'c', 'a')
            'c', 'b' | Use-Allocation
            Get-Keys | Should -Be @('a', 'c', 'b')
        }

        It 'Lock-Allocation pins and Unlock-Allocation unpins, keeping LRU order' {
            Lock-Allocation a, b
            (Get-ResourceUsage).PinnedCount | Should -Be 2
            (Get-ResourceUsage).PinnedSize | Should -Be 2KB
            Get-Keys -Pinned | Should -Be @('a', 'b')
            Get-Allocation b | Unlock-Allocation
            Get-Keys -Pinned | Should -Be @('a')
            Get-Keys | Should -Be @('a', 'b', 'c')
        }

        It '<Command> returns the entries with -PassThru' -TestCases @(
            @{ Command = 'Use-Allocation'; Pinned = $false }
            @{ Command = 'Lock-Allocation'; Pinned = $true }
            @{ Command = 'Unlock-Allocation'; Pinned = $false }
        ) {
            param($Command, $Pinned)
            $entries = & $Command b, c -PassThru
            $entries.Key | Should -Be @('b', 'c')
            $entries.IsPinned | Should -Be @($Pinned, $Pinned)
            $entries[0] | Should -BeOfType ([AgentFlow.Resources.AllocationEntry])
        }

        It '<Command> writes AllocationNotFound for an unknown key and acts on the others' -TestCases @(
            @{ Command = 'Use-Allocation'; Class = 'UseAllocationCommand' }
            @{ Command = 'Lock-Allocation'; Class = 'LockAllocationCommand' }
            @{ Command = 'Unlock-Allocation'; Class = 'UnlockAllocationCommand' }
        ) {
            param($Command, $Class)
            $entries = & $Command 'A', 'b' -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue
            $entries.Key | Should -Be 'b'
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be "AllocationNotFound,$Commands.$Class"
            $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $problems[0].TargetObject | Should -Be 'A'
        }

        It '<Command> writes NotSupportedByFastMonitor for a fast monitor' -TestCases @(
            @{ Command = 'Use-Allocation'; Class = 'UseAllocationCommand' }
            @{ Command = 'Lock-Allocation'; Class = 'LockAllocationCommand' }
            @{ Command = 'Unlock-Allocation'; Class = 'UnlockAllocationCommand' }
        ) {
            param($Command, $Class)
            $fast = New-StateMonitor -Name fast -Fast
            Add-Allocation a 1
            $record = Get-ErrorRecord { & $Command a }
            $record.FullyQualifiedErrorId | Should -Be "NotSupportedByFastMonitor,$Commands.$Class"
            $record.CategoryInfo.Category | Should -Be 'InvalidOperation'
            $record.Exception.Message | Should -BeLike "Monitor 'fast' is a fast monitor*"
        }

        It 'Add-Allocation -Pin on a fast monitor writes NotSupportedByFastMonitor and records nothing' {
            $fast = New-StateMonitor -Name fast -Fast
            (Get-ErrorRecord { Add-Allocation a 1 -Pin }).FullyQualifiedErrorId | Should -Be "NotSupportedByFastMonitor,$Commands.AddAllocationCommand"
            $fast.ValueCount | Should -Be 0
        }

        It 'pinned entries survive automatic cleanup' {
            $null = New-StateMonitor -Name pins -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 2KB -StreamChunkSize 1KB)
            1..3 | ForEach-Object { Add-Allocation "p$_" 2KB }
            Lock-Allocation p1
            Add-Allocation p4 2KB -WarningAction SilentlyContinue
            Get-Keys | Should -Be @('p1', 'p3', 'p4')
        }
    }
}
