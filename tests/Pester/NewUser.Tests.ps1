#Requires -Version 7.0
# Where a new user stumbles: keys with wildcard characters, monitor objects that were removed or replaced, fractions of
# a byte, blank keys, missing files, long -WhatIf lists, very long keys in text, and monitors from another process or
# runspace. Each answer is checked through the built module: exact results, exact error IDs, nothing changed.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Manifest = Get-BuiltModuleManifest
    Import-Module $Manifest
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $WarningPreference = 'SilentlyContinue'

}

Describe 'Keys with wildcard characters' {
    BeforeEach {
        Reset-MonitorRegistry
        $monitor = New-StateMonitor -Name keys
        # LRU order: [x], x, b[1].bin, a*, ab
        Add-Allocation '[x]' 1; Add-Allocation x 2; Add-Allocation 'b[1].bin' 3; Add-Allocation 'a*' 4; Add-Allocation ab 5
    }

    It '-Key takes patterns: <Pattern> finds <Expected>' -TestCases @(
        @{ Pattern = '[x]'; Expected = @('x') }
        @{ Pattern = '`[x`]'; Expected = @('[x]') }
        @{ Pattern = 'a`*'; Expected = @('a*') }
        @{ Pattern = 'b`[1`]*'; Expected = @('b[1].bin') }
        @{ Pattern = 'a*'; Expected = @('a*', 'ab') }
    ) {
        param($Pattern, $Expected)
        Get-Keys -Key $Pattern | Should -Be $Expected
    }

    It 'matches a pattern escaped with [WildcardPattern]::Escape' {
        Get-Keys -Key ([WildcardPattern]::Escape('[x]')) | Should -Be @('[x]')
        Get-Keys -Key ([WildcardPattern]::Escape('b[1].bin')) | Should -Be @('b[1].bin')
    }

    It '-LiteralKey matches exactly, in LRU order, and an unknown literal key is AllocationNotFound' {
        Get-Keys -LiteralKey '[x]' | Should -Be @('[x]')
        Get-Keys -LiteralKey 'a*', '[x]' | Should -Be @('[x]', 'a*')
        $record = Get-ErrorRecord { Get-Allocation -LiteralKey '[y]' }
        $record.FullyQualifiedErrorId | Should -Be "AllocationNotFound,$(Get-CommandClass Get-Allocation)"
        $record.Exception.Message | Should -Be "Monitor 'keys' has no allocation with the key '[y]'. Keys are case-sensitive."
    }

    It 'matches keys from the pipeline literally: Get-LruKey | Get-Allocation loses nothing' {
        @(Get-LruKey 100 | Get-Allocation | ForEach-Object Key) | Should -Be @('[x]', 'x', 'b[1].bin', 'a*', 'ab')
        @(Get-Allocation | Get-Allocation | ForEach-Object Key) | Should -Be @('[x]', 'x', 'b[1].bin', 'a*', 'ab')
        @('[x]' | Get-Allocation | ForEach-Object Key) | Should -Be @('[x]')
        @([pscustomobject]@{ Key = 'a*' } | Get-Allocation | ForEach-Object Key) | Should -Be @('a*')
    }

    It 'says an invalid pattern is invalid (InvalidKeyPattern), and what to do' {
        $record = Get-ErrorRecord { Get-Allocation -Key '[bad' }
        $record.FullyQualifiedErrorId | Should -Be "InvalidKeyPattern,$(Get-CommandClass Get-Allocation)"
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.TargetObject | Should -Be '[bad'
        $record.Exception.Message | Should -BeLike "'``[bad' is not a valid wildcard pattern: *Escape the wildcard characters * ? ``[ ``] with a backtick (``````[), or use -LiteralKey to match the key exactly."
    }

    It 'writes InvalidKeyPattern once and still returns what the other patterns match' {
        $found = @(Get-Allocation -Key '[bad', 'x' -ErrorVariable problems -ErrorAction SilentlyContinue | ForEach-Object Key)
        $found | Should -Be @('x')
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be "InvalidKeyPattern,$(Get-CommandClass Get-Allocation)"
    }

    It 'completes -Key with escaped text that finds the key, and literal parameters with the key itself' {
        Get-Completion 'Get-Allocation -Key b' | Should -Be @("'b``[1``].bin'")
        Get-Completion 'Get-Allocation b' | Should -Be @("'b``[1``].bin'")
        Get-Completion 'Get-Allocation -LiteralKey b' | Should -Be @("'b[1].bin'")
        Get-Completion 'Remove-Allocation b' | Should -Be @("'b[1].bin'")
        Get-Completion 'Lock-Allocation a' | Should -Be @("'a*'", 'ab')
        # What the completion inserts, run as typed, finds exactly that key.
        $inserted = Get-Completion 'Get-Allocation -Key b'
        (Invoke-Expression "Get-Allocation -Key $inserted").Key | Should -Be 'b[1].bin'
        $inserted = Get-Completion 'Get-Allocation -Key ''['
        $inserted | Should -Be @("'``[x``]'")
        (Invoke-Expression "Get-Allocation -Key $inserted").Key | Should -Be '[x]'
    }

    It 'completes a typed start that is not a valid pattern (b[1) literally' {
        Get-Completion 'Remove-Allocation ''b[1' | Should -Be @("'b[1].bin'")
        Get-Completion 'Get-Allocation -Key ''b`[1' | Should -Be @("'b``[1``].bin'")
    }
}

