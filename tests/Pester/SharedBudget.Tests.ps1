#Requires -Version 7.0
# New-StateMonitor -Redis and Remove-SharedBudget against real redis-server processes that the tests start and stop:
# one budget for many processes, stored limits, faults, credentials that never show, and the isolated Redis client.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'RedisTestServer.psm1') -Force
    $Manifest = Get-BuiltModuleManifest
    Import-Module $Manifest
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $WarningPreference = 'SilentlyContinue'
    $Server = Start-TestRedisServer
    # Short timeouts: a stopped server must fail a command in about a second.
    $Config = "$($Server.Configuration),syncTimeout=1000,connectTimeout=1000"
    $script:budget = 0
    function New-BudgetName { "budget$([System.Threading.Interlocked]::Increment([ref]$script:budget))-$PID" }
    function Get-Usage($Monitor) { $s = Get-ResourceUsage -Monitor $Monitor; "$($s.CurrentSize) bytes in $($s.ValueCount)" }
    # Runs $Script in another process attached to the budget $Name (its monitor is the default one there).
    function Invoke-InOtherProcess([string]$Name, [scriptblock]$Script) {
        Invoke-FreshPwsh {
            param($manifest, $config, $name, $script)
            Import-Module $manifest
            $null = New-StateMonitor -Name $name -Redis $config
            & ([scriptblock]::Create($script))
        } -ArgumentList $Manifest, $Config, $Name, $Script.ToString()
    }
}

AfterAll {
    Stop-TestRedisServer $Server
}

