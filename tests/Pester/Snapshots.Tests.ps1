#Requires -Version 7.0
# Export-StateMonitor and Import-StateMonitor: exact round trips across processes, one test per kind of bad file,
# and a crash test that kills an exporting process with SIGKILL at random moments.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Manifest = Get-BuiltModuleManifest
    Import-Module $Manifest
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $Commands = 'AgentFlow.Resources.PowerShell.Commands'
    $WarningPreference = 'SilentlyContinue'
    $Header = '{"format":"AgentFlow.Resources.StateSnapshot","version":1,"state":'

    # The exact text of a snapshot file's "state" value.
    function Get-SnapshotState([string]$Path) {
        $text = [IO.File]::ReadAllText($Path)
        $end = $text.LastIndexOf(',"sha256":"')
        $text.Substring($Header.Length, $end - $Header.Length)
    }

    # A snapshot file with this state text and its correct checksum: what a reader sees after the checksum passes.
    function Write-SnapshotFile([string]$Path, [string]$State) {
        $hash = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($State))).ToLowerInvariant()
        [IO.File]::WriteAllText($Path, $Header + $State + ',"sha256":"' + $hash + '"}', [Text.UTF8Encoding]::new($false))
    }

    function Get-MonitorNames { @(Get-StateMonitor | ForEach-Object Name) }
}