Describe 'Monitor objects that were removed or replaced' {
    BeforeEach {
        Reset-MonitorRegistry
    }

    It '<Command> refuses a removed monitor object with MonitorNotFound and records nothing' -TestCases @(
        @{ Command = 'Add-Allocation'; Script = { param($m) Add-Allocation -Monitor $m k 1 } }
        @{ Command = 'Remove-Allocation'; Script = { param($m) Remove-Allocation -Monitor $m a -Confirm:$false } }
        @{ Command = 'Lock-Allocation'; Script = { param($m) Lock-Allocation -Monitor $m a } }
        @{ Command = 'Get-Allocation'; Script = { param($m) Get-Allocation -Monitor $m } }
        @{ Command = 'Invoke-ResourceCleanup'; Script = { param($m) Invoke-ResourceCleanup 0 -Monitor $m -Confirm:$false } }
        @{ Command = 'Get-ResourceUsage'; Script = { param($m) Get-ResourceUsage -Monitor $m } }
        @{ Command = 'Reset-StateMonitor'; Script = { param($m) Reset-StateMonitor -Monitor $m -Confirm:$false } }
    ) {
        param($Command, $Script)
        $gone = New-StateMonitor -Name gone
        Add-Allocation a 1
        Remove-StateMonitor $gone -Confirm:$false
        $before = Get-MonitorState $gone
        $record = Get-ErrorRecord { & $Script $gone }
        $record.FullyQualifiedErrorId | Should -Be "MonitorNotFound,$(Get-CommandClass $Command)"
        $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $record.Exception.Message | Should -Be ("The state monitor object 'gone' was removed (Remove-StateMonitor) or replaced (New-StateMonitor -Force), " +
            'so it can no longer be used; nothing was changed. Use the monitor registered now: -Monitor <name>, or Get-StateMonitor.')
        Get-MonitorState $gone | Should -Be $before
    }

    It 'refuses an object replaced by New-StateMonitor -Force, and the name reaches the new monitor' {
        $old = New-StateMonitor -Name same
        $new = New-StateMonitor -Name same -Force
        $record = Get-ErrorRecord { Add-Allocation -Monitor $old k 1 }
        $record.FullyQualifiedErrorId | Should -Be "MonitorNotFound,$(Get-CommandClass Add-Allocation)"
        $old.ValueCount | Should -Be 0
        Add-Allocation -Monitor same k 1
        $new.ValueCount | Should -Be 1
        $old.ValueCount | Should -Be 0
    }

    It 'still accepts a monitor object that was never registered' {
        $detached = [AgentFlow.Resources.StateMonitor]::new([AgentFlow.Resources.ResourceLimits]::Default)
        Add-Allocation k 5 -Monitor $detached
        $detached.CurrentSize | Should -Be 5
    }
}