Describe 'A shared budget (New-StateMonitor -Redis)' {
    BeforeEach { Reset-MonitorRegistry }

    It 'creates the budget, and a second process attaching to the name sees the same entries, LRU order and totals' {
        $name = New-BudgetName
        $limits = New-ResourceLimits -MaxStateSize 1000 -MaxValueSize 500 -MaxCacheEntries 10
        $monitor = New-StateMonitor -Name $name -Redis $Config -Limits $limits
        $monitor.Store.Kind | Should -Be 'Redis'
        $monitor.Has([AgentFlow.Resources.StoreCapabilities]::Shared) | Should -BeTrue
        Add-Allocation -Key a -Size 100
        Add-Allocation -Key b -Size 200 -Pin
        $r = Invoke-FreshPwsh {
            param($manifest, $config, $name)
            Import-Module $manifest
            $m = New-StateMonitor -Name $name -Redis $config
            Add-Allocation -Key c -Size 50
            Use-Allocation -Key a
            "$($m.Limits.MaxStateSize) $($m.Limits.MaxCacheEntries)"
            (Get-LruKey -Count 10) -join ','
        } -ArgumentList $Manifest, $Config, $name
        $r.ExitCode | Should -Be 0
        $r.Output | Should -Be @('1000 10', 'b,c,a')
        (Get-LruKey -Count 10) -join ',' | Should -Be 'b,c,a'
        Get-Usage $monitor | Should -Be '350 bytes in 3'
        (Get-Allocation -Key b).IsPinned | Should -BeTrue
    }

    It 'hands an alert raised in one process to the process that drains it' {
        $name = New-BudgetName
        $null = New-StateMonitor -Name $name -Redis $Config -Limits (New-ResourceLimits -MaxStateSize 1000 -MaxValueSize 1000 -AutoCleanup:$false)
        $r = Invoke-InOtherProcess $name { Add-Allocation -Key raised-elsewhere -Size 900 -WarningAction SilentlyContinue }
        $r.ExitCode | Should -Be 0
        $alerts = @(Get-ResourceAlert)
        $alerts.Count | Should -Be 1
        $alerts[0].Type | Should -Be 'ApproachingLimit'
        $alerts[0].Current | Should -Be 900
        $alerts[0].MonitorName | Should -Be $name
        @(Get-ResourceAlert).Count | Should -Be 0
    }

    It 'counts the alerts of every process in the budget: Get-ResourceUsage AlertsRaised and Export-ResourceMetrics in each process' {
        $name = New-BudgetName
        $null = New-StateMonitor -Name $name -Redis $Config -Limits (New-ResourceLimits -MaxStateSize 1000 -MaxValueSize 1000 -AutoCleanup:$false)
        $r = Invoke-InOtherProcess $name {
            Add-Allocation -Key raised-elsewhere -Size 900 -WarningAction SilentlyContinue
            Add-Allocation -Key too-big -Size 200 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        }
        $r.ExitCode | Should -Be 0
        $raised = (Get-ResourceUsage).AlertsRaised
        $raised.ToString() | Should -Be 'ApproachingLimit 1, LimitExceeded 1, CleanupTriggered 0, CleanupFailed 0, PredictedExhaustion 0'
        $lines = (Export-ResourceMetrics) -split "`n"
        $lines | Should -Contain "agentflow_alerts_total{monitor=`"$name`",type=`"ApproachingLimit`"} 1"
        $lines | Should -Contain "agentflow_alerts_total{monitor=`"$name`",type=`"LimitExceeded`"} 1"
        $lines | Should -Contain "agentflow_alerts_total{monitor=`"$name`",type=`"CleanupTriggered`"} 0"

        # Raised here and drained here: the other process counts it, and draining uncounts nothing.
        (Invoke-ResourceCleanup -TargetPercentage 0.4 -Confirm:$false).BytesFreed | Should -Be 900
        @(Get-ResourceAlert).Count | Should -Be 3
        $r = Invoke-InOtherProcess $name {
            (Get-ResourceUsage).AlertsRaised.ToString()
            ((Export-ResourceMetrics) -split "`n") -like 'agentflow_alerts_total*'
        }
        $r.ExitCode | Should -Be 0
        $r.Output | Should -Be @(
            'ApproachingLimit 1, LimitExceeded 1, CleanupTriggered 1, CleanupFailed 0, PredictedExhaustion 0'
            "agentflow_alerts_total{monitor=`"$name`",type=`"ApproachingLimit`"} 1"
            "agentflow_alerts_total{monitor=`"$name`",type=`"LimitExceeded`"} 1"
            "agentflow_alerts_total{monitor=`"$name`",type=`"CleanupTriggered`"} 1"
            "agentflow_alerts_total{monitor=`"$name`",type=`"CleanupFailed`"} 0"
            "agentflow_alerts_total{monitor=`"$name`",type=`"PredictedExhaustion`"} 0"
        )
    }

    It 'attaches with the stored limits; different -Limits are SharedLimitsMismatch unless -Force replaces them for everyone' {
        $name = New-BudgetName
        $null = New-StateMonitor -Name $name -Redis $Config -Limits (New-ResourceLimits -MaxStateSize 4KB -MaxValueSize 1KB)
        (New-StateMonitor -Name $name -Redis $Config -Force).Limits.MaxStateSize | Should -Be 4KB
        $other = New-ResourceLimits -MaxStateSize 8KB -MaxValueSize 1KB
        $result = New-StateMonitor -Name $name -Redis $Config -Limits $other -Force:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'MonitorNameInUse,*'
        Reset-MonitorRegistry
        $result = New-StateMonitor -Name $name -Redis $Config -Limits $other -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SharedLimitsMismatch,*'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failed[0].Exception.Message | Should -BeLike '*MaxStateSize is 4096 there, 8192 here*'
        (New-StateMonitor -Name $name -Redis $Config -Limits $other -Force).Limits.MaxStateSize | Should -Be 8KB
        Reset-MonitorRegistry
        (New-StateMonitor -Name $name -Redis $Config).Limits.MaxStateSize | Should -Be 8KB
        $fast = New-StateMonitor -Name $name -Redis $Config -Fast -Force -ErrorVariable failed -ErrorAction SilentlyContinue
        $fast | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SharedLimitsMismatch,*'
    }

    It 'a process attached before another replaced the limits with -Force cleans and reports with the new ones' {
        $name = New-BudgetName
        $monitor = New-StateMonitor -Name $name -Redis $Config -Limits (New-ResourceLimits -MaxStateSize 1000 -MaxValueSize 100 -AutoCleanup:$false)
        0..9 | ForEach-Object { Add-Allocation -Key "k$_" -Size 50 }
        $r = Invoke-FreshPwsh {
            param($manifest, $config, $name)
            Import-Module $manifest
            $limits = New-ResourceLimits -MaxStateSize 2000 -MaxValueSize 100 -AutoCleanup:$false
            (New-StateMonitor -Name $name -Redis $config -Limits $limits -Force).Limits.MaxStateSize
        } -ArgumentList $Manifest, $Config, $name
        $r.ExitCode | Should -Be 0
        $r.Output | Should -Be '2000'
        # This process's first call since: 20 % is 400 bytes of the new 2000, not 200 of the 1000 it attached with.
        $cleaned = Invoke-ResourceCleanup -TargetPercentage 0.2 -Confirm:$false
        @($cleaned.TargetBytes, $cleaned.BytesFreed) + $cleaned.Evicted.Key | Should -Be @(400, 100, 'k0', 'k1')
        $monitor.Limits.MaxStateSize | Should -Be 2000
        $usage = Get-ResourceUsage
        ($usage.CurrentSize, $usage.MaxStateSize, $usage.UsagePercentage) | Should -Be @(400, 2000, 0.2)
    }

    It 'returns the entries a cleanup evicted to the caller that ran it' {
        $name = New-BudgetName
        $null = New-StateMonitor -Name $name -Redis $Config -Limits (New-ResourceLimits -MaxStateSize 1000 -MaxValueSize 1000 -AutoCleanup:$false)
        'a', 'b', 'c' | ForEach-Object { Add-Allocation -Key $_ -Size 300 }
        $result = Invoke-ResourceCleanup -TargetPercentage 0.4 -Confirm:$false
        $result.Evicted.Key | Should -Be @('a', 'b')
        $result.BytesFreed | Should -Be 600
        (Get-LruKey -Count 5) | Should -Be @('c')
    }

    It 'keeps a fast (counters-only) budget' {
        $name = New-BudgetName
        $monitor = New-StateMonitor -Name $name -Redis $Config -Fast -Limits (New-ResourceLimits -MaxStateSize 1000 -MaxValueSize 1000)
        $monitor.Store.Kind | Should -Be 'RedisCounters'
        $monitor.IsFast | Should -BeTrue
        Add-Allocation -Key x -Size 400
        Add-Allocation -Key x -Size 400
        Remove-Allocation -Key x -Size 400 -Confirm:$false
        Get-Usage $monitor | Should -Be '400 bytes in 1'
    }

    It 'sends piped Add-Allocation input in pipelined runs, reporting each rejection and -PassThru entry in input order' {
        $name = New-BudgetName
        $monitor = New-StateMonitor -Name $name -Redis $Config -Limits (New-ResourceLimits -MaxStateSize 100000 -MaxValueSize 500 -MaxCacheEntries 1000 -AutoCleanup:$false)
        $items = 1..600 | ForEach-Object { [pscustomobject]@{ Key = "k$_"; Size = if ($_ % 100 -eq 0) { 501 } else { 100 } } }
        $entries = $items | Add-Allocation -PassThru -ErrorVariable rejected -ErrorAction SilentlyContinue
        $entries.Count | Should -Be 594
        $entries[0].Key | Should -Be 'k1'
        $entries[-1].Key | Should -Be 'k599'
        $rejected.Count | Should -Be 6
        $rejected.TargetObject | Should -Be @('k100', 'k200', 'k300', 'k400', 'k500', 'k600')
        $rejected[0].FullyQualifiedErrorId | Should -BeLike 'ValueSizeLimitExceeded,*'
        Get-Usage $monitor | Should -Be '59400 bytes in 594'
        (Get-LruKey -Count 2) | Should -Be @('k1', 'k2')
    }

    It 'Remove-SharedBudget deletes every key of the budget, asks first (High impact) and honours -WhatIf' {
        $name = New-BudgetName
        $null = New-StateMonitor -Name $name -Redis $Config
        Add-Allocation -Key a -Size 10
        (Get-Command Remove-SharedBudget).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'High'
        Remove-SharedBudget -Name $name -Redis $Config -WhatIf
        Invoke-TestRedisCommand $Server EXISTS "agentflow:{$name}:entries" | Should -Be ':1'
        Remove-SharedBudget -Name $name -Redis $Config -Confirm:$false
        Invoke-TestRedisCommand $Server KEYS "agentflow:{$name}:*" | Should -Be '*0'
        Add-Allocation -Key b -Size 10 -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SharedBudgetDeleted,*'
    }
}

