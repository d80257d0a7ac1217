#Requires -Version 7.0
# The design document driven end to end through the cmdlets: the Quick Start, the four usage
# examples, the four configuration profiles and the four troubleshooting cases, with exact outcomes.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModuleManifest)
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $Commands = 'AgentFlow.Resources.PowerShell.Commands'
    $WarningPreference = 'SilentlyContinue'
}

Describe 'Seed scenarios' {
    BeforeEach {
        Reset-MonitorRegistry
    }

    Describe 'Quick Start' {
        It 'basic usage: default limits, 1 MB tracked, 1.0 % used, no cleanup due' {
            $limits = New-ResourceLimits
            $monitor = New-StateMonitor -Limits $limits
            Add-Allocation -Key data -Size 1MB
            $stats = Get-ResourceUsage
            ('Memory usage: {0:N1}%' -f ($stats.UsagePercentage * 100)) | Should -Be 'Memory usage: 1.0%'
            $stats.CurrentSize | Should -Be 1048576
            $stats.ValueCount | Should -Be 1
            $stats.ShouldCleanup | Should -BeFalse
            $cleaned = if ($stats.ShouldCleanup) { Invoke-ResourceCleanup 0.5 }
            $cleaned | Should -BeNullOrEmpty
            $monitor.ValueCount | Should -Be 1
        }

        It 'cleans up when it is due: to 50 %, reporting freed bytes and removed entries' {
            # Automatic cleanup would never let usage stay at the threshold, so it is off here.
            $null = New-StateMonitor -Limits (New-ResourceLimits -AutoCleanup:$false)
            1..85 | ForEach-Object { Add-Allocation "step$_" 1MB }
            $stats = Get-ResourceUsage
            $stats.ShouldCleanup | Should -BeTrue
            $result = Invoke-ResourceCleanup 0.5
            ('Freed {0} bytes, removed {1} entries' -f $result.BytesFreed, $result.EntriesRemoved) | Should -Be 'Freed 36700160 bytes, removed 35 entries'
            $result.Evicted[0].Key | Should -Be 'step1'
            $result.Evicted[-1].Key | Should -Be 'step35'
            (Get-ResourceUsage).CurrentSize | Should -Be 50MB
        }

        It 'custom configuration: 50 MB, 5 MB values, 500 entries, cleanup at 75 %, automatic, streaming' {
            $limits = New-ResourceLimits -MaxStateSize 50MB -MaxValueSize 5MB -MaxCacheEntries 500 -CleanupThreshold 0.75 -AutoCleanup -EnableStreaming
            $monitor = New-StateMonitor -Limits $limits
            $limits.CleanupThresholdBytes | Should -Be 39321600
            $limits.CleanupTargetBytes | Should -Be 34078720
            $entry = Add-Allocation video 8MB -PassThru
            $entry.IsStreamed | Should -BeTrue
            $entry.ResidentSize | Should -Be 1MB
            1..36 | ForEach-Object { Add-Allocation "chunk$_" 1MB }
            $monitor.CurrentSize | Should -Be 37MB
            # One more MB passes 37.5 MB (75 %): automatic cleanup evicts the least recently used (the streamed video
            # first) down to 32.5 MB (65 %).
            Add-Allocation chunk37 1MB -WarningVariable warnings
            $warnings.Message | Should -Be @("[$($monitor.Name)] Automatic cleanup freed 6 MB by evicting 6 entries.")
            $monitor.CurrentSize | Should -Be 32MB
            Get-Allocation video -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            Get-Keys -Oldest 2 | Should -Be @('chunk6', 'chunk7')
        }
    }

    Describe 'Example 1: basic tracking' {
        It 'tracks config, user_data and results, then deallocates user_data' {
            $monitor = New-StateMonitor -Limits (New-ResourceLimits)
            Add-Allocation config 1024
            Add-Allocation user_data (512 * 1024)
            Add-Allocation results (2 * 1024 * 1024)
            $stats = Get-ResourceUsage
            ('Using {0:N2} MB ({1:N1}%)' -f ($stats.CurrentSize / 1MB), ($stats.UsagePercentage * 100)) | Should -Be 'Using 2.50 MB (2.5%)'
            $stats.CurrentSize | Should -Be 2622464
            $stats.ValueCount | Should -Be 3
            Remove-Allocation user_data
            $monitor.CurrentSize | Should -Be 2098176
            Get-Keys | Should -Be @('config', 'results')
        }
    }

    Describe 'Example 2: alert monitoring' {
        It 'ten 1 MB allocations into 10 MB at 80 %: three automatic cleanups of 1 MB each, as warnings and alerts' {
            $monitor = New-StateMonitor -Limits (New-ResourceLimits -MaxStateSize 10MB -CleanupThreshold 0.8)
            $warnings = foreach ($i in 0..9) {
                Add-Allocation "data_$i" 1MB -WarningVariable raised
                $raised | ForEach-Object Message
            }
            $warnings | Should -Be @(
                "[$($monitor.Name)] Automatic cleanup freed 1 MB by evicting 1 entry."
                "[$($monitor.Name)] Automatic cleanup freed 1 MB by evicting 1 entry."
                "[$($monitor.Name)] Automatic cleanup freed 1 MB by evicting 1 entry.")
            $report = foreach ($alert in Get-ResourceAlert) {
                switch ($alert.Type) {
                    'ApproachingLimit' { 'Memory at {0:N1}%' -f ($alert.Percentage * 100) }
                    'LimitExceeded' { "Limit exceeded for $($alert.Resource)" }
                    'CleanupTriggered' { "Cleaned up $($alert.Freed) bytes" }
                }
            }
            $report | Should -Be @('Cleaned up 1048576 bytes', 'Cleaned up 1048576 bytes', 'Cleaned up 1048576 bytes')
            $monitor.CurrentSize | Should -Be 7MB
            Get-Keys | Should -Be @(3..9 | ForEach-Object { "data_$_" })
            (Get-ResourceUsage).PeakSize | Should -Be 8MB
            (Get-ResourceUsage).TotalEvictions | Should -Be 3
        }
    }

    Describe 'Example 3: manual cleanup' {
        It 'twenty 1 MB allocations fit 20 MB exactly: no failure, one ApproachingLimit at 16 MB' {
            $monitor = New-StateMonitor -Limits (New-ResourceLimits -MaxStateSize 20MB -AutoCleanup:$false)
            $failures = 0
            foreach ($i in 0..19) {
                Add-Allocation "item_$i" 1MB -ErrorVariable failed -ErrorAction SilentlyContinue
                if ($failed) { $failures++; $null = Invoke-ResourceCleanup 0.5 }
            }
            $failures | Should -Be 0
            $monitor.CurrentSize | Should -Be 20MB
            $alert = Get-ResourceAlert
            $alert.Type | Should -Be 'ApproachingLimit'
            $alert.Current | Should -Be 16MB
            $alert.Percentage | Should -Be 0.8
        }

        It 'a longer run: the 21st fails, cleanup to 50 % frees 10 MB in 10 entries, and the failed item stays lost as in the seed' {
            $monitor = New-StateMonitor -Limits (New-ResourceLimits -MaxStateSize 20MB -AutoCleanup:$false)
            $log = foreach ($i in 0..24) {
                Add-Allocation "item_$i" 1MB -ErrorVariable failed -ErrorAction SilentlyContinue
                if ($failed) {
                    "item_$i failed: $($failed[0].FullyQualifiedErrorId -replace ',.*')"
                    $result = Invoke-ResourceCleanup 0.5
                    "Freed $($result.BytesFreed) bytes by removing $($result.EntriesRemoved) entries"
                }
            }
            $log | Should -Be @('item_20 failed: StateSizeLimitExceeded', 'Freed 10485760 bytes by removing 10 entries')
            $monitor.CurrentSize | Should -Be 14MB
            Get-Keys | Should -Be @(@(10..19) + @(21..24) | ForEach-Object { "item_$_" })
            (Get-ResourceAlert).Type | Should -Be @('ApproachingLimit', 'LimitExceeded', 'CleanupTriggered')
        }

        It 'retrying after the cleanup keeps every item (the careful version)' {
            $monitor = New-StateMonitor -Limits (New-ResourceLimits -MaxStateSize 20MB -AutoCleanup:$false)
            foreach ($i in 0..24) {
                Add-Allocation "item_$i" 1MB -ErrorVariable failed -ErrorAction SilentlyContinue
                if ($failed) { $null = Invoke-ResourceCleanup 0.5; Add-Allocation "item_$i" 1MB }
            }
            $monitor.CurrentSize | Should -Be 15MB
            Get-Keys -Oldest 1 | Should -Be 'item_10'
            Get-Allocation item_20 | Should -Not -BeNullOrEmpty
        }
    }

    Describe 'Example 4: LRU-based eviction' {
        It 'old_data is least recently used; evicting the two LRU keys leaves recent_data' {
            $monitor = New-StateMonitor -Limits (New-ResourceLimits)
            Add-Allocation old_data 1MB
            Add-Allocation recent_data 1MB
            Add-Allocation active_data 1MB
            Use-Allocation active_data
            Use-Allocation recent_data
            $lru = Get-LruKey 2
            $lru | Should -Be @('old_data', 'active_data')
            $evicted = $lru | Remove-Allocation -PassThru | ForEach-Object { "Evicted: $($_.Key)" }
            $evicted | Should -Be @('Evicted: old_data', 'Evicted: active_data')
            Get-Keys | Should -Be @('recent_data')
            $monitor.CurrentSize | Should -Be 1MB
        }
    }

    Describe 'Configuration profiles' {
        It 'memory-constrained: 2 MB values, cleanup at 70 % of 25 MB down to 60 %, entries cleaned at 175' {
            $monitor = New-StateMonitor -Preset MemoryConstrained
            $record = Get-ErrorRecord { Add-Allocation frame 3MB }
            $record.FullyQualifiedErrorId | Should -Be "ValueSizeLimitExceeded,$Commands.AddAllocationCommand"
            1..8 | ForEach-Object { Add-Allocation "frame$_" 2MB }
            $monitor.CurrentSize | Should -Be 16MB
            Add-Allocation frame9 2MB -WarningVariable warnings
            $warnings.Message | Should -Be @("[$($monitor.Name)] Automatic cleanup freed 4 MB by evicting 2 entries.")
            $monitor.CurrentSize | Should -Be 14MB
            Get-Keys -Oldest 1 | Should -Be 'frame3'

            Reset-StateMonitor -Confirm:$false
            1..200 | ForEach-Object { Add-Allocation "row$_" 1KB }
            # At 175 entries (70 % of 250) cleanup runs to 150 (60 %); 25 more reach 175 again.
            (Get-ResourceAlert -Type CleanupTriggered).EntriesRemoved | Should -Be @(25, 25)
            $monitor.ValueCount | Should -Be 150
        }

        It 'high-throughput: 500 MB with 50 MB values and no automatic cleanup fails fast' {
            $monitor = New-StateMonitor -Preset HighThroughput
            (Get-ErrorRecord { Add-Allocation batch 60MB }).FullyQualifiedErrorId | Should -Be "ValueSizeLimitExceeded,$Commands.AddAllocationCommand"
            1..10 | ForEach-Object { Add-Allocation "batch$_" 50MB }
            $monitor.CurrentSize | Should -Be 500MB
            (Get-ResourceAlert -Type ApproachingLimit).Current | Should -Be 450MB
            $record = Get-ErrorRecord { Add-Allocation extra 1 }
            $record.FullyQualifiedErrorId | Should -Be "StateSizeLimitExceeded,$Commands.AddAllocationCommand"
            $monitor.ValueCount | Should -Be 10
            (Get-ResourceUsage).TotalEvictions | Should -Be 0
        }

        It 'streaming-optimized: values over 10 MB are streamed, holding one 5 MB chunk each' {
            $monitor = New-StateMonitor -Preset Streaming
            $entries = @(
                Add-Allocation video 12MB -PassThru
                Add-Allocation archive 30MB -PassThru
                Add-Allocation index 4MB -PassThru)
            $entries.IsStreamed | Should -Be @($true, $true, $false)
            $entries.ResidentSize | Should -Be @(5MB, 5MB, 4MB)
            $stats = Get-ResourceUsage
            $stats.CurrentSize | Should -Be 14MB
            $stats.StreamedCount | Should -Be 2
            $stats.StreamedBytes | Should -Be 42MB
        }

        It 'development: permissive 1 GB with 100 MB values and 10000 entries' {
            $monitor = New-StateMonitor -Preset Development
            Add-Allocation model 100MB
            (Get-ErrorRecord { Add-Allocation weights 101MB }).FullyQualifiedErrorId | Should -Be "ValueSizeLimitExceeded,$Commands.AddAllocationCommand"
            1..7 | ForEach-Object { Add-Allocation "layer$_" 100MB }
            $monitor.CurrentSize | Should -Be 800MB
            # 819.2 MB (80 % of 1 GB) is crossed by the next 100 MB: cleanup to 70 % (716.8 MB) evicts two.
            Add-Allocation layer8 100MB
            $monitor.CurrentSize | Should -Be 700MB
            Get-Keys -Oldest 1 | Should -Be 'layer2'
        }
    }

    Describe 'Troubleshooting' {
        It 'allocations failing: a value over MaxValueSize; fixed by streaming or by smaller chunks' {
            $limits = New-ResourceLimits
            $limits.ExceedsValueLimit(12MB) | Should -BeTrue
            $monitor = New-StateMonitor -Limits $limits
            $record = Get-ErrorRecord { Add-Allocation blob 12MB }
            $record.FullyQualifiedErrorId | Should -Be "ValueSizeLimitExceeded,$Commands.AddAllocationCommand"
            $record.Exception.Message | Should -Be "Cannot record 'blob' (12 MB) in monitor '$($monitor.Name)': the value is larger than MaxValueSize (10 MB). Nothing was changed."
            1..3 | ForEach-Object { Add-Allocation "blob.part$_" 4MB }
            $monitor.CurrentSize | Should -Be 12MB

            $streaming = New-StateMonitor -Limits (New-ResourceLimits -EnableStreaming)
            (Add-Allocation blob 12MB -PassThru).ResidentSize | Should -Be 1MB
        }

        It 'allocations failing: state over MaxStateSize without automatic cleanup; cleanup to 50 % makes room' {
            $monitor = New-StateMonitor -Limits (New-ResourceLimits -MaxStateSize 10MB -AutoCleanup:$false)
            1..10 | ForEach-Object { Add-Allocation "part$_" 1MB }
            $record = Get-ErrorRecord { Add-Allocation part11 1MB }
            $record.FullyQualifiedErrorId | Should -Be "StateSizeLimitExceeded,$Commands.AddAllocationCommand"
            $monitor.Limits.ExceedsStateLimit($monitor.CurrentSize + 1MB) | Should -BeTrue
            $result = Invoke-ResourceCleanup 0.5
            $result.BytesFreed | Should -Be 5MB
            $result.EntriesRemoved | Should -Be 5
            Add-Allocation part11 1MB
            $monitor.CurrentSize | Should -Be 6MB
        }

        It 'allocations failing: too many cache entries' {
            $monitor = New-StateMonitor -Limits (New-ResourceLimits -MaxCacheEntries 5 -AutoCleanup:$false)
            1..5 | ForEach-Object { Add-Allocation "e$_" 1 }
            $record = Get-ErrorRecord { Add-Allocation e6 1 }
            $record.FullyQualifiedErrorId | Should -Be "CacheEntriesLimitExceeded,$Commands.AddAllocationCommand"
            $alert = Get-ResourceAlert -Type LimitExceeded
            $alert.Resource | Should -Be 'CacheEntries'
            $alert.Current | Should -Be 6
            $alert.Limit | Should -Be 5
        }

        It 'excessive cleanup: <Case> gives <Cleanups> cleanup runs over forty 1 MB steps' -TestCases @(
            @{ Case = 'a low threshold (50 %)'; Limits = @{ MaxStateSize = 10MB; CleanupThreshold = 0.5 }; Deallocate = $false; Cleanups = 36; Entries = 4 }
            @{ Case = 'a high threshold (90 %)'; Limits = @{ MaxStateSize = 10MB; CleanupThreshold = 0.9 }; Deallocate = $false; Cleanups = 32; Entries = 8 }
            @{ Case = 'a high threshold with a lower target (90 % to 50 %)'; Limits = @{ MaxStateSize = 10MB; CleanupThreshold = 0.9; CleanupTarget = 0.5 }; Deallocate = $false; Cleanups = 8; Entries = 8 }
            @{ Case = 'a larger limit (200 MB)'; Limits = @{ MaxStateSize = 200MB; CleanupThreshold = 0.5 }; Deallocate = $false; Cleanups = 0; Entries = 40 }
            @{ Case = 'deallocating temporary data'; Limits = @{ MaxStateSize = 10MB; CleanupThreshold = 0.5 }; Deallocate = $true; Cleanups = 0; Entries = 0 }
        ) {
            param($Case, $Limits, $Deallocate, $Cleanups, $Entries)
            $monitor = New-StateMonitor -Limits (New-ResourceLimits @Limits)
            foreach ($i in 1..40) {
                Add-Allocation "temp$i" 1MB
                if ($Deallocate) { Remove-Allocation "temp$i" }
            }
            @(Get-ResourceAlert -Type CleanupTriggered).Count | Should -Be $Cleanups
            $monitor.ValueCount | Should -Be $Entries
            (Get-ResourceUsage).TotalEvictions | Should -Be (40 - $Entries - $(if ($Deallocate) { 40 } else { 0 }))
        }

        It 'memory still growing: a fast monitor does not de-duplicate keys and cannot clean up' {
            $fast = New-StateMonitor -Name fast -Fast
            1..5 | ForEach-Object { Add-Allocation data 1MB }
            $fast.CurrentSize | Should -Be 5MB
            $fast.ValueCount | Should -Be 5
            (Get-ErrorRecord { Get-Allocation }).FullyQualifiedErrorId | Should -Be "NotSupportedByFastMonitor,$Commands.GetAllocationCommand"
            (Get-ErrorRecord { Invoke-ResourceCleanup 0.5 }).FullyQualifiedErrorId | Should -Be "NotSupportedByFastMonitor,$Commands.InvokeResourceCleanupCommand"
            (Get-ResourceAlert).Type | Should -Be 'CleanupFailed'

            $detailed = New-StateMonitor -Name detailed
            1..5 | ForEach-Object { Add-Allocation data 1MB }
            $detailed.CurrentSize | Should -Be 1MB
            $detailed.ValueCount | Should -Be 1
        }

        It 'memory still growing: tracking every allocation makes the tracked total match the actual one' {
            $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'state')
            foreach ($i in 1..6) { [System.IO.File]::WriteAllBytes((Join-Path $folder "s$i.dat"), [byte[]]::new($i * 1000)) }
            $monitor = New-StateMonitor
            Get-ChildItem -LiteralPath $folder -File | Add-Allocation
            $actual = (Get-ChildItem -LiteralPath $folder -File | Measure-Object Length -Sum).Sum
            ('Tracked: {0}, Actual: {1}' -f $monitor.CurrentSize, $actual) | Should -Be 'Tracked: 21000, Actual: 21000'
        }

        It 'cleanup does not free enough: pinned keys in use keep it above the target' {
            $monitor = New-StateMonitor -Limits (New-ResourceLimits -MaxStateSize 10MB -AutoCleanup:$false)
            1..8 | ForEach-Object { Add-Allocation "k$_" 1MB }
            Lock-Allocation k1, k2, k3, k4, k5, k6
            $result = Invoke-ResourceCleanup 0.5 -WarningVariable warnings
            $result.Evicted.Key | Should -Be @('k7', 'k8')
            $result.SizeAfter | Should -Be 6MB
            $result.TargetReached | Should -BeFalse
            $warnings.Message[-1] | Should -Be "[$($monitor.Name)] Cleanup to 50 % (5 MB) stopped at 6 MB: 6 MB is pinned in 6 entries."
            # Manual eviction of LRU keys that are no longer in use.
            $inUse = 'k1', 'k2', 'k3'
            Get-LruKey 10 | Where-Object { $_ -notin $inUse } | Unlock-Allocation -PassThru | Remove-Allocation
            Get-Keys | Should -Be @('k1', 'k2', 'k3')
            $monitor.CurrentSize | Should -Be 3MB
        }

        It 'cleanup does not free enough: the target is too high; 30 % is more aggressive' {
            $monitor = New-StateMonitor -Limits (New-ResourceLimits -MaxStateSize 10MB -AutoCleanup:$false)
            1..8 | ForEach-Object { Add-Allocation "k$_" 1MB }
            (Invoke-ResourceCleanup 0.9).EntriesRemoved | Should -Be 0
            $result = Invoke-ResourceCleanup 0.3
            $result.EntriesRemoved | Should -Be 5
            $monitor.CurrentSize | Should -Be 3MB
        }

        It 'cleanup does not free enough: one large value; LRU evicts it whole' {
            $monitor = New-StateMonitor -Limits (New-ResourceLimits -MaxStateSize 10MB -AutoCleanup:$false)
            1..4 | ForEach-Object { Add-Allocation "small$_" 1MB }
            Add-Allocation large 6MB
            $result = Invoke-ResourceCleanup 0.5
            $result.Evicted.Key | Should -Be @('small1', 'small2', 'small3', 'small4', 'large')
            $result.BytesFreed | Should -Be 10MB
            $monitor.CurrentSize | Should -Be 0
        }
    }

    Describe 'Best practices' {
        It 'choose limits from the memory available: half of 512 MB, cleanup at 80 %' {
            $available = 512MB
            $limits = New-ResourceLimits -MaxStateSize ($available / 2) -CleanupThreshold 0.8
            $limits.MaxStateSize | Should -Be 256MB
            $limits.CleanupThresholdBytes | Should -Be 214748364
            Test-ResourceLimits -Limits $limits | Should -BeTrue
        }

        It 'automatic cleanup in production: forty 1 MB steps into 20 MB fail <Failures> times with -AutoCleanup:<Auto>' -TestCases @(
            @{ Auto = $true; Failures = 0 }
            @{ Auto = $false; Failures = 20 }
        ) {
            param($Auto, $Failures)
            $monitor = New-StateMonitor -Limits (New-ResourceLimits -MaxStateSize 20MB -CleanupThreshold 0.75 -AutoCleanup:$Auto)
            1..40 | ForEach-Object { Add-Allocation "step$_" 1MB -ErrorAction SilentlyContinue -ErrorVariable +failed }
            @($failed).Count | Should -Be $Failures
            $monitor.CurrentSize | Should -BeLessOrEqual 20MB
        }

        It 'monitor alerts regularly: each alert is a one-line message, drained once read' {
            $monitor = New-StateMonitor -Name etl -Limits (New-ResourceLimits -MaxStateSize 10MB -AutoCleanup:$false)
            0..10 | ForEach-Object { Add-Allocation "chunk$_" 1MB -ErrorAction SilentlyContinue }
            $log = Get-ResourceAlert | ForEach-Object { "Resource alert: $_" }
            $log | Should -Be @(
                'Resource alert: [etl] StateSize at 80.0 %: 8 MB of 10 MB.'
                "Resource alert: [etl] StateSize limit exceeded by 'chunk10': 11 MB would exceed 10 MB.")
            Get-ResourceAlert | Should -BeNullOrEmpty
        }

        It 'use streaming for large data: an 80 MB dataset holds one 5 MB chunk' {
            $monitor = New-StateMonitor -Limits (New-ResourceLimits -EnableStreaming -StreamChunkSize 5MB)
            Add-Allocation dataset 80MB -PassThru | Select-Object -ExpandProperty ResidentSize | Should -Be 5MB
            $usage = Get-ResourceUsage
            $usage.CurrentSize | Should -Be 5MB
            $usage.StreamedBytes | Should -Be 80MB
        }

        It 'clean up temporary data: deallocating after each step keeps only the config' {
            $monitor = New-StateMonitor
            Add-Allocation config 4KB
            foreach ($step in 1..50) {
                Add-Allocation temp_data 3MB
                Remove-Allocation temp_data
            }
            $monitor.CurrentSize | Should -Be 4KB
            Get-Keys | Should -Be @('config')
        }

        It 'validate configuration: a value limit over the state limit is named with both values' {
            Test-ResourceLimits -MaxStateSize 100MB -MaxValueSize 10MB | Should -BeTrue
            $validation = Test-ResourceLimits -MaxValueSize 200MB -MaxStateSize 100MB -Detailed
            $validation.IsValid | Should -BeFalse
            $validation.Problems | Should -Be @('MaxValueSize (209715200) must not be greater than MaxStateSize (104857600).')
        }
    }

    Describe 'Integration guide' {
        It 'workflow level: pinned workflow state survives the node outputs cleanup and is released at the end' {
            $monitor = New-StateMonitor -Name data_pipeline -Limits (New-ResourceLimits -MaxStateSize 8MB -MaxValueSize 4MB)
            Add-Allocation workflow_state 2MB -Pin
            $warnings = foreach ($node in 0..5) {
                Add-Allocation "node$node/outputs" 1MB -WarningVariable raised
                $raised | ForEach-Object Message
            }
            $warnings | Should -Be @('[data_pipeline] Automatic cleanup freed 2 MB by evicting 2 entries.')
            Get-Keys | Should -Be @('workflow_state', 'node2/outputs', 'node3/outputs', 'node4/outputs', 'node5/outputs')
            (Get-ResourceAlert).Type | Should -Be @('CleanupTriggered')
            Remove-Allocation workflow_state
            $monitor.CurrentSize | Should -Be 4MB
        }

        It 'node level: inputs over the value limit are refused with an error the node can turn into its own failure' {
            $monitor = New-StateMonitor -Preset MemoryConstrained
            function Invoke-MonitoredNode([long]$InputSize, [long]$OutputSize) {
                try { Add-Allocation inputs $InputSize -ErrorAction Stop }
                catch { return "ResourceLimitExceeded: $($_.FullyQualifiedErrorId.Split(',')[0])" }
                Add-Allocation outputs $OutputSize
                Remove-Allocation inputs
                'ok'
            }
            Invoke-MonitoredNode 1MB 2MB | Should -Be 'ok'
            Invoke-MonitoredNode 3MB 1MB | Should -Be 'ResourceLimitExceeded: ValueSizeLimitExceeded'
            Get-Keys | Should -Be @('outputs')
            $monitor.CurrentSize | Should -Be 2MB
        }
    }
}
