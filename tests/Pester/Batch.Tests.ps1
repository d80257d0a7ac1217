#Requires -Version 7.0
# Add-Allocation -Allocation <IDictionary>: many allocations in one call, in the dictionary's order, with exactly the
# errors, warnings and outcome of one call per item.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModuleManifest)
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force

    # Runs the items one call each, or as one batch, on a fresh monitor with these limits; returns what the caller saw.
    function Invoke-Recording([System.Collections.Specialized.OrderedDictionary]$Items, [string]$Name, [switch]$Batch) {
        $limits = New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 4KB -MaxCacheEntries 6
        $monitor = New-StateMonitor -Name $Name -Limits $limits
        $errors = [System.Collections.Generic.List[object]]::new()
        $warnings = [System.Collections.Generic.List[object]]::new()
        if ($Batch) {
            Add-Allocation -Allocation $Items -ErrorVariable +errs -WarningVariable +warns -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        }
        else {
            foreach ($item in $Items.GetEnumerator()) {
                Add-Allocation -Key $item.Key -Size $item.Value -ErrorVariable +errs -WarningVariable +warns -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            }
        }
        [pscustomobject]@{
            State    = Get-MonitorState $monitor
            Errors   = @($errs | ForEach-Object { '{0}|{1}|{2}' -f $_.FullyQualifiedErrorId.Split(',')[0], $_.CategoryInfo.Category, ($_.Exception.Message -replace [regex]::Escape($Name), '<m>') })
            Warnings = @($warns | ForEach-Object { $_.Message -replace [regex]::Escape($Name), '<m>' })
            Alerts   = @(Get-ResourceAlert -Monitor $monitor | ForEach-Object Type)
        }
    }
}

