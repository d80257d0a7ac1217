#Requires -Version 7.0
# Sync-Allocation: a folder's files and running processes kept in step with the monitor, between syncs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModuleManifest)
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $WarningPreference = 'SilentlyContinue'
    $SyncCommand = 'AgentFlow.Resources.PowerShell.Commands.SyncAllocationCommand'

    function New-TestFile([string]$Path, [long]$Length) {
        $stream = [System.IO.File]::Create($Path)
        try { $stream.SetLength($Length) } finally { $stream.Dispose() }
    }

    # Entries as 'name:size:pinned', with keys under $Root shown relative to it.
    function Get-Entries([string]$Root) {
        @(Get-Allocation | ForEach-Object {
                $name = if ($_.Key.StartsWith("$Root/")) { $_.Key.Substring($Root.Length + 1) } else { $_.Key }
                '{0}:{1}:{2}' -f $name, $_.Size, $_.IsPinned
            })
    }
}

Describe 'Sync-Allocation' {
    BeforeEach {
        Reset-MonitorRegistry
        $root = (New-Item -ItemType Directory -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString('N').Substring(0, 8)))).FullName
        $folder = (New-Item -ItemType Directory -Path (Join-Path $root 'artifacts')).FullName
        $sibling = (New-Item -ItemType Directory -Path (Join-Path $root 'artifacts2')).FullName
        $null = New-StateMonitor -Name sync -Limits (New-ResourceLimits -MaxStateSize 100MB -MaxValueSize 10MB -AutoCleanup:$false)
    }

    Context 'a folder' {
        It 'records the files of the folder under their full paths, and says so in one summary' {
            New-TestFile "$folder/a.bin" 1000
            New-TestFile "$folder/b.bin" 300
            $summary = Sync-Allocation $folder
            $summary | Should -BeOfType ([AgentFlow.Resources.SyncSummary])
            $summary.Scope | Should -Be $folder
            $summary.MonitorName | Should -Be 'sync'
            '{0} {1} {2} {3} {4} {5} {6} {7}' -f $summary.Added, $summary.AddedBytes, $summary.Updated, $summary.UpdatedBytes,
                $summary.Removed, $summary.RemovedBytes, $summary.Unchanged, $summary.SizeChange | Should -Be '2 1300 0 0 0 0 0 1300'
            (Get-Allocation).Key | Should -Be @("$folder/a.bin", "$folder/b.bin")
        }

        It 'adds, grows, shrinks and removes between syncs, and leaves unchanged files in their LRU place' {
            New-TestFile "$folder/keep.bin" 100
            New-TestFile "$folder/grow.bin" 200
            New-TestFile "$folder/shrink.bin" 300
            New-TestFile "$folder/delete.bin" 400
            $null = Sync-Allocation $folder
            Add-Allocation later 1
            # New files are recorded in path order.
            Get-Entries $folder | Should -Be @('delete.bin:400:False', 'grow.bin:200:False', 'keep.bin:100:False', 'shrink.bin:300:False', 'later:1:False')

            New-TestFile "$folder/grow.bin" 2000
            New-TestFile "$folder/shrink.bin" 30
            Remove-Item "$folder/delete.bin"
            New-TestFile "$folder/new.bin" 5
            $summary = Sync-Allocation $folder
            '{0} {1} {2} {3} {4} {5} {6} {7}' -f $summary.Added, $summary.AddedBytes, $summary.Updated, $summary.UpdatedBytes,
                $summary.Removed, $summary.RemovedBytes, $summary.Unchanged, $summary.SizeChange | Should -Be '1 5 2 2030 1 400 1 1135'
            # keep.bin was not touched: it stays before 'later'; the changed files became the most recently used.
            Get-Entries $folder | Should -Be @('keep.bin:100:False', 'later:1:False', 'grow.bin:2000:False', 'new.bin:5:False', 'shrink.bin:30:False')
            (Get-ResourceUsage).CurrentSize | Should -Be (100 + 1 + 2000 + 30 + 5)
        }

        It 'changes nothing when nothing changed' {
            New-TestFile "$folder/a.bin" 10
            $null = Sync-Allocation $folder
            $before = Get-MonitorState (Get-StateMonitor sync)
            $summary = Sync-Allocation $folder
            $summary.Unchanged | Should -Be 1
            $summary.Added + $summary.Updated + $summary.Removed | Should -Be 0
            Get-MonitorState (Get-StateMonitor sync) | Should -Be $before
        }

        It 'never touches entries outside the folder, in a folder whose name starts the same, or in a subfolder without -Recurse' {
            $null = New-Item -ItemType Directory -Path "$folder/sub"
            New-TestFile "$folder/sub/deep.bin" 50
            Add-Allocation -Key "$sibling/gone.bin" -Size 7
            Add-Allocation -Key "$folder/sub/gone.bin" -Size 8
            Add-Allocation -Key 'workflow_state' -Size 9
            Add-Allocation -Key "$root/outside.bin" -Size 10
            $summary = Sync-Allocation $folder
            $summary.Added + $summary.Updated + $summary.Removed | Should -Be 0
            Get-Entries $root | Should -Be @('artifacts2/gone.bin:7:False', 'artifacts/sub/gone.bin:8:False', 'workflow_state:9:False', 'outside.bin:10:False')
        }

        It 'takes subfolders with -Recurse, removing their deleted files too' {
            $null = New-Item -ItemType Directory -Path "$folder/sub"
            New-TestFile "$folder/sub/deep.bin" 50
            Add-Allocation -Key "$folder/sub/gone.bin" -Size 8
            $summary = Sync-Allocation $folder -Recurse
            $summary.Added | Should -Be 1
            $summary.Removed | Should -Be 1
            Get-Entries $root | Should -Be @('artifacts/sub/deep.bin:50:False')
        }

        It 'syncs only the files that match -Filter, leaving the entries of other files alone' {
            New-TestFile "$folder/a.log" 11
            New-TestFile "$folder/b.json" 22
            Add-Allocation -Key "$folder/gone.json" -Size 3
            Add-Allocation -Key "$folder/gone.log" -Size 4
            $summary = Sync-Allocation $folder -Filter '*.json'
            '{0} {1}' -f $summary.Added, $summary.Removed | Should -Be '1 1'
            Get-Entries $root | Should -Be @('artifacts/gone.log:4:False', 'artifacts/b.json:22:False')
        }

        It 'keeps pins: a pinned file that grows stays pinned' {
            New-TestFile "$folder/input.csv" 100
            Get-Item "$folder/input.csv" | Add-Allocation -Pin
            New-TestFile "$folder/input.csv" 150
            $summary = Sync-Allocation $folder
            $summary.Updated | Should -Be 1
            Get-Entries $root | Should -Be @('artifacts/input.csv:150:True')
            (Get-ResourceUsage).PinnedSize | Should -Be 150
        }

        It 'shows what would change with -WhatIf and changes nothing' {
            New-TestFile "$folder/new.bin" 5
            Add-Allocation -Key "$folder/gone.bin" -Size 4
            New-TestFile "$folder/grow.bin" 20
            # -WhatIf messages go to the host: a fresh process shows them as its output.
            $result = Invoke-FreshPwsh {
                param($Manifest, $Folder)
                Import-Module $Manifest
                $null = New-StateMonitor -Name whatif
                Add-Allocation -Key "$Folder/gone.bin" -Size 4
                Add-Allocation -Key "$Folder/grow.bin" -Size 2
                $summary = Sync-Allocation $Folder -WhatIf
                'changed={0}' -f ($summary.Added + $summary.Updated + $summary.Removed)
                'entries=' + (@(Get-Allocation | ForEach-Object { '{0}:{1}' -f $_.Key.Substring($Folder.Length + 1), $_.Size }) -join ',')
            } -ArgumentList (Get-BuiltModuleManifest), $folder
            $result.Output | Should -Be @(
                "What if: In state monitor 'whatif': Update '$folder/grow.bin' from 2 B to 20 B."
                "What if: In state monitor 'whatif': Add '$folder/new.bin' (5 B)."
                "What if: In state monitor 'whatif': Remove '$folder/gone.bin' (4 B), no longer there."
                'changed=0'
                'entries=gone.bin:4,grow.bin:2')
        }

        It 'outputs the changed entries with -PassThru, then the summary' {
            New-TestFile "$folder/new.bin" 5
            Add-Allocation -Key "$folder/gone.bin" -Size 4
            $output = Sync-Allocation $folder -PassThru
            $output.Count | Should -Be 3
            $output[0].Key | Should -Be "$folder/new.bin"
            $output[0].Size | Should -Be 5
            $output[1].Key | Should -Be "$folder/gone.bin"
            $output[1].Size | Should -Be 4
            $output[2] | Should -BeOfType ([AgentFlow.Resources.SyncSummary])
        }

        It 'applies admission rules and alerts as Add-Allocation does: a file over MaxValueSize is an error, the rest is recorded' {
            $null = New-StateMonitor -Name tight -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 1KB)
            New-TestFile "$folder/big.bin" 2KB
            New-TestFile "$folder/small.bin" 100
            $summary = Sync-Allocation $folder -ErrorVariable problems -ErrorAction SilentlyContinue -WarningVariable warned
            $problems.FullyQualifiedErrorId | Should -Be "ValueSizeLimitExceeded,$SyncCommand"
            # The alert shortens a long key in the middle.
            $warned.Count | Should -Be 1
            $warned[0].Message | Should -BeLike "[[]tight] ValueSize limit exceeded by '*big.bin': 2 KB would exceed 1 KB."
            $summary.Added | Should -Be 1
            (Get-Allocation).Key | Should -Be @("$folder/small.bin")
        }

        It 'writes SyncFolderNotFound for a folder that does not exist and changes nothing' {
            Add-Allocation keep 1
            $record = Get-ErrorRecord { Sync-Allocation (Join-Path $root 'missing') }
            $record.FullyQualifiedErrorId | Should -Be "SyncFolderNotFound,$SyncCommand"
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            (Get-Allocation).Key | Should -Be @('keep')
        }

        It 'resolves a relative path against the current location' {
            New-TestFile "$folder/a.bin" 3
            Push-Location $root
            try { $summary = Sync-Allocation ./artifacts } finally { Pop-Location }
            $summary.Scope | Should -Be $folder
            (Get-Allocation).Key | Should -Be @("$folder/a.bin")
        }

        It 'refuses a fast monitor, which keeps no keys to compare' {
            $null = New-StateMonitor -Name fast -Fast
            (Get-ErrorRecord { Sync-Allocation $folder }).FullyQualifiedErrorId | Should -Be "NotSupportedByFastMonitor,$SyncCommand"
        }
    }

    Context 'processes' {
        BeforeEach {
            $null = New-StateMonitor -Name processes -Limits (New-ResourceLimits -MaxStateSize 64GB -MaxValueSize 32GB -AutoCleanup:$false)
        }

        It 'records each process''s working set as process/NAME/ID and removes the entries of processes that exited' {
            $pwsh = Get-PwshCommand
            $child = Start-Process -FilePath $pwsh.FilePath -ArgumentList (@($pwsh.Arguments) + @('-NoProfile', '-NonInteractive', '-Command', 'Start-Sleep 60')) -PassThru
            try {
                $self = Get-Process -Id $PID
                $summary = $self, $child | Sync-Allocation
                $summary.Scope | Should -Be 'process/'
                $summary.Added | Should -Be 2
                $childKey = "process/$($child.ProcessName)/$($child.Id)"
                $selfKey = "process/$($self.ProcessName)/$PID"
                @(Get-Allocation -Key 'process/*').Key | Should -Be @($selfKey, $childKey)
                $summary.AddedBytes | Should -Be ((Get-Allocation -Key 'process/*' | Measure-Object Size -Sum).Sum)
                (Get-Allocation $childKey).Size | Should -BeGreaterThan 0
                Add-Allocation 'process/ghost/999999999' 5
                Add-Allocation 'not-a-process' 6
            }
            finally {
                $child.Kill()
                $child.WaitForExit()
            }
            # Only this process is given now: the child's entry goes because it exited, the ghost's because no process has its id.
            $summary = Sync-Allocation -Process (Get-Process -Id $PID)
            $summary.Removed | Should -Be 2
            $summary.RemovedBytes | Should -BeGreaterThan 5
            @(Get-Allocation).Key | Should -Contain $selfKey
            @(Get-Allocation).Key | Should -Contain 'not-a-process'
            @(Get-Allocation -Key 'process/*').Key | Should -Be @($selfKey)
        }

        It 'leaves the entries of running processes that were not given alone' {
            Add-Allocation "process/$((Get-Process -Id $PID).ProcessName)/$PID" 123
            $summary = @() | Sync-Allocation
            $summary.Removed | Should -Be 0
            (Get-Allocation -Key 'process/*').Size | Should -Be 123
        }
    }
}
