#Requires -Version 7.0
# Monitors shared across runspaces with ForEach-Object -Parallel: exact totals, limits under contention, the
# process-wide registry, the per-runspace current monitor, and warnings only for a runspace's own alerts.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Manifest = Get-BuiltModuleManifest
    Import-Module $Manifest
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $WarningPreference = 'SilentlyContinue'
    $Runspaces = 8
    $PerRunspace = 500
}

Describe 'ForEach-Object -Parallel' {
    BeforeEach {
        Reset-MonitorRegistry
    }

    It 'records 8 x 500 allocations into a detailed monitor passed with $using: exactly' {
        $monitor = New-StateMonitor -Name shared -Limits (New-ResourceLimits -MaxStateSize 1GB -MaxCacheEntries 10000 -AutoCleanup:$false)
        1..$Runspaces | ForEach-Object -ThrottleLimit $Runspaces -Parallel {
            Import-Module $using:Manifest
            $target = $using:monitor
            foreach ($i in 1..$using:PerRunspace) { Add-Allocation -Monitor $target -Key "r$_-$i" -Size 1KB }
        }
        $stats = Get-ResourceUsage shared
        $stats.ValueCount | Should -Be 4000
        $stats.CurrentSize | Should -Be 4096000
        $stats.PeakSize | Should -Be 4096000
        $stats.RejectedAllocations | Should -Be 0
        $entries = Get-Allocation -Monitor shared
        $entries.Count | Should -Be 4000
        ($entries | Measure-Object ResidentSize -Sum).Sum | Should -Be 4096000
        @($entries.Key | Sort-Object -Unique).Count | Should -Be 4000
    }

    It 'records into and removes from a fast monitor named in each runspace, exactly' {
        $monitor = New-StateMonitor -Name fastshared -Fast -Limits (New-ResourceLimits -MaxStateSize 1GB -MaxCacheEntries 10000)
        1..$Runspaces | ForEach-Object -ThrottleLimit $Runspaces -Parallel {
            Import-Module $using:Manifest
            foreach ($i in 1..$using:PerRunspace) { Add-Allocation -Monitor FASTSHARED -Key "r$_-$i" -Size 1KB }
            foreach ($i in 1..($using:PerRunspace / 2)) { Remove-Allocation -Monitor fastshared -Key "r$_-$i" -Size 1KB }
        }
        $monitor.ValueCount | Should -Be 2000
        $monitor.CurrentSize | Should -Be 2048000
        (Get-ResourceUsage fastshared).PeakSize | Should -BeLessOrEqual 4096000
        (Get-ResourceUsage fastshared).PeakSize | Should -BeGreaterOrEqual 2048000
    }

    It 'admits exactly up to a hard limit under contention (<Mode> monitor), rejecting the rest as errors' -TestCases @(
        @{ Mode = 'detailed'; Fast = $false }
        @{ Mode = 'fast'; Fast = $true }
    ) {
        param($Mode, $Fast)
        $monitor = New-StateMonitor -Name "limit-$Mode" -Fast:$Fast -MaxAlerts 1000000 -Limits (
            New-ResourceLimits -MaxStateSize 2000KB -MaxValueSize 1KB -StreamChunkSize 1KB -MaxCacheEntries 10000 -AutoCleanup:$false)
        $counts = 1..$Runspaces | ForEach-Object -ThrottleLimit $Runspaces -Parallel {
            Import-Module $using:Manifest
            $target = $using:monitor
            foreach ($i in 1..$using:PerRunspace) {
                Add-Allocation -Monitor $target -Key "r$_-$i" -Size 1KB -ErrorVariable +rejected -WarningVariable +warned -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            }
            [pscustomobject]@{
                Rejected = @($rejected | Where-Object { $_.FullyQualifiedErrorId -like 'StateSizeLimitExceeded,*' }).Count
                Errors   = @($rejected).Count
                Warnings = @($warned).Count
            }
        }
        ($counts | Measure-Object Rejected -Sum).Sum | Should -Be 2000
        ($counts | Measure-Object Errors -Sum).Sum | Should -Be 2000
        $monitor.CurrentSize | Should -Be 2048000
        $monitor.ValueCount | Should -Be 2000
        (Get-ResourceUsage $monitor).RejectedAllocations | Should -Be 2000
        # Each alert was written as a warning by exactly the runspace whose call raised it.
        $alerts = Get-ResourceAlert -Monitor $monitor
        $alerts.Count | Should -Be 2001
        @($alerts | Where-Object Type -EQ 'ApproachingLimit').Count | Should -Be 1
        ($counts | Measure-Object Warnings -Sum).Sum | Should -Be 2001
    }

    It 'keeps a detailed monitor consistent under mixed adds, uses, pins and unpins' {
        $monitor = New-StateMonitor -Name mixed -Limits (New-ResourceLimits -MaxStateSize 1GB -MaxCacheEntries 10000 -AutoCleanup:$false)
        1..$Runspaces | ForEach-Object -ThrottleLimit $Runspaces -Parallel {
            Import-Module $using:Manifest
            $target = $using:monitor
            foreach ($i in 1..$using:PerRunspace) {
                $key = "r$_-$i"
                Add-Allocation -Monitor $target -Key $key -Size ($i * 10)
                Use-Allocation -Monitor $target -Key "r$_-$([math]::Max(1, $i - 3))"
                if ($i % 10 -eq 0) { Lock-Allocation -Monitor $target -Key $key }
                if ($i % 20 -eq 0) { Unlock-Allocation -Monitor $target -Key $key }
            }
        }
        $stats = Get-ResourceUsage mixed
        $entries = Get-Allocation -Monitor mixed
        $expectedBytes = 8 * 10 * (500 * 501 / 2)
        $stats.ValueCount | Should -Be 4000
        $stats.CurrentSize | Should -Be $expectedBytes
        ($entries | Measure-Object ResidentSize -Sum).Sum | Should -Be $expectedBytes
        $stats.PinnedCount | Should -Be 200
        @($entries | Where-Object IsPinned).Count | Should -Be 200
        $stats.PinnedSize | Should -Be (($entries | Where-Object IsPinned | Measure-Object ResidentSize -Sum).Sum)
    }

    It 'gives each new runspace no current monitor, and selecting one there does not change the caller''s' {
        $callerCurrent = New-StateMonitor -Name caller
        $null = New-StateMonitor -Name worker
        Select-StateMonitor caller
        # -UseNewRunspace: a reused runspace keeps what an earlier iteration selected, as it keeps any module state.
        $seen = 1..4 | ForEach-Object -ThrottleLimit 4 -UseNewRunspace -Parallel {
            Import-Module $using:Manifest
            $before = Get-StateMonitor -Current
            $failure = try { Add-Allocation "k$_" 1 -ErrorAction Stop; 'none' } catch { $_.FullyQualifiedErrorId -replace ',.*' }
            Select-StateMonitor worker
            Add-Allocation "k$_" 1
            [pscustomobject]@{ Before = [bool]$before; Failure = $failure; After = (Get-StateMonitor -Current).Name }
        }
        $seen.Before | Should -Be @($false, $false, $false, $false)
        $seen.Failure | Should -Be @('NoCurrentMonitor', 'NoCurrentMonitor', 'NoCurrentMonitor', 'NoCurrentMonitor')
        $seen.After | Should -Be @('worker', 'worker', 'worker', 'worker')
        Get-StateMonitor -Current | Should -Be $callerCurrent
        (Get-ResourceUsage worker).ValueCount | Should -Be 4
        (Get-ResourceUsage caller).ValueCount | Should -Be 0
    }

    It 'stops treating a monitor removed in another runspace as current' {
        $null = New-StateMonitor -Name doomed
        1..1 | ForEach-Object -Parallel {
            Import-Module $using:Manifest
            Remove-StateMonitor doomed -Confirm:$false
        }
        Get-StateMonitor -Current | Should -BeNullOrEmpty
        { Get-ResourceUsage } | Should -Throw -ErrorId 'NoCurrentMonitor,*'
    }

    It 'shares the registry: a monitor created in a runspace is found by name in the caller' {
        1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:Manifest
            $null = New-StateMonitor -Name "made-in-$_"
            Add-Allocation seed ($_ * 100)
        }
        (Get-StateMonitor 'made-in-*').Name | Should -Be @('made-in-1', 'made-in-2', 'made-in-3')
        (Get-ResourceUsage made-in-3).CurrentSize | Should -Be 300
    }
}
