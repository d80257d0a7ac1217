#Requires -Version 7.0
# A shared budget when Redis misbehaves: stopped, killed and restarted, unreachable, a wrong password, an ACL user;
# no password in any output; and the Redis client isolated in its own AssemblyLoadContext.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'RedisTestServer.psm1') -Force
    $Manifest = Get-BuiltModuleManifest
    Import-Module $Manifest
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $WarningPreference = 'SilentlyContinue'
    $Timeouts = 'syncTimeout=1000,connectTimeout=1000,connectRetry=1'
}

Describe 'Faults of the Redis server' {
    BeforeEach { Reset-MonitorRegistry }

    It 'answers RedisUnavailable while the server is stopped (SIGSTOP), then works again with the state intact (SIGCONT)' {
        $server = Start-TestRedisServer
        try {
            $null = New-StateMonitor -Name stopped -Redis "$($server.Configuration),$Timeouts" -Limits (New-ResourceLimits -MaxStateSize 1000 -MaxValueSize 1000)
            Add-Allocation -Key before -Size 100
            & kill -STOP $server.Process.Id
            # A guard against a hang, far above the 1 s timeout: the call must come back with an error.
            $call = Start-ThreadJob { param($m, $manifest) Import-Module $manifest; Add-Allocation -Monitor $m -Key during -Size 10 -ErrorVariable e -ErrorAction SilentlyContinue; $e } -ArgumentList (Get-StateMonitor stopped), $Manifest
            $finished = Wait-Job $call -Timeout 30
            & kill -CONT $server.Process.Id
            $finished | Should -Not -BeNullOrEmpty -Because 'a stopped server must not hang a command'
            $errors = @(Receive-Job $call)
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'RedisUnavailable,*'
            $errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
            Add-Allocation -Key after -Size 50
            (Get-Allocation).Key | Should -Be @('before', 'after')
            (Get-ResourceUsage).CurrentSize | Should -Be 150
        }
        finally { Stop-TestRedisServer $server }
    }

    It 'answers RedisUnavailable from every command that takes a monitor while the server is stopped, and changes nothing' {
        $server = Start-TestRedisServer
        $folder = Join-Path $server.Directory 'synced'
        $null = New-Item -ItemType Directory -Path $folder
        try {
            $name = 'stopped-all'
            $null = New-StateMonitor -Name $name -Redis "$($server.Configuration),$Timeouts" -Limits (New-ResourceLimits -MaxStateSize 1000 -MaxValueSize 1000)
            Add-Allocation -Key a -Size 100
            Add-Allocation -Key b -Size 200 -Pin
            # Every command with a -Monitor parameter, run once against the stopped server; the second value is the
            # error expected (empty: the command does not reach the store).
            $calls = [ordered]@{
                'Add-Allocation'         = "Add-Allocation -Monitor $name -Key c -Size 10", 'RedisUnavailable'
                'Clear-ResourceAlert'    = "Clear-ResourceAlert -Monitor $name -Confirm:`$false", 'RedisUnavailable'
                'Export-ResourceMetrics' = "Export-ResourceMetrics -Monitor $name", 'RedisUnavailable'
                'Export-ResourceReport'  = "Export-ResourceReport -Monitor $name -Path '$folder/report.html'", 'RedisUnavailable'
                'Export-StateMonitor'    = "Export-StateMonitor -Monitor $name -Path '$folder/state.json'", 'RedisUnavailable'
                'Get-Allocation'         = "Get-Allocation -Monitor $name", 'RedisUnavailable'
                'Get-LruKey'             = "Get-LruKey -Monitor $name", 'RedisUnavailable'
                'Get-ResourceAlert'      = "Get-ResourceAlert -Monitor $name", 'RedisUnavailable'
                'Get-ResourceUsage'      = "Get-ResourceUsage -Monitor $name", 'RedisUnavailable'
                'Invoke-MonitoredStep'   = "Invoke-MonitoredStep -Monitor $name -Name step -ScriptBlock { 1 }", 'RedisUnavailable'
                'Invoke-ResourceCleanup' = "Invoke-ResourceCleanup -Monitor $name -TargetPercentage 0 -Confirm:`$false", 'RedisUnavailable'
                'Lock-Allocation'        = "Lock-Allocation -Monitor $name -Key a", 'RedisUnavailable'
                'Remove-Allocation'      = "Remove-Allocation -Monitor $name -Key a -Confirm:`$false", 'RedisUnavailable'
                'Reset-StateMonitor'     = "Reset-StateMonitor -Monitor $name -Confirm:`$false", 'RedisUnavailable'
                'Show-ResourceUsage'     = "Show-ResourceUsage -Monitor $name", 'RedisUnavailable'
                'Sync-Allocation'        = "Sync-Allocation -Monitor $name -Path '$folder' -Confirm:`$false", 'RedisUnavailable'
                'Unlock-Allocation'      = "Unlock-Allocation -Monitor $name -Key b", 'RedisUnavailable'
                'Use-Allocation'         = "Use-Allocation -Monitor $name -Key a", 'RedisUnavailable'
                'Select-StateMonitor'    = "Select-StateMonitor -Monitor $name", ''
                'Get-ResourceUsage -History' = "Get-ResourceUsage -Monitor $name -History", 'RedisUnavailable'
            }
            $withMonitor = (Get-Command -Module AgentFlow.Resources -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('Monitor') }).Name
            @($withMonitor | Where-Object { $_ -notin $calls.Keys -and $_ -ne 'Remove-StateMonitor' }) | Should -BeNullOrEmpty -Because 'every command that takes a monitor is run here'

            & kill -STOP $server.Process.Id
            # All at once (each would wait its 1 s timeout), each in a runspace of its own; a bounded wait far above
            # the timeout fails the test instead of hanging it.
            $jobs = foreach ($call in $calls.GetEnumerator()) {
                Start-ThreadJob -ThrottleLimit 32 -ArgumentList $Manifest, $call.Value[0] {
                    param($manifest, $command)
                    Import-Module $manifest
                    $WarningPreference = 'SilentlyContinue'
                    $Error.Clear()
                    try { $null = & ([scriptblock]::Create($command)) 2>$null } catch { $null = $_ }
                    @($Error | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] })[-1]
                }
            }
            $finished = @(Wait-Job $jobs -Timeout 60)
            $removed = Measure-Command { Remove-StateMonitor -Monitor $name -Confirm:$false -ErrorVariable removeFailed }
            & kill -CONT $server.Process.Id
            $finished.Count | Should -Be $jobs.Count -Because 'a stopped server must not hang a command'
            $removeFailed | Should -BeNullOrEmpty -Because 'a monitor whose server is stopped can still be unregistered'
            $i = 0
            $actual = foreach ($call in $calls.GetEnumerator()) { "$($call.Key): $(Receive-Job $jobs[$i++])" }
            $expected = foreach ($call in $calls.GetEnumerator()) { "$($call.Key): $($call.Value[1])" }
            $actual | Should -Be $expected

            # Nothing a failed call sent changed the budget once the server ran again.
            $monitor = New-StateMonitor -Name $name -Redis "$($server.Configuration),$Timeouts"
            (Get-Allocation -Monitor $monitor | ForEach-Object { "$($_.Key)=$($_.Size)$(if ($_.IsPinned) { '!' })" }) -join ',' | Should -Be 'a=100,b=200!'
        }
        finally {
            Get-Job | Remove-Job -Force -ErrorAction Ignore
            Stop-TestRedisServer $server
        }
    }

    It 'keeps the state Redis persisted when the server is killed and restarted with append-only persistence' {
        $server = Start-TestRedisServer -Arguments '--appendonly', 'yes', '--appendfsync', 'always'
        try {
            $monitor = New-StateMonitor -Name persisted -Redis "$($server.Configuration),$Timeouts" -Limits (New-ResourceLimits -MaxStateSize 1000 -MaxValueSize 1000)
            Add-Allocation -Key a -Size 100
            Add-Allocation -Key b -Size 200 -Pin
            $server.Process.Kill()
            $server.Process.WaitForExit()
            $server = Start-TestRedisServer -Port $server.Port -Directory $server.Directory -Arguments '--appendonly', 'yes', '--appendfsync', 'always'
            # The restarted server has no scripts loaded: the next call gets NOSCRIPT and loads it again.
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            do { Add-Allocation -Key c -Size 10 -ErrorAction SilentlyContinue -ErrorVariable failed } while ($failed -and [DateTime]::UtcNow -lt $deadline)
            $failed | Should -BeNullOrEmpty
            (Get-Allocation | ForEach-Object { "$($_.Key)=$($_.Size)$(if ($_.IsPinned) { '!' })" }) -join ',' | Should -Be 'a=100,b=200!,c=10'
            (Get-ResourceUsage -Monitor $monitor).PinnedSize | Should -Be 200
        }
        finally { Stop-TestRedisServer $server }
    }

    It 'says RedisUnavailable at creation when no server listens, and registers nothing' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $result = New-StateMonitor -Name nowhere -Redis "127.0.0.1:$port,$Timeouts" -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'RedisUnavailable,*'
        $failed[0].Exception.Message | Should -BeLike "*127.0.0.1:$port*unavailable*"
        Get-StateMonitor -Name nowhere -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'says InvalidRedisConfiguration for a configuration it cannot read' {
        $null = New-StateMonitor -Name bad -Redis 'localhost:6379,notanoption=1' -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRedisConfiguration,*'
    }
}