Describe 'Snapshots' {
    BeforeEach {
        Reset-MonitorRegistry
    }

    Context 'An exact round trip between two processes' {
        BeforeAll {
            # Both processes run this: 'export' builds the state, 'import' reads it back; then both take the same next steps.
            $Scenario = {
                param($Manifest, $Path, $Mode)
                $ErrorActionPreference = 'Stop'
                Import-Module $Manifest
                function Get-Picture([switch]$WithoutTimes) {
                    $time = if ($WithoutTimes) { '' } else { '{3:o}' }
                    [ordered]@{
                        Allocation = @(Get-Allocation | ForEach-Object { '{0}|{1}|{2}|{3}|{4}' -f $_.Key, $_.Size, $_.ResidentSize, $_.IsPinned, $_.IsStreamed })
                        Lru        = @(Get-LruKey -Count 100)
                        Usage      = Get-ResourceUsage | ConvertTo-Json -Compress
                        Alerts     = @(Get-ResourceAlert -Peek | ForEach-Object { "{0}|$time|{1}|{2}" -f $_.Type, $_.MonitorName, $_, $_.Timestamp })
                        Settings   = Get-StateMonitor roundtrip | ForEach-Object { '{0}|{1}|{2}' -f $_.Limits, $_.History.Interval, $_.History.Length }
                    } | ConvertTo-Json -Compress -Depth 4
                }
                if ($Mode -eq 'export') {
                    $limits = New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 2KB -MaxCacheEntries 16 -CleanupThreshold 0.8 -CleanupTarget 0.5 `
                        -AutoCleanup:$false -EnableStreaming -StreamChunkSize 512 -PredictionHorizon '00:30:00'
                    # One history interval holds the whole run, so the forecast (3 samples at least) stays empty in both processes.
                    $null = New-StateMonitor -Name roundtrip -Limits $limits -MaxAlerts 3 -HistoryInterval '01:00:00' -HistoryLength 48
                    Add-Allocation input 1KB -Pin
                    Add-Allocation a 2KB; Add-Allocation b 2KB; Add-Allocation stream 6KB; Add-Allocation c 2KB
                    Use-Allocation a
                    Add-Allocation d 1KB -WarningAction SilentlyContinue                       # 8704 B: ApproachingLimit
                    Add-Allocation e 2KB -ErrorAction SilentlyContinue -WarningAction SilentlyContinue   # rejected: LimitExceeded
                    $null = Invoke-ResourceCleanup -TargetPercentage 0.75 -WarningAction SilentlyContinue  # evicts b
                    Add-Allocation f 1536 -WarningAction SilentlyContinue                      # 8192 B: ApproachingLimit again; 1 alert dropped
                    Lock-Allocation c
                    'PICTURE=' + (Get-Picture)
                    Export-StateMonitor -Path $Path
                }
                else {
                    $null = Import-StateMonitor -Path $Path -WarningVariable importWarnings
                    'IMPORTWARNINGS=' + @($importWarnings).Count
                    'PICTURE=' + (Get-Picture)
                }
                Add-Allocation g 512 -WarningVariable w1                                       # above the threshold, already announced
                Add-Allocation h 2KB -ErrorAction SilentlyContinue -WarningVariable w2 -WarningAction SilentlyContinue
                $cleanup = Invoke-ResourceCleanup -TargetPercentage 0.5 -WarningAction SilentlyContinue
                'NEXTWARNINGS=' + ((@($w1) + @($w2)) -join ' / ')
                'EVICTED=' + (($cleanup.Evicted | ForEach-Object Key) -join ',')
                # Alerts raised by the next steps carry each process's own time.
                'AFTER=' + (Get-Picture -WithoutTimes)
            }
            $Path = Join-Path $TestDrive 'roundtrip.json'
            $Exported = Invoke-FreshPwsh $Scenario -ArgumentList $Manifest, $Path, 'export'
            $Imported = Invoke-FreshPwsh $Scenario -ArgumentList $Manifest, $Path, 'import'
            function Get-Line($Run, [string]$Name) { ($Run.Output | Where-Object { $_.StartsWith("$Name=") }).Substring($Name.Length + 1) }
        }

        It 'both processes finish without errors' {
            $Exported.ErrorOutput | Should -BeNullOrEmpty
            $Exported.ExitCode | Should -Be 0
            $Imported.ErrorOutput | Should -BeNullOrEmpty
            $Imported.ExitCode | Should -Be 0
        }

        It 'Get-Allocation, Get-LruKey, Get-ResourceUsage and Get-ResourceAlert -Peek give exactly what they gave before export' {
            $before = Get-Line $Exported 'PICTURE'
            Get-Line $Imported 'PICTURE' | Should -BeExactly $before
            $picture = $before | ConvertFrom-Json
            $picture.Allocation | Should -Be @('input|1024|1024|True|False', 'stream|6144|512|False|True', 'c|2048|2048|True|False', 'a|2048|2048|False|False', 'd|1024|1024|False|False', 'f|1536|1536|False|False')
            $picture.Lru | Should -Be @('input', 'stream', 'c', 'a', 'd', 'f')
            $usage = $picture.Usage | ConvertFrom-Json
            $usage.CurrentSize | Should -Be 8192
            $usage.PeakSize | Should -Be 8704
            $usage.PinnedCount | Should -Be 2
            $usage.StreamedBytes | Should -Be 6144
            $usage.TotalEvictions | Should -Be 1
            $usage.RejectedAllocations | Should -Be 1
            $usage.AlertsDropped | Should -Be 1
            $usage.AlertsRaised.ApproachingLimit | Should -Be 2
            $usage.AlertsRaised.LimitExceeded | Should -Be 1
            $usage.AlertsRaised.CleanupTriggered | Should -Be 1
            $picture.Settings | Should -BeLike '*prediction horizon 00:30:00|01:00:00|48'
            @($picture.Alerts | ForEach-Object { ($_ -split '\|')[0] }) | Should -Be @('LimitExceeded', 'CleanupTriggered', 'ApproachingLimit')
        }

        It 'import raises no alert and evicts nothing' {
            Get-Line $Imported 'IMPORTWARNINGS' | Should -Be '0'
            ((Get-Line $Imported 'PICTURE') | ConvertFrom-Json).Allocation.Count | Should -Be 6
        }

        It 'the next eviction and the next alert are the ones that would have come before export' {
            Get-Line $Imported 'EVICTED' | Should -Be (Get-Line $Exported 'EVICTED')
            Get-Line $Exported 'EVICTED' | Should -Be 'stream,a,d'
            Get-Line $Imported 'NEXTWARNINGS' | Should -Be (Get-Line $Exported 'NEXTWARNINGS')
            Get-Line $Imported 'AFTER' | Should -BeExactly (Get-Line $Exported 'AFTER')
        }

        It 'an ApproachingLimit already raised is not raised again' {
            Get-Line $Imported 'NEXTWARNINGS' | Should -Be "[roundtrip] StateSize limit exceeded by 'h': 10.5 KB would exceed 10 KB."
        }
    }

    Context 'A shared (Redis) budget' {
        BeforeAll {
            Import-Module (Join-Path $PSScriptRoot 'RedisTestServer.psm1') -Force
            $Server = Start-TestRedisServer
        }
        AfterAll { Stop-TestRedisServer $Server }

        It 'exports what the budget holds, and imports it as an in-process monitor of the same detail' {
            $null = New-StateMonitor -Name "shared-$PID" -Redis $Server.Configuration -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 4KB)
            Add-Allocation a 1KB; Add-Allocation b 2KB -Pin; Add-Allocation c 3KB; Use-Allocation a
            Add-Allocation big 5KB -ErrorAction SilentlyContinue
            $path = Join-Path $TestDrive 'shared.json'
            Export-StateMonitor -Path $path
            $copy = Import-StateMonitor -Path $path -Name local
            $copy.Store.Kind | Should -Be 'Memory'
            @(Get-LruKey -Monitor local -Count 10) | Should -Be @(Get-LruKey -Monitor "shared-$PID" -Count 10)
            @(Get-LruKey -Monitor local -Count 10) | Should -Be @('b', 'c', 'a')
            (Get-Allocation -Monitor local -Key b).IsPinned | Should -BeTrue
            $usage = Get-ResourceUsage -Monitor local
            $usage.CurrentSize | Should -Be 6KB
            $usage.RejectedAllocations | Should -Be 1
            $usage.AlertsRaised.ToString() | Should -Be 'ApproachingLimit 0, LimitExceeded 1, CleanupTriggered 0, CleanupFailed 0, PredictedExhaustion 0'
        }

        It 'exports a counters-only shared budget as a fast monitor' {
            $null = New-StateMonitor -Name "shared-fast-$PID" -Redis $Server.Configuration -Fast
            Add-Allocation a 1KB; Add-Allocation b 2KB
            $path = Join-Path $TestDrive 'shared-fast.json'
            Export-StateMonitor -Path $path
            $copy = Import-StateMonitor -Path $path -Name local-fast
            $copy.IsFast | Should -BeTrue
            $copy.Store.Kind | Should -Be 'Counters'
            (Get-ResourceUsage -Monitor local-fast).CurrentSize | Should -Be 3KB
            (Get-ResourceUsage -Monitor local-fast).ValueCount | Should -Be 2
        }
    }

    Context 'Export-StateMonitor' {
        BeforeEach {
            $monitor = New-StateMonitor -Name source -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 1KB)
            Add-Allocation a 100; Add-Allocation b 200 -Pin; Add-Allocation c 300
            $path = Join-Path $TestDrive "export-$([guid]::NewGuid().ToString('N')).json"
        }

        It 'writes the versioned format with -PassThru returning the file' {
            $file = Export-StateMonitor -Path $path -PassThru
            $file | Should -BeOfType ([IO.FileInfo])
            $file.FullName | Should -Be $path
            [IO.File]::ReadAllText($path) | Should -BeLike "$Header{`"name`":`"source`",`"store`":`"Memory`"*"
        }

        It 'takes the monitor by name in the first position and from the pipeline' {
            $null = New-StateMonitor -Name other
            Export-StateMonitor source $path
            (Get-SnapshotState $path) | Should -BeLike '{"name":"source",*'
            Get-StateMonitor other | Export-StateMonitor -Path $path
            (Get-SnapshotState $path) | Should -BeLike '{"name":"other",*'
        }

        It 'replaces an existing file, and with -NoClobber refuses to (NoClobber, ResourceExists)' {
            Set-Content -LiteralPath $path -Value 'old'
            Export-StateMonitor -Path $path
            (Get-SnapshotState $path) | Should -BeLike '{"name":"source",*'
            Set-Content -LiteralPath $path -Value 'old'
            $record = Get-ErrorRecord { Export-StateMonitor -Path $path -NoClobber }
            $record.FullyQualifiedErrorId | Should -Be "NoClobber,$Commands.ExportStateMonitorCommand"
            $record.CategoryInfo.Category | Should -Be 'ResourceExists'
            Get-Content -LiteralPath $path | Should -Be 'old'
        }

        It 'writes nothing with -WhatIf' {
            Export-StateMonitor -Path $path -WhatIf
            Test-Path -LiteralPath $path | Should -BeFalse
        }

        It 'leaves no temporary file and says why it cannot write into a missing folder (SnapshotWriteFailed)' {
            $record = Get-ErrorRecord { Export-StateMonitor -Path (Join-Path $TestDrive 'no-such-folder/x.json') }
            $record.FullyQualifiedErrorId | Should -Be "SnapshotWriteFailed,$Commands.ExportStateMonitorCommand"
            $record.CategoryInfo.Category | Should -Be 'WriteError'
            Export-StateMonitor -Path $path
            @(Get-ChildItem -LiteralPath $TestDrive -Force -Filter '*.tmp') | Should -BeNullOrEmpty
        }

        It 'keeps only the counters of a fast monitor' {
            $fast = New-StateMonitor -Name quick -Fast -Limits (New-ResourceLimits -MaxStateSize 1KB -MaxValueSize 1KB)
            Add-Allocation x 300; Add-Allocation y 400; Add-Allocation z 2KB -ErrorAction SilentlyContinue
            Export-StateMonitor -Path $path
            $state = Get-SnapshotState $path
            $state | Should -BeLike '*"store":"Counters"*'
            $state | Should -BeLike '*"entries":`[`]}'
            $usage = Get-ResourceUsage | ConvertTo-Json -Compress
            Remove-StateMonitor quick -Confirm:$false
            $imported = Import-StateMonitor -Path $path
            $imported.IsFast | Should -BeTrue
            Get-ResourceUsage | ConvertTo-Json -Compress | Should -Be $usage
            (Get-ResourceUsage).RejectedAllocations | Should -Be 1
        }
    }

    Context 'Import-StateMonitor' {
        BeforeEach {
            $source = New-StateMonitor -Name source -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 1KB)
            Add-Allocation a 100; Add-Allocation b 200 -Pin; Add-Allocation c 300
            $path = Join-Path $TestDrive "import-$([guid]::NewGuid().ToString('N')).json"
            Export-StateMonitor -Path $path
            $sourceState = Get-MonitorState $source
        }

        It 'registers the monitor under the name in the file, makes it current and returns it' {
            Remove-StateMonitor source -Confirm:$false
            $monitor = Import-StateMonitor $path
            $monitor.Name | Should -Be 'source'
            Get-StateMonitor -Current | Should -Be $monitor
            Get-MonitorState $monitor | Should -Be $sourceState
        }

        It 'registers under -Name, and takes files from the pipeline' {
            $monitor = Get-Item -LiteralPath $path | Import-StateMonitor -Name copy
            $monitor.Name | Should -Be 'copy'
            Get-MonitorNames | Should -Be @('copy', 'source')
            Get-MonitorState $monitor | Should -Be $sourceState
        }

        It 'refuses a name in use (MonitorNameInUse, ResourceExists) and changes nothing' {
            $null = New-StateMonitor -Name keeper
            $record = Get-ErrorRecord { Import-StateMonitor -Path $path }
            $record.FullyQualifiedErrorId | Should -Be "MonitorNameInUse,$Commands.ImportStateMonitorCommand"
            $record.CategoryInfo.Category | Should -Be 'ResourceExists'
            (Get-StateMonitor -Current).Name | Should -Be 'keeper'
            Get-StateMonitor source | Should -Be $source
        }

        It 'replaces a monitor of the same name with -Force' {
            Add-Allocation later 1KB -Monitor source
            $monitor = Import-StateMonitor -Path $path -Force
            Get-StateMonitor source | Should -Be $monitor
            Get-MonitorState $monitor | Should -Be $sourceState
        }

        It 'registers nothing with -WhatIf' {
            Import-StateMonitor -Path $path -Name copy -WhatIf
            Get-MonitorNames | Should -Be @('source')
        }

        It 'gives the usual PowerShell path error for a missing file' {
            $record = Get-ErrorRecord { Import-StateMonitor -Path (Join-Path $TestDrive 'missing.json') }
            $record.FullyQualifiedErrorId | Should -Be "PathNotFound,$Commands.ImportStateMonitorCommand"
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            Get-MonitorNames | Should -Be @('source')
        }

        It 'raises no alert and evicts nothing, even above the threshold with automatic cleanup held by pins' {
            $limits = New-ResourceLimits -MaxStateSize 1KB -MaxValueSize 1KB -CleanupThreshold 0.5 -AutoCleanup
            $null = New-StateMonitor -Name held -Limits $limits
            Add-Allocation p 600 -Pin
            Add-Allocation q 100 -WarningAction SilentlyContinue
            $alerts = @(Get-ResourceAlert -Peek | ForEach-Object Message)
            $alerts.Count | Should -BeGreaterThan 0
            $before = Get-MonitorState (Get-StateMonitor held)
            Export-StateMonitor -Path $path
            $imported = Import-StateMonitor -Path $path -Name held2 -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -BeNullOrEmpty
            @(Get-ResourceAlert -Peek | ForEach-Object Message) | Should -Be $alerts
            Get-MonitorState $imported | Should -Be $before
        }
    }

    Context 'A bad file: InvalidStateSnapshot, nothing registered, the current monitor unchanged' {
        BeforeAll {
            Reset-MonitorRegistry
            $null = New-StateMonitor -Name source -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 1KB)
            Add-Allocation a 100; Add-Allocation b 200 -Pin; Add-Allocation c 300
            $Good = Join-Path $TestDrive 'good.json'
            Export-StateMonitor -Path $Good
            $GoodState = Get-SnapshotState $Good
        }

        BeforeEach {
            $null = New-StateMonitor -Name keeper
            $bad = Join-Path $TestDrive "bad-$([guid]::NewGuid().ToString('N')).json"
        }

        It 'is <Kind>' -TestCases @(
            @{ Kind = 'not JSON'; Detail = 'it is not valid JSON: *'; Make = { param($bad) Set-Content -LiteralPath $bad -Value 'Name,Size`na,100' } }
            @{ Kind = 'truncated'; Detail = 'the file ends after * bytes, before the snapshot is complete.'
                Make = { param($bad) $bytes = [IO.File]::ReadAllBytes($Good); [IO.File]::WriteAllBytes($bad, $bytes[0..($bytes.Length / 2)]) } }
            @{ Kind = 'a checksum mismatch'; Detail = 'the checksum does not match the content, so the file was changed or damaged after it was written*'
                Make = { param($bad) [IO.File]::WriteAllText($bad, [IO.File]::ReadAllText($Good).Replace('"key":"a","size":100', '"key":"a","size":101')) } }
            @{ Kind = 'an unknown format'; Detail = "its format is 'Export-Clixml', not 'AgentFlow.Resources.StateSnapshot'."
                Make = { param($bad) Set-Content -LiteralPath $bad -Value '{"format":"Export-Clixml","version":1}' } }
            @{ Kind = 'a newer version'; Detail = 'it is format version 2, newer than this module reads (versions 1 to 1). Update AgentFlow.Resources to read it.'
                Make = { param($bad) [IO.File]::WriteAllText($bad, [IO.File]::ReadAllText($Good).Replace('"version":1,', '"version":2,')) } }
            @{ Kind = 'invalid limits'; Detail = 'its limits are invalid: MaxValueSize (20480) must not be greater than MaxStateSize (10240).'
                Make = { param($bad) Write-SnapshotFile $bad $GoodState.Replace('"maxValueSize":1024', '"maxValueSize":20480') } }
            @{ Kind = 'duplicate keys'; Detail = "The key 'a' is listed more than once.*"
                Make = { param($bad) Write-SnapshotFile $bad $GoodState.Replace('"key":"c"', '"key":"a"') } }
            @{ Kind = 'a negative size'; Detail = "The entry 'a' has a negative size (-100).*"
                Make = { param($bad) Write-SnapshotFile $bad $GoodState.Replace('"key":"a","size":100', '"key":"a","size":-100') } }
            @{ Kind = 'totals that disagree with the entries'; Detail = 'CurrentSize is 700, but the entries add up to 600.'
                Make = { param($bad) Write-SnapshotFile $bad $GoodState.Replace('"currentSize":600', '"currentSize":700').Replace('"peakSize":600', '"peakSize":700') } }
        ) {
            param($Kind, $Detail, $Make)
            & $Make $bad
            [IO.File]::ReadAllText($bad) | Should -Not -Be ([IO.File]::ReadAllText($Good))
            $record = Get-ErrorRecord { Import-StateMonitor -Path $bad -Name imported }
            $record.FullyQualifiedErrorId | Should -Be "InvalidStateSnapshot,$Commands.ImportStateMonitorCommand"
            $record.CategoryInfo.Category | Should -Be 'InvalidData'
            $record.TargetObject | Should -Be $bad
            $record.Exception.Message | Should -BeLike "The file '$bad' is not a valid state snapshot: $Detail"
            Get-MonitorNames | Should -Be @('keeper')
            (Get-StateMonitor -Current).Name | Should -Be 'keeper'
        }
    }

    Context 'A crash while exporting' {
        It 'leaves a file that imports and equals one of the states written, after 20 SIGKILLs at random moments' {
            # No usage history: it holds the wall-clock times of each process, and the check below rebuilds a state byte for byte.
            $base = New-StateMonitor -Name crash -Limits (New-ResourceLimits -MaxStateSize 100GB -MaxValueSize 1GB -MaxCacheEntries 1000000) -HistoryLength 0
            for ($i = 0; $i -lt 20000; $i++) { [void]$base.RecordAllocation("/artifacts/run/entry-$i.bin", 1000 + $i) }
            $basePath = Join-Path $TestDrive 'crash-base.json'
            Export-StateMonitor -Path $basePath
            $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'crash')
            $target = Join-Path $folder 'state.json'
            $expected = Join-Path $TestDrive 'crash-expected.json'

            # Each child imports the base, waits for its go file, then records one more entry and exports, again and again.
            $child = Join-Path $TestDrive 'crash-child.ps1'
            Set-Content -LiteralPath $child -Value @'
param($Manifest, $Base, $Target, $Go, $Started, $Child)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
$null = Import-StateMonitor -Path $Base
while (-not (Test-Path -LiteralPath $Go)) { Start-Sleep -Milliseconds 5 }
for ($i = 1; ; $i++) {
    Add-Allocation "c$Child-$i" (1000 + $i)
    Export-StateMonitor -Path $Target
    if ($i -eq 1) { $null = New-Item -ItemType File -Path $Started }
}
'@
            $pwsh = Get-PwshCommand
            function Start-Child([int]$Number) {
                $psi = [Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
                foreach ($a in @($pwsh.Arguments) + @('-NoProfile', '-NonInteractive', '-File', $child, $Manifest, $basePath, $target,
                        (Join-Path $TestDrive "go-$Number"), (Join-Path $TestDrive "started-$Number"), $Number)) { $psi.ArgumentList.Add($a) }
                $psi.Environment['POWERSHELL_TELEMETRY_OPTOUT'] = '1'
                $psi.Environment['POWERSHELL_UPDATECHECK'] = 'Off'
                $psi.UseShellExecute = $false
                $psi.RedirectStandardOutput = $true
                $psi.RedirectStandardError = $true
                [Diagnostics.Process]::Start($psi)
            }

            $kills = 20
            $random = [Random]::new()
            # Children start ahead (the slow part), on the other core while one exports.
            $ready = [Collections.Generic.Queue[object]]::new()
            foreach ($n in 1..3) { $ready.Enqueue((Start-Child $n)) }
            $tornLeftovers = 0
            $process = $null
            try {
                for ($k = 1; $k -le $kills; $k++) {
                    $process = $ready.Dequeue()
                    $null = New-Item -ItemType File -Path (Join-Path $TestDrive "go-$k")
                    if ($k + 3 -le $kills) { $ready.Enqueue((Start-Child ($k + 3))) }
                    $deadline = [DateTime]::UtcNow.AddSeconds(120)
                    while (-not (Test-Path -LiteralPath (Join-Path $TestDrive "started-$k"))) {
                        if ($process.HasExited) { throw "Child $k exited early: $($process.StandardError.ReadToEnd())" }
                        if ([DateTime]::UtcNow -gt $deadline) { throw "Child $k wrote no snapshot in 120 s." }
                        Start-Sleep -Milliseconds 5
                    }
                    Start-Sleep -Milliseconds ($random.Next(0, 250))
                    $process.Kill()   # SIGKILL on Linux and macOS
                    $process.WaitForExit()
                    $process.Dispose()
                    $process = $null

                    $tornLeftovers += @(Get-ChildItem -LiteralPath $folder -Force -Filter '.state.json.*.tmp').Count
                    Get-ChildItem -LiteralPath $folder -Force -Filter '.state.json.*.tmp' | Remove-Item -Force
                    $imported = Import-StateMonitor -Path $target -Name crash-check -Force
                    $last = $imported.GetAllocations()[-1].Key
                    $last | Should -Match "^c$k-\d+$" -Because "after kill $k the file holds a state that child $k wrote"
                    $written = [int]($last -split '-')[-1]
                    $imported.ValueCount | Should -Be (20000 + $written)

                    # The state child k wrote after its entry $written, rebuilt here: the file must equal it byte for byte.
                    $null = Import-StateMonitor -Path $basePath -Force
                    for ($i = 1; $i -le $written; $i++) { Add-Allocation "c$k-$i" (1000 + $i) -Monitor crash }
                    Export-StateMonitor -Monitor crash -Path $expected
                    [Linq.Enumerable]::SequenceEqual([IO.File]::ReadAllBytes($target), [IO.File]::ReadAllBytes($expected)) | Should -BeTrue -Because "kill $k"
                }
            }
            finally {
                # A failed check must not leave waiting children behind.
                foreach ($waiting in @($ready) + @($process)) { if ($waiting -and -not $waiting.HasExited) { $waiting.Kill() } }
            }
            Write-Host "    $kills kills; $tornLeftovers left a temporary file behind (killed mid-write); the snapshot was whole every time."
        }
    }
}