Describe 'Fractions of a byte' {
    BeforeEach {
        Reset-MonitorRegistry
        $monitor = New-StateMonitor -Name sizes
    }

    It 'refuses <Size> (<Type>) at binding: a size must be a whole number of bytes' -TestCases @(
        @{ Size = 0.5; Type = 'double' }
        @{ Size = 1.5; Type = 'double' }
        @{ Size = 2.7d; Type = 'decimal' }
        @{ Size = [float]0.25; Type = 'float' }
        @{ Size = '0.3KB'; Type = 'string' }
        @{ Size = '1.5'; Type = 'string' }
        @{ Size = '0.1 MiB'; Type = 'string' }
    ) {
        param($Size, $Type)
        $record = Get-ErrorRecord { Add-Allocation f $Size }
        $record.FullyQualifiedErrorId | Should -Be "ParameterArgumentTransformationError,$(Get-CommandClass Add-Allocation)"
        $record.Exception.Message | Should -BeLike '*as a size: a size must be a whole number of bytes. A size is *'
        $monitor.ValueCount | Should -Be 0
    }

    It 'accepts sizes that come to whole bytes: <Size> is <Bytes> bytes' -TestCases @(
        @{ Size = '1.5KB'; Bytes = 1536 }
        @{ Size = 1.5KB; Bytes = 1536 }
        @{ Size = 3.0; Bytes = 3 }
        @{ Size = 4d; Bytes = 4 }
        @{ Size = '0.25 MB'; Bytes = 262144 }
    ) {
        param($Size, $Bytes)
        (Add-Allocation f $Size -PassThru).Size | Should -Be $Bytes
        $monitor.CurrentSize | Should -Be $Bytes
    }

    It 'refuses fractions in limits too' {
        $record = Get-ErrorRecord { New-ResourceLimits -MaxStateSize 1000.5 }
        $record.FullyQualifiedErrorId | Should -Be "ParameterArgumentTransformationError,$(Get-CommandClass New-ResourceLimits)"
    }
}

Describe 'Blank keys' {
    BeforeEach {
        Reset-MonitorRegistry
        $monitor = New-StateMonitor -Name blank
        Add-Allocation a 1
        $before = Get-MonitorState $monitor
    }

    It '<Command> refuses the key <Shown> with a plain message (InvalidAllocationArgument)' -TestCases @(
        foreach ($case in @(@{ Key = ' '; Shown = 'space' }, @{ Key = "`t"; Shown = 'tab' }, @{ Key = "  `t "; Shown = 'mixed' })) {
            @{ Command = 'Add-Allocation'; Script = { param($k) Add-Allocation $k 1 }; Key = $case.Key; Shown = $case.Shown }
            @{ Command = 'Remove-Allocation'; Script = { param($k) Remove-Allocation $k -Confirm:$false }; Key = $case.Key; Shown = $case.Shown }
            @{ Command = 'Use-Allocation'; Script = { param($k) Use-Allocation $k }; Key = $case.Key; Shown = $case.Shown }
            @{ Command = 'Lock-Allocation'; Script = { param($k) Lock-Allocation $k }; Key = $case.Key; Shown = $case.Shown }
            @{ Command = 'Unlock-Allocation'; Script = { param($k) Unlock-Allocation $k }; Key = $case.Key; Shown = $case.Shown }
            @{ Command = 'Get-Allocation'; Script = { param($k) Get-Allocation -LiteralKey $k }; Key = $case.Key; Shown = $case.Shown }
        }
    ) {
        param($Command, $Script, $Key)
        $record = Get-ErrorRecord { & $Script $Key }
        $record.FullyQualifiedErrorId | Should -Be "InvalidAllocationArgument,$(Get-CommandClass $Command)"
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.Exception.Message | Should -Be 'A key must contain a visible character; a key of only white space is not accepted.'
        Get-MonitorState $monitor | Should -Be $before
    }

    It 'says an empty key is empty, without .NET''s parameter suffix' {
        $record = Get-ErrorRecord { Add-Allocation '' 1 }
        $record.Exception.Message | Should -Be 'A key must not be empty: it must contain a visible character.'
        $record = Get-ErrorRecord { Remove-Allocation '' -Confirm:$false }
        $record.Exception.Message | Should -Be 'A key must not be empty: it must contain a visible character.'
        Get-MonitorState $monitor | Should -Be $before
    }

    It 'gives the engine''s own argument errors without the parameter suffix' {
        $fast = New-StateMonitor -Name fastblank -Fast
        $record = Get-ErrorRecord { Remove-Allocation nothing -Size 1 -Monitor $fast -Confirm:$false }
        $record.FullyQualifiedErrorId | Should -Be "InvalidAllocationArgument,$(Get-CommandClass Remove-Allocation)"
        $record.Exception.Message | Should -Not -Match 'Parameter'
        $record.Exception.Message | Should -BeLike 'Cannot deallocate*below zero.'
    }
}