Describe 'Credentials' {
    BeforeAll {
        $Password = 'S3cret-' + [guid]::NewGuid().ToString('N')
        $Wrong = 'Wr0ng-' + [guid]::NewGuid().ToString('N')
        $Server = Start-TestRedisServer -Arguments '--requirepass', $Password
        $null = Invoke-TestRedisCommand $Server -Password $Password ACL SETUSER budget on ">$Password" '~agentflow:*' '+@all'
        $null = Invoke-TestRedisCommand $Server -Password $Password ACL SETUSER stranger on ">$Password" '~other:*' '+@all'
    }
    AfterAll { Stop-TestRedisServer $Server }
    BeforeEach { Reset-MonitorRegistry }

    It 'says RedisAuthenticationFailed for a wrong password, and no stream, error, view or ToString() shows a password' {
        $r = Invoke-FreshPwsh {
            param($manifest, $config, $password, $wrong)
            Import-Module $manifest
            $VerbosePreference = 'Continue'
            $good = [pscredential]::new('default', (ConvertTo-SecureString $password -AsPlainText -Force))
            $bad = [pscredential]::new('default', (ConvertTo-SecureString $wrong -AsPlainText -Force))
            & {
                $m = New-StateMonitor -Name secret -Redis $config -Credential $good -Limits (New-ResourceLimits -MaxStateSize 100 -MaxValueSize 100)
                Add-Allocation -Key a -Size 90 -Verbose
                Add-Allocation -Key b -Size 200 -ErrorAction Continue
                $m | Format-List * -Force | Out-String
                $m | Format-Table | Out-String
                $m.Store | Format-List * -Force | Out-String
                $m.ToString(); $m.Store.ToString()
                Get-ResourceUsage | Format-List * | Out-String
                Get-ResourceAlert | Format-List * | Out-String
                New-StateMonitor -Name wrong -Redis $config -Credential $bad -ErrorAction Continue
                New-StateMonitor -Name inline -Redis "$config,password=$wrong" -ErrorAction Continue
                Remove-SharedBudget -Name secret -Redis "$config,password=$password" -WhatIf
                $Error | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String; $_.TargetObject | Out-String }
                ($Error | Where-Object { $_.FullyQualifiedErrorId -like 'RedisAuthenticationFailed,*' }).Count
            } *>&1 | Out-String -Width 500
        } -ArgumentList $Manifest, "$($Server.Configuration),$Timeouts", $Password, $Wrong
        $r.ExitCode | Should -Be 0
        $text = ($r.Output + $r.ErrorOutput) -join "`n"
        $text | Should -Match 'RedisAuthenticationFailed'
        $text | Should -Match 'AuthenticationError'
        $text | Should -Not -Match ([regex]::Escape($Password))
        $text | Should -Not -Match ([regex]::Escape($Wrong))
        $r.Output[-1].Trim() | Should -Be '2'
    }

    It 'works for a user allowed only the commands the README lists, through every kind of operation' {
        # The README's list (section "Shared budget"): keep the two in step.
        $commands = '+evalsha', '+eval', '+script|load', '+time', '+hget', '+hmget', '+hset', '+hdel', '+hgetall', '+exists',
            '+zadd', '+zrem', '+zrange', '+zscore', '+rpush', '+lrange', '+llen', '+ltrim', '+del', '+unlink', '+ping', '+echo',
            '+info', '+client|setname'
        $null = Invoke-TestRedisCommand $Server -Password $Password (@('ACL', 'SETUSER', 'narrow', 'on', ">$Password", '~agentflow:*', '-@all') + $commands)
        $credential = [pscredential]::new('narrow', (ConvertTo-SecureString $Password -AsPlainText -Force))
        $configuration = "$($Server.Configuration),$Timeouts"
        $ErrorActionPreference = 'Stop'
        $monitor = New-StateMonitor -Name narrow -Redis $configuration -Credential $credential -Limits (New-ResourceLimits -MaxStateSize 1000 -MaxValueSize 600 -MaxCacheEntries 10)
        Add-Allocation -Key a -Size 300 -Pin
        Add-Allocation -Key b -Size 300
        Add-Allocation -Key b -Size 310
        Add-Allocation -Key c -Size 500 -WarningAction SilentlyContinue # evicts b to make room
        Get-LruKey -Monitor $monitor | Should -Be @('a', 'c')
        Use-Allocation -Key a
        Get-LruKey -Monitor $monitor | Should -Be @('c', 'a')
        Unlock-Allocation -Key a
        Lock-Allocation -Key a
        $null = Invoke-ResourceCleanup -TargetPercentage 0 -Confirm:$false -WarningAction SilentlyContinue # evicts c; a is pinned
        Add-Allocation -Key d -Size 100
        Remove-Allocation -Key d
        $usage = Get-ResourceUsage -Monitor $monitor
        $usage.CurrentSize, $usage.ValueCount, $usage.PinnedSize, $usage.TotalEvictions | Should -Be @(300, 1, 300, 2)
        (Get-ResourceAlert -Monitor $monitor).Type | Should -Be @('CleanupTriggered', 'ApproachingLimit', 'CleanupTriggered', 'CleanupFailed')
        Export-StateMonitor -Monitor $monitor -Path (Join-Path $TestDrive 'narrow.json')
        (Get-Content -LiteralPath (Join-Path $TestDrive 'narrow.json') -Raw | ConvertFrom-Json).state.entries.key | Should -Be 'a'
        Clear-ResourceAlert -Monitor $monitor
        Reset-StateMonitor -Monitor $monitor -Confirm:$false
        (Get-ResourceUsage -Monitor $monitor).CurrentSize | Should -Be 0
        Remove-SharedBudget -Name narrow -Redis $configuration -Credential $credential -Confirm:$false
        Invoke-TestRedisCommand $Server -Password $Password EXISTS 'agentflow:{narrow}:meta' | Should -Be ':0'
    }

    It 'works for an ACL user limited to the agentflow:* keys, and refuses one whose keys do not cover the budget' {
        $credential = [pscredential]::new('budget', (ConvertTo-SecureString $Password -AsPlainText -Force))
        $monitor = New-StateMonitor -Name acl -Redis "$($Server.Configuration),$Timeouts" -Credential $credential
        Add-Allocation -Key a -Size 10 -Pin
        Invoke-ResourceCleanup -TargetPercentage 0 -Confirm:$false | Out-Null
        (Get-Allocation -Monitor $monitor).Key | Should -Be 'a'
        $stranger = [pscredential]::new('stranger', (ConvertTo-SecureString $Password -AsPlainText -Force))
        $null = New-StateMonitor -Name acl2 -Redis "$($Server.Configuration),$Timeouts" -Credential $stranger -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'RedisCommandRefused,*'
        $failed[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
    }
}