Describe 'Add-Allocation -Allocation' {
    BeforeEach {
        Reset-MonitorRegistry
    }

    It 'records every pair in the dictionary''s order, taking sizes as -Size does' {
        $monitor = New-StateMonitor -Name batch
        Add-Allocation -Allocation ([ordered]@{ c = 3; a = '1KB'; b = 2.5KB; d = [long]0 })
        Get-MonitorState $monitor | Should -Be 'size=3587;count=4;pinned=0;entries=c:3:False,a:1024:False,b:2560:False,d:0:False'
    }

    It 'replaces existing keys, pins with -Pin and returns the entries with -PassThru' {
        $monitor = New-StateMonitor -Name batch
        Add-Allocation a 10
        $entries = Add-Allocation -Allocation ([ordered]@{ b = 20; a = 30 }) -Pin -PassThru
        $entries.Key | Should -Be @('b', 'a')
        $entries.Size | Should -Be @(20, 30)
        $entries.IsPinned | Should -Be @($true, $true)
        Get-MonitorState $monitor | Should -Be 'size=50;count=2;pinned=2;entries=b:20:True,a:30:True'
    }

    It 'gives the same errors, warnings, alerts and state as one call per item' {
        # 10 KB state, 4 KB values, 6 entries, cleanup at 80 % down to 70 %: a value too large, automatic cleanups
        # by bytes and by entries, and an empty key, in one sequence.
        $items = [ordered]@{ a = 3KB; b = 3KB; huge = 5KB; c = 2KB; a2 = 1KB; b2 = 1KB; c2 = 512; '' = 1; d = 4KB; e = 100; f = 100; g = 100 }
        $single = Invoke-Recording $items 'single'
        $batch = Invoke-Recording $items 'batched' -Batch
        $batch.State | Should -Be $single.State
        $batch.Errors | Should -Be $single.Errors
        $batch.Warnings | Should -Be $single.Warnings
        $batch.Alerts | Should -Be $single.Alerts
        # What they agree on, spelled out.
        $single.Errors | Should -Be @(
            "ValueSizeLimitExceeded|LimitsExceeded|Cannot record 'huge' (5 KB) in monitor '<m>': the value is larger than MaxValueSize (4 KB). Nothing was changed."
            'InvalidAllocationArgument|InvalidArgument|A key must not be empty: it must contain a visible character.'
        )
        # Cleanup at 80 % of 6 entries (5) evicts down to 70 % (4 entries), at 8 KB down to 7 KB.
        $single.Warnings | Should -Be @(
            "[<m>] ValueSize limit exceeded by 'huge': 5 KB would exceed 4 KB."
            '[<m>] Automatic cleanup freed 3 KB by evicting 1 entry.'
            '[<m>] Automatic cleanup freed 3 KB by evicting 1 entry.'
            '[<m>] Automatic cleanup freed 2 KB by evicting 1 entry.'
            '[<m>] Automatic cleanup freed 1 KB by evicting 1 entry.'
            '[<m>] Automatic cleanup freed 1 KB by evicting 1 entry.'
            '[<m>] Automatic cleanup freed 512 B by evicting 1 entry.'
        )
        $single.State | Should -Be 'size=4396;count=4;pinned=0;entries=d:4096:False,e:100:False,f:100:False,g:100:False'
    }

    It 'writes a bad size as an InvalidAllocationArgument error for that item, with the message -Size gives, and records the rest' {
        $monitor = New-StateMonitor -Name batch
        $binding = Get-ErrorRecord { Add-Allocation -Key x -Size 'lots' }
        $binding.FullyQualifiedErrorId | Should -Be 'ParameterArgumentTransformationError,AgentFlow.Resources.PowerShell.Commands.AddAllocationCommand'
        Add-Allocation -Allocation ([ordered]@{ ok1 = 1; x = 'lots'; neg = -5; ok2 = 2 }) -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 2
        $problems.FullyQualifiedErrorId | Should -Be @(
            'InvalidAllocationArgument,AgentFlow.Resources.PowerShell.Commands.AddAllocationCommand'
            'InvalidAllocationArgument,AgentFlow.Resources.PowerShell.Commands.AddAllocationCommand')
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problems[0].TargetObject | Should -Be 'x'
        $problems[0].Exception.Message | Should -Be "Cannot record 'x': Cannot use 'lots' as a size: it is not a number of bytes or a number with a binary unit. A size is $([AgentFlow.Resources.ByteSize]::AcceptedForms)."
        $binding.Exception.Message | Should -BeLike "*Cannot use 'lots' as a size: it is not a number of bytes or a number with a binary unit. A size is *"
        $problems[1].Exception.Message | Should -BeLike "Cannot record 'neg': Cannot use -5 (Int32) as a size: a size cannot be negative.*"
        Get-MonitorState $monitor | Should -Be 'size=3;count=2;pinned=0;entries=ok1:1:False,ok2:2:False'
    }

    It 'records into a fast monitor too, and stops at the first item with -ErrorAction Stop' {
        $monitor = New-StateMonitor -Name fast -Fast -Limits (New-ResourceLimits -MaxStateSize 1MB -MaxValueSize 1KB)
        { Add-Allocation -Allocation ([ordered]@{ a = 100; big = 2KB; b = 100 }) -ErrorAction Stop -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'ValueSizeLimitExceeded,AgentFlow.Resources.PowerShell.Commands.AddAllocationCommand'
        $monitor.CurrentSize | Should -Be 100
        $monitor.ValueCount | Should -Be 1
    }

    It 'records 10,000 pairs of a generic dictionary exactly' {
        $monitor = New-StateMonitor -Name many -Limits (New-ResourceLimits -MaxStateSize 1GB -MaxCacheEntries 20000)
        $pairs = [System.Collections.Generic.Dictionary[string, long]]::new()
        foreach ($i in 1..10000) { $pairs["k$i"] = $i }
        Add-Allocation -Allocation $pairs
        $monitor.ValueCount | Should -Be 10000
        $monitor.CurrentSize | Should -Be 50005000
        Get-LruKey 3 | Should -Be @('k1', 'k2', 'k3')
    }
}

Describe 'Add-Allocation with dictionaries from the pipeline' {
    BeforeEach {
        Reset-MonitorRegistry
    }

    It 'records each piped dictionary in turn' {
        $monitor = New-StateMonitor -Name piped
        [ordered]@{ a = 1; b = 2 }, [ordered]@{ c = 3 } | Add-Allocation
        Get-MonitorState $monitor | Should -Be 'size=6;count=3;pinned=0;entries=a:1:False,b:2:False,c:3:False'
    }
}