Describe 'Files that do not exist' {
    BeforeEach {
        Reset-MonitorRegistry
        $monitor = New-StateMonitor -Name files
    }

    It 'says a missing file does not exist (FileNotFound, ObjectNotFound)' {
        $missing = Join-Path $TestDrive 'gone.bin'
        $record = Get-ErrorRecord { Add-Allocation -File ([IO.FileInfo]$missing) }
        $record.FullyQualifiedErrorId | Should -Be "FileNotFound,$(Get-CommandClass Add-Allocation)"
        $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $record.Exception.Message | Should -Be "The file '$missing' does not exist, so it has no length to record. Nothing was changed."
        $monitor.ValueCount | Should -Be 0
    }

    It 'still says a directory is a directory (InvalidAllocationArgument)' {
        $record = Get-ErrorRecord { Add-Allocation -File ([IO.DirectoryInfo]$TestDrive) }
        $record.FullyQualifiedErrorId | Should -Be "InvalidAllocationArgument,$(Get-CommandClass Add-Allocation)"
        $record.Exception.Message | Should -BeLike "*' is a directory, which has no length to record; pipe files, as Get-ChildItem -File does."
        $record = Get-ErrorRecord { Add-Allocation -File ([IO.FileInfo]"$TestDrive") }
        $record.FullyQualifiedErrorId | Should -Be "InvalidAllocationArgument,$(Get-CommandClass Add-Allocation)"
        $monitor.ValueCount | Should -Be 0
    }
}

Describe 'Long -WhatIf plans and long keys in text' {
    It 'lists at most 20 keys, then how many more and where to see them' {
        $result = Invoke-FreshPwsh {
            param($Manifest)
            Import-Module $Manifest
            $null = New-StateMonitor -Name many -Limits (New-ResourceLimits -MaxCacheEntries 1000 -AutoCleanup:$false)
            1..200 | ForEach-Object { Add-Allocation "key$_" 1KB }
            Lock-Allocation key3
            Invoke-ResourceCleanup 0 -WhatIf
            (Get-ResourceUsage).ValueCount
        } -ArgumentList $Manifest
        $result.Output[0] | Should -Be "What if: Evict 199 entries (199 KB) from state monitor 'many', from 200 KB to 1 KB (target 0 % (0 B)); the target cannot be reached: 1 KB is pinned in 1 entry, least recently used first:"
        $result.Output[1..20] | Should -Be @(1, 2 + 4..21 | ForEach-Object { "  key$_ (1 KB)" })
        $result.Output[21] | Should -Be '  … and 179 more; Get-LruKey 200 lists them all, least recently used first.'
        $result.Output[22] | Should -Be '200'
        $result.Output.Count | Should -Be 23
    }

    It 'shows at most 64 characters of a key in errors, warnings, alerts and -WhatIf, and keeps the whole key in properties' {
        $result = Invoke-FreshPwsh {
            param($Manifest)
            Import-Module $Manifest
            $ErrorActionPreference = 'Continue'
            $long = '/artifacts/' + ('x' * 100000) + '/step_07_output.bin'
            $null = New-StateMonitor -Name text -Limits (New-ResourceLimits -MaxStateSize 4KB -MaxValueSize 1KB -AutoCleanup:$false)
            Add-Allocation $long 2KB -ErrorVariable problems -WarningVariable warnings -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            'error: ' + $problems[0].Exception.Message
            'warning: ' + $warnings[0].Message
            $alert = Get-ResourceAlert -Peek
            'alert: ' + $alert.ToString()
            'alert key length: ' + $alert.Key.Length
            Add-Allocation $long 1KB
            Remove-Allocation $long -WhatIf
            'entry: ' + (Get-Allocation).ToString()
            'entry key length: ' + (Get-Allocation).Key.Length
            Use-Allocation ($long + 'y') -ErrorVariable missing -ErrorAction SilentlyContinue
            'not found: ' + $missing[0].Exception.Message
            'target length: ' + $missing[0].TargetObject.Length
        } -ArgumentList $Manifest
        # 40 characters, how many are left out, the last 16: 56 characters of the key in all.
        $shown = '/artifacts/' + ('x' * 29) + '…(99974 more)…' + 'ep_07_output.bin'
        $shownY = '/artifacts/' + ('x' * 29) + '…(99975 more)…' + 'p_07_output.biny'
        $result.Output | Should -Be @(
            "error: Cannot record '$shown' (2 KB) in monitor 'text': the value is larger than MaxValueSize (1 KB). Nothing was changed."
            "warning: [text] ValueSize limit exceeded by '$shown': 2 KB would exceed 1 KB."
            "alert: [text] ValueSize limit exceeded by '$shown': 2 KB would exceed 1 KB."
            'alert key length: 100030'
            "What if: Performing the operation ""Remove allocation"" on target ""'$shown' (1 KB) in state monitor 'text'""."
            "entry: $shown (1 KB)"
            'entry key length: 100030'
            "not found: Monitor 'text' has no allocation with the key '$shownY'. Keys are case-sensitive."
            'target length: 100031'
        )
    }
}