Describe 'A password changed on the server while a budget is attached' {
    BeforeAll {
        $First = 'F1rst-' + [guid]::NewGuid().ToString('N')
        $Second = 'S3cond-' + [guid]::NewGuid().ToString('N')
        $Server = Start-TestRedisServer -Arguments '--requirepass', $First
    }
    AfterAll { Stop-TestRedisServer $Server }
    BeforeEach { Reset-MonitorRegistry }

    It 'says RedisAuthenticationFailed once the client cannot log in again, changes nothing, and works with the password back' {
        $credential = [pscredential]::new('default', (ConvertTo-SecureString $First -AsPlainText -Force))
        $null = New-StateMonitor -Name changed -Redis "$($Server.Configuration),$Timeouts" -Credential $credential -Limits (New-ResourceLimits -MaxStateSize 1000 -MaxValueSize 500)
        Add-Allocation -Key a -Size 100
        Invoke-TestRedisCommand $Server -Password $First CONFIG SET requirepass $Second | Should -Be '+OK'
        # The connections drop (as after a restart): the client must log in again, with the password it has.
        Invoke-TestRedisCommand $Server -Password $Second CLIENT KILL TYPE normal | Should -Match '^:'

        # The first calls may meet the closed socket itself (RedisUnavailable); once the client has tried to log in
        # again, a call says why it cannot.
        $ids = foreach ($attempt in 1..40) {
            Add-Allocation -Key "b$attempt" -Size 10 -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId
            if ($failed[0].FullyQualifiedErrorId -notlike 'RedisUnavailable,*') { break }
            Start-Sleep -Milliseconds 100
        }
        $ids[-1] | Should -BeLike 'RedisAuthenticationFailed,*'
        $failed[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $shown = $failed[0] | Format-List * -Force | Out-String
        $shown | Should -Not -Match ([regex]::Escape($First))
        $shown | Should -Not -Match ([regex]::Escape($Second))

        Invoke-TestRedisCommand $Server -Password $Second CONFIG SET requirepass $First | Should -Be '+OK'
        $usage = foreach ($attempt in 1..40) {
            $read = Get-ResourceUsage -ErrorAction SilentlyContinue
            if ($read) { $read; break }
            Start-Sleep -Milliseconds 250
        }
        $usage.CurrentSize | Should -Be 100
        $usage.ValueCount | Should -Be 1
    }
}

Describe 'The Redis client in its own AssemblyLoadContext' {
    BeforeAll {
        $Server = Start-TestRedisServer
        $OtherClient = @(@($env:NUGET_PACKAGES, (Join-Path $HOME '.nuget/packages')) | Where-Object { $_ } |
                ForEach-Object { Join-Path $_ 'stackexchange.redis/2.8.16/lib/net6.0/StackExchange.Redis.dll' } | Where-Object { Test-Path -LiteralPath $_ })[0]
    }
    AfterAll { Stop-TestRedisServer $Server }

    It 'loads no Redis assembly in a session that uses only memory monitors' {
        $r = Invoke-FreshPwsh {
            param($manifest)
            Import-Module $manifest
            $null = New-StateMonitor -Name local
            Add-Allocation -Key a -Size 1
            $null = Get-ResourceUsage
            @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -match 'Redis|RESPite' }).Count
        } -ArgumentList $Manifest
        $r.Output | Should -Be '0'
    }

    It 'works in a session that first loaded StackExchange.Redis 2.8.16' {
        $OtherClient | Should -Not -BeNullOrEmpty -Because 'build.ps1 restores StackExchange.Redis 2.8.16 for this test (tools/restore)'
        $r = Invoke-FreshPwsh {
            param($manifest, $other, $config)
            Add-Type -LiteralPath $other
            Import-Module $manifest
            $m = New-StateMonitor -Name isolated -Redis $config
            Add-Allocation -Key a -Size 42
            $ours = $m.Store.GetType().Assembly
            $alc = [System.Runtime.Loader.AssemblyLoadContext]
            $alc::GetLoadContext($ours).Name
            ($alc::Default.Assemblies | Where-Object { $_.GetName().Name -eq 'StackExchange.Redis' }).GetName().Version.ToString(2)
            ($alc::GetLoadContext($ours).Assemblies | Where-Object { $_.GetName().Name -eq 'StackExchange.Redis' }).GetName().Version.Major
            (Get-ResourceUsage).CurrentSize
        } -ArgumentList $Manifest, $OtherClient, $Server.Configuration
        $r.ErrorOutput | Should -BeNullOrEmpty
        $r.Output | Should -Be @('AgentFlow.Resources.Redis', '2.0', '3', '42')
    }
}
