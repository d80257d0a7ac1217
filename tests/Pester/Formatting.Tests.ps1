#Requires -Version 7.0
# The format and type files: every output type reads well at a glance (sizes in KB/MB/GB, fractions as percents),
# while the properties keep raw bytes and fractions; AllocationEntry has LiteralPath.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModuleManifest)
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $WarningPreference = 'SilentlyContinue'

    # The rendered lines, without blank ones and trailing spaces.
    function Get-Rendered {
        param([Parameter(ValueFromPipeline)] $InputObject, [string]$As = 'Default')
        begin { $items = [System.Collections.Generic.List[object]]::new() }
        process { $items.Add($InputObject) }
        end {
            $text = switch ($As) {
                'Table' { $items | Format-Table | Out-String -Width 200 }
                'List' { $items | Format-List | Out-String -Width 200 }
                default { $items | Out-String -Width 200 }
            }
            @($text -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ })
        }
    }
}

Describe 'Formatting' {
    BeforeEach {
        Reset-MonitorRegistry
        $monitor = New-StateMonitor -Name fmt -Limits (New-ResourceLimits -MaxStateSize 10MB -MaxValueSize 2MB -EnableStreaming -StreamChunkSize 512KB -AutoCleanup:$false)
        Add-Allocation data 1MB
        Add-Allocation stream 3MB -Pin
        Add-Allocation small 1.5KB
    }

    It 'defines a view for <Type>' -TestCases @(
        @{ Type = 'AgentFlow.Resources.ResourceLimits' }
        @{ Type = 'AgentFlow.Resources.StateMonitor' }
        @{ Type = 'AgentFlow.Resources.AllocationEntry' }
        @{ Type = 'AgentFlow.Resources.ResourceStats' }
        @{ Type = 'AgentFlow.Resources.ResourceAlert' }
        @{ Type = 'AgentFlow.Resources.CleanupResult' }
        @{ Type = 'AgentFlow.Resources.CleanupPlan' }
        @{ Type = 'AgentFlow.Resources.PowerShell.LimitsValidation' }
    ) {
        param($Type)
        (Get-FormatData -TypeName $Type).FormatViewDefinition.Count | Should -BeGreaterThan 0
    }

    It 'shows limits as a list with readable sizes and percents; the properties keep bytes and fractions' {
        $limits = New-ResourceLimits -Preset Streaming
        $limits | Get-Rendered | Should -Be @(
            'MaxStateSize     : 100 MB'
            'MaxValueSize     : 10 MB'
            'MaxCacheEntries  : 1000'
            'CleanupThreshold : 80 % (80 MB)'
            'CleanupTarget    : 70 % (70 MB)'
            'AutoCleanup      : True'
            'EnableStreaming  : True'
            'StreamChunkSize  : 5 MB')
        $limits.MaxStateSize | Should -Be 104857600
        $limits.CleanupThreshold | Should -Be 0.8
    }

    It 'has a table view of limits for Format-Table' {
        New-ResourceLimits -Preset MemoryConstrained | Get-Rendered -As Table | Select-Object -Last 1 |
            Should -Match '^\s+25 MB\s+2 MB\s+250\s+70 %\s+60 %\s+True\s+False\s+1 MB$'
    }

    It 'shows monitors as a table: mode, sizes, usage percent, entries, queued alerts, name' {
        $lines = Get-StateMonitor | Get-Rendered
        $lines[0] | Should -Match '^Mode\s+CurrentSize\s+MaxStateSize\s+Usage\s+Entries\s+Alerts\s+Name$'
        $lines[2] | Should -Match '^Detailed\s+1\.5 MB\s+10 MB\s+15\.0 %\s+3\s+0\s+fmt$'
        $monitor.CurrentSize | Should -Be 1574400
    }

    It 'shows entries as a table with sizes in KB/MB, resident sizes, pins and keys' {
        $lines = Get-Allocation | Get-Rendered
        $lines[0] | Should -Match '^\s+Size\s+ResidentSize\s+IsPinned\s+IsStreamed\s+Key$'
        $lines[2..4] | Should -Match '^\s+\S'
        $lines[2] | Should -Match '^\s+1 MB\s+1 MB\s+False\s+False\s+data$'
        $lines[3] | Should -Match '^\s+3 MB\s+512 KB\s+True\s+True\s+stream$'
        $lines[4] | Should -Match '^\s+1\.5 KB\s+1\.5 KB\s+False\s+False\s+small$'
        (Get-Allocation stream).ResidentSize | Should -Be 524288
    }

    It 'shows usage as a list with readable sizes and percents' {
        $lines = Get-ResourceUsage | Get-Rendered
        $lines | Should -Contain 'CurrentSize           : 1.5 MB'
        $lines | Should -Contain 'UsagePercentage       : 15.0 %'
        $lines | Should -Contain 'EntryUsagePercentage  : 0.3 %'
        $lines | Should -Contain 'CleanupThresholdBytes : 8 MB'
        $lines | Should -Contain 'PinnedSize            : 512 KB'
        $lines | Should -Contain 'StreamedBytes         : 3 MB'
        $lines | Should -Contain 'EvictedBytes          : 0 B'
        (Get-ResourceUsage).UsagePercentage | Should -Be 0.150146484375
    }

    It 'has a table view of usage for several monitors' {
        $null = New-StateMonitor -Name second
        $lines = Get-StateMonitor | Get-ResourceUsage | Get-Rendered -As Table
        $lines[0] | Should -Match '^\s*CurrentSize\s+MaxStateSize\s+Usage\s+Entries\s+Evictions\s+ShouldCleanup\s+MonitorName$'
        $lines[2] | Should -Match '^\s+1\.5 MB\s+10 MB\s+15\.0 %\s+3\s+0\s+False\s+fmt$'
        $lines[3] | Should -Match '^\s+0 B\s+100 MB\s+0\.0 %\s+0\s+0\s+False\s+second$'
    }

    It 'formats percents the same in any culture' {
        $culture = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            Get-ResourceUsage | Get-Rendered | Should -Contain 'UsagePercentage       : 15.0 %'
        }
        finally { [cultureinfo]::CurrentCulture = $culture }
    }

    It 'shows alerts as a table of time, type and message under the whole monitor name' {
        $name = 'tiny-monitor-with-a-name-longer-than-any-column-width'
        $null = New-StateMonitor -Name $name -Limits (New-ResourceLimits -MaxStateSize 4KB -MaxValueSize 1KB -StreamChunkSize 1KB)
        Add-Allocation big 2KB -ErrorAction SilentlyContinue
        $lines = Get-ResourceAlert -Peek | Get-Rendered
        $lines[0] | Should -Be "   Monitor: $name"
        $lines[1] | Should -Match '^Time\s+Type\s+Message$'
        $lines[3] | Should -Match "^\d\d:\d\d:\d\d\.\d{3}\s+LimitExceeded\s+ValueSize limit exceeded by 'big': 2 KB would exceed 1 KB\.$"
    }

    It 'shows whole monitor names in the default tables when the window has room (<Width> columns)' -TestCases @(
        @{ Width = 120 }, @{ Width = 200 }
    ) {
        param($Width)
        $name = 'nightly-build-artifacts-of-the-release-branch'
        $null = New-StateMonitor -Name $name
        $render = { param($InputObject) @(($InputObject | Out-String -Width $Width) -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ }) }
        (& $render (Get-StateMonitor $name))[2] | Should -Match "^Detailed\s+0 B\s+100 MB\s+0\.0 %\s+0\s+0 $name$"
        (& $render (Get-ResourceUsage $name | Format-Table))[2] | Should -Match "\sFalse\s+$name$"
        (& $render (Invoke-ResourceCleanup 0 -Monitor $name | Format-Table))[2] | Should -Match "\sTrue\s+$name$"
    }

    It 'shows percentages as percentages in the cleanup tables: a target of 0.001 is 0.1 %' {
        $lines = Invoke-ResourceCleanup 0.001 | Get-Rendered -As Table
        $lines[0] | Should -Match '^BytesFreed\s+EntriesRemoved\s+SizeAfter\s+Target\s+TargetReached\s+MonitorName$'
        $lines[2] | Should -Match '^\s+1 MB\s+2\s+512 KB\s+0\.1 % \(10\.24 KB\)\s+False\s+fmt$'
        $lines = $monitor.PlanCleanup(0.001) | Get-Rendered -As Table
        $lines[0] | Should -Match '^BytesToFree\s+Candidates\s+SizeAfter\s+Target\s+TargetReached\s+MonitorName$'
        $lines[2] | Should -Match '^\s+0 B\s+0\s+512 KB\s+0\.1 % \(10\.24 KB\)\s+False\s+fmt$'
    }

    It 'gives every kind of alert the same properties, so Export-Csv of mixed alerts keeps Reason' {
        $null = New-StateMonitor -Name mixed -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 4KB -StreamChunkSize 1KB -AutoCleanup:$false)
        Add-Allocation a 4KB; Add-Allocation b 4KB; Lock-Allocation b
        Add-Allocation c 5KB -ErrorAction SilentlyContinue
        $null = Invoke-ResourceCleanup 0
        $alerts = Get-ResourceAlert -Peek
        @($alerts.Type | Sort-Object -Unique) | Should -Be @('ApproachingLimit', 'LimitExceeded', 'CleanupTriggered', 'CleanupFailed')
        $names = @('Type', 'Timestamp', 'MonitorName', 'Message', 'Resource', 'Percentage', 'Current', 'Limit', 'Key', 'Freed', 'EntriesRemoved', 'Automatic', 'Reason') | Sort-Object
        foreach ($alert in $alerts) { @($alert.PSObject.Properties.Name | Sort-Object) | Should -Be $names }
        $rows = @($alerts | ConvertTo-Csv | ConvertFrom-Csv)
        $rows.Count | Should -Be $alerts.Count
        ($rows | Where-Object Type -EQ 'CleanupFailed').Reason | Should -Be 'Cleanup to 0 % (0 B) stopped at 4 KB: 4 KB is pinned in 1 entry.'
        ($rows | Where-Object Type -EQ 'LimitExceeded').Key | Should -Be 'c'
        ($rows | Where-Object Type -EQ 'CleanupTriggered').Reason | Should -BeNullOrEmpty
    }

    It 'shows a cleanup result as a list with freed bytes and the evicted entries' {
        $lines = Invoke-ResourceCleanup 0 | Get-Rendered
        $lines | Should -Be @(
            'MonitorName      : fmt'
            'BytesFreed       : 1 MB'
            'EntriesRemoved   : 2'
            'SizeBefore       : 1.5 MB'
            'SizeAfter        : 512 KB'
            'TargetPercentage : 0 %'
            'TargetBytes      : 0 B'
            'TargetReached    : False'
            'PinnedSize       : 512 KB'
            'PinnedCount      : 1'
            'Evicted          : data (1 MB)'
            '                   small (1.5 KB)')
    }

    It 'lists evicted entries one per line, at most 20, with long keys shortened, so nothing wraps inside a key' {
        $null = New-StateMonitor -Name wide -Limits (New-ResourceLimits -MaxCacheEntries 100 -AutoCleanup:$false)
        $long = '/builds/cache/' + ('x' * 80) + '/build-101.zip'
        Add-Allocation $long 1KB
        1..24 | ForEach-Object { Add-Allocation "/builds/cache/build-$_.zip" 1KB }
        $lines = @((Invoke-ResourceCleanup 0 | Out-String -Width 100) -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ })
        $evicted = @($lines | Select-Object -Skip ([array]::IndexOf($lines, ($lines -like 'Evicted*')[0])))
        $evicted[0] | Should -Be ('Evicted          : /builds/cache/' + ('x' * 26) + '…(52 more)…xx/build-101.zip (1 KB)')
        $evicted[1] | Should -Be '                   /builds/cache/build-1.zip (1 KB)'
        $evicted[19] | Should -Be '                   /builds/cache/build-19.zip (1 KB)'
        $evicted[20] | Should -Be '                   … and 5 more (the Evicted property holds them all)'
        $evicted.Count | Should -Be 21
    }

    It 'shows a cleanup plan as a list with the candidates' {
        $lines = $monitor.PlanCleanup(0.06) | Get-Rendered
        $lines[0..2] | Should -Be @(
            'MonitorName      : fmt'
            'BytesToFree      : 1 MB'
            'Candidates       : data (1 MB)')
        $lines | Should -Contain 'TargetBytes      : 614.4 KB'
        $lines | Should -Contain 'TargetReached    : True'
    }

    It 'shows a limits validation with one problem per line' {
        Test-ResourceLimits -MaxStateSize 0 -Detailed | Get-Rendered | Should -Be @(
            'IsValid  : False'
            'Problems : MaxStateSize must be greater than 0, but is 0.'
            '           MaxValueSize (10485760) must not be greater than MaxStateSize (0).'
            'Limits   : State 0 B, value 10 MB, 1000 entries, cleanup at 80 % to 70 % (automatic)')
    }

    It 'gives AllocationEntry the alias property LiteralPath = Key' {
        $member = (Get-TypeData -TypeName AgentFlow.Resources.AllocationEntry).Members['LiteralPath']
        $member | Should -BeOfType ([System.Management.Automation.Runspaces.AliasPropertyData])
        $member.ReferencedMemberName | Should -Be 'Key'
        (Get-Allocation data).LiteralPath | Should -Be 'data'
    }
}