Describe 'Monitors from another process or runspace' {
    BeforeEach {
        Reset-MonitorRegistry
        $monitor = New-StateMonitor -Name here
    }

    It 'says a deserialized monitor (Start-Job, Import-Clixml) does not cross process boundaries, and what to use instead' {
        # Start-Job and Invoke-Command hand back exactly this: the monitor serialized to CLIXML and read back.
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($monitor))
        $copy.pstypenames[0] | Should -Be 'Deserialized.AgentFlow.Resources.StateMonitor'
        $record = Get-ErrorRecord { Add-Allocation k 1 -Monitor $copy }
        $record.FullyQualifiedErrorId | Should -Be "ParameterArgumentTransformationError,$(Get-CommandClass Add-Allocation)"
        $record.Exception.Message | Should -BeLike ("*The state monitor 'here' is a deserialized copy from another process (Start-Job, Invoke-Command, Import-Clixml): " +
            'monitors do not cross process boundaries, so it holds no live state. In that process, use the monitor there; to move its state, ' +
            'use Export-StateMonitor and Import-StateMonitor; to share one budget between processes, use a shared (Redis) monitor.')
        $monitor.ValueCount | Should -Be 0
    }

    It 'still explains any other object as not a monitor' {
        $record = Get-ErrorRecord { Get-ResourceUsage -Monitor ([pscustomobject]@{ Name = 'here' }) }
        $record.Exception.Message | Should -BeLike '*Cannot use a PSCustomObject as a monitor. Pass a StateMonitor*'
    }

    It 'tells a ForEach-Object -Parallel runspace without a current monitor to pass -Monitor with a name' {
        # A fresh runspace, as the first iteration gets; a reused one keeps what earlier scripts selected.
        $messages = 1 | ForEach-Object -UseNewRunspace -Parallel {
            Import-Module $using:Manifest
            try { Add-Allocation k 1 -ErrorAction Stop } catch { $_.FullyQualifiedErrorId; $_.Exception.Message }
        }
        $messages[0] | Should -Be 'NoCurrentMonitor,AgentFlow.Resources.PowerShell.Commands.AddAllocationCommand'
        $messages[1] | Should -Be ('There is no current state monitor in this runspace. The current monitor is kept per runspace, so a ForEach-Object -Parallel ' +
            "script block, a thread job or any new runspace starts without one: pass -Monitor <name> (names work in every runspace), for example -Monitor 'here', " +
            'or run Select-StateMonitor there. Registered: here.')
        $monitor.ValueCount | Should -Be 0
    }
}