Describe 'Four processes on one budget' {
    It 'keeps exact totals, never goes above a hard limit, and every process sees the same state' {
        $name = New-BudgetName
        $limits = New-ResourceLimits -MaxStateSize 4000 -MaxValueSize 1000 -MaxCacheEntries 30 -CleanupThreshold 0.8
        $sampler = New-StateMonitor -Name $name -Redis $Config -Limits $limits
        $worker = {
            param($manifest, $config, $name, $seed)
            Import-Module $manifest
            $null = New-StateMonitor -Name $name -Redis $config
            $random = [Random]::new([int]$seed)
            $WarningPreference = 'SilentlyContinue'
            for ($i = 0; $i -lt 150; $i++) {
                $key = "k$($random.Next(40))"
                switch ($random.Next(7)) {
                    0 { Add-Allocation -Key $key -Size $random.Next(0, 600) -ErrorAction SilentlyContinue }
                    1 { Add-Allocation -Key $key -Size $random.Next(0, 600) -ErrorAction SilentlyContinue }
                    2 { Use-Allocation -Key $key -ErrorAction SilentlyContinue }
                    3 { Remove-Allocation -Key $key -Confirm:$false -ErrorAction SilentlyContinue }
                    4 { Lock-Allocation -Key $key -ErrorAction SilentlyContinue }
                    5 { Unlock-Allocation -Key $key -ErrorAction SilentlyContinue }
                    6 { $null = Invoke-ResourceCleanup -TargetPercentage 0.5 -Confirm:$false -ErrorAction SilentlyContinue }
                }
            }
            'done'
        }
        $pwsh = Get-PwshCommand
        $script = Join-Path $Server.Directory 'worker.ps1'
        Set-Content -LiteralPath $script -Value $worker.ToString()
        $processes = foreach ($seed in 1..4) {
            $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
            foreach ($a in @($pwsh.Arguments) + @('-NoProfile', '-NonInteractive', '-File', $script, $Manifest, $Config, $name, "$seed")) { $psi.ArgumentList.Add($a) }
            $psi.RedirectStandardOutput = $true
            $psi.RedirectStandardError = $true
            [System.Diagnostics.Process]::Start($psi)
        }
        $samples = 0
        $violations = [System.Collections.Generic.List[string]]::new()
        while (@($processes | Where-Object { -not $_.HasExited }).Count -gt 0) {
            $stats = Get-ResourceUsage -Monitor $sampler
            if ($stats.CurrentSize -gt 4000 -or $stats.ValueCount -gt 30) { $violations.Add("$($stats.CurrentSize) bytes in $($stats.ValueCount)") }
            $samples++
        }
        foreach ($p in $processes) {
            $p.StandardError.ReadToEnd() | Should -BeNullOrEmpty
            $p.StandardOutput.ReadToEnd().Trim() | Should -Be 'done'
            $p.ExitCode | Should -Be 0
        }
        $samples | Should -BeGreaterThan 0
        $violations | Should -BeNullOrEmpty
        $entries = @(Get-Allocation -Monitor $sampler)
        $stats = Get-ResourceUsage -Monitor $sampler
        # Measure-Object with a property emits nothing for no input (a run that ends with no pinned entry): sum values.
        $stats.CurrentSize | Should -Be ([long](@($entries | ForEach-Object ResidentSize) | Measure-Object -Sum).Sum)
        $stats.ValueCount | Should -Be $entries.Count
        $stats.PinnedCount | Should -Be @($entries | Where-Object IsPinned).Count
        $stats.PinnedSize | Should -Be ([long](@($entries | Where-Object IsPinned | ForEach-Object ResidentSize) | Measure-Object -Sum).Sum)
        $stats.PeakSize | Should -BeLessOrEqual 4000
    }
}