Describe 'Add-Allocation -WhatIf and -Confirm' {
    It 'says what would be recorded and what automatic cleanup would evict, and changes nothing' {
        $result = Invoke-FreshPwsh {
            param($Manifest)
            Import-Module $Manifest
            $monitor = New-StateMonitor -Name etl -Limits (New-ResourceLimits -MaxStateSize 100MB -MaxValueSize 40MB)
            Add-Allocation -Key 'input/customers.parquet' -Size 30MB -Pin
            foreach ($i in 1..9) { Add-Allocation -Key "batch/$i" -Size 5MB }
            $alerts = (Get-ResourceAlert -Peek).Count
            Add-Allocation -Key 'batch/10' -Size 5MB -WhatIf
            Add-Allocation -Key 'batch/1' -Size 1MB -Pin -WhatIf
            Add-Allocation -Key 'input/customers.parquet' -Size 60MB -WhatIf
            Add-Allocation -Key 'stream' -Size 1MB -WhatIf
            $stats = Get-ResourceUsage
            'size {0}, entries {1}, evictions {2}, rejected {3}, new alerts {4}' -f $stats.CurrentSize, $stats.ValueCount, $stats.TotalEvictions, $stats.RejectedAllocations, ((Get-ResourceAlert -Peek).Count - $alerts)
        } -ArgumentList $Manifest
        $result.Output | Should -Be @(
            "What if: Record 'batch/10' (5 MB) in state monitor 'etl', from 75 MB to 70 MB of 100 MB; automatic cleanup would evict 2 entries (10 MB), least recently used first:"
            '  batch/1 (5 MB)'
            '  batch/2 (5 MB)'
            "What if: Replace and pin 'batch/1' (1 MB, was 5 MB) in state monitor 'etl', from 75 MB to 71 MB of 100 MB; automatic cleanup would evict nothing."
            "What if: Replace 'input/customers.parquet' (60 MB, was 30 MB) in state monitor 'etl': it would be rejected, the value is larger than MaxValueSize (40 MB). Nothing would change."
            "What if: Record 'stream' (1 MB) in state monitor 'etl', from 75 MB to 76 MB of 100 MB; automatic cleanup would evict nothing."
            'size 78643200, entries 10, evictions 0, rejected 0, new alerts 0'
        )
    }

    It 'lists at most 20 of the entries automatic cleanup would evict' {
        $result = Invoke-FreshPwsh {
            param($Manifest)
            Import-Module $Manifest
            $null = New-StateMonitor -Name many -Limits (New-ResourceLimits -MaxStateSize 100KB -MaxValueSize 100KB)
            1..50 | ForEach-Object { Add-Allocation "k$_" 1KB }
            Add-Allocation big 60KB -WhatIf
            (Get-ResourceUsage).ValueCount
        } -ArgumentList $Manifest
        $result.Output[0] | Should -Be "What if: Record 'big' (60 KB) in state monitor 'many', from 50 KB to 70 KB of 100 KB; automatic cleanup would evict 40 entries (40 KB), least recently used first:"
        $result.Output[1..20] | Should -Be @(1..20 | ForEach-Object { "  k$_ (1 KB)" })
        $result.Output[21] | Should -Be '  … and 20 more; Get-LruKey 41 lists them all, least recently used first.'
        $result.Output[22] | Should -Be '50'
        $result.Output.Count | Should -Be 23
    }

    It 'asks first with -Confirm (a non-interactive session records nothing) and honours $WhatIfPreference' {
        $result = Invoke-FreshPwsh {
            param($Manifest)
            Import-Module $Manifest
            $monitor = New-StateMonitor -Name confirm
            try { Add-Allocation a 1MB -Confirm; 'recorded' } catch { 'refused' }
            'entries ' + $monitor.ValueCount
            $WhatIfPreference = $true
            $passed = Add-Allocation a 1MB -PassThru
            $WhatIfPreference = $false
            'passed ' + @($passed).Count + ', entries ' + $monitor.ValueCount
            Add-Allocation a 1MB -Confirm:$false
            'entries ' + $monitor.ValueCount
        } -ArgumentList $Manifest
        $result.Output | Should -Be @(
            'refused'
            'entries 0'
            "What if: Record 'a' (1 MB) in state monitor 'confirm', from 0 B to 1 MB of 100 MB; automatic cleanup would evict nothing."
            'passed 0, entries 0'
            'entries 1')
    }

    It 'is ShouldProcess with low impact, and -WhatIf:$false records' {
        Reset-MonitorRegistry
        $monitor = New-StateMonitor -Name preference
        Add-Allocation k 1KB -PassThru -WhatIf:$false | ForEach-Object Key | Should -Be 'k'
        $monitor.ValueCount | Should -Be 1
        $attribute = (Get-Command Add-Allocation).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.SupportsShouldProcess | Should -BeTrue
        $attribute.ConfirmImpact | Should -Be 'Low'
    }
}
