# A real redis-server for the Pester suites: Debian's package (build.ps1 Test installs it when missing), started
# on a free loopback port with a temporary directory and stopped, directory and all, by Stop-TestRedisServer.
#   $server = Start-TestRedisServer [-Arguments '--appendonly', 'yes']
#   New-StateMonitor -Name x -Redis $server.Configuration
#   Stop-TestRedisServer $server

Set-StrictMode -Version Latest

function Get-FreeLoopbackPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

<#
.SYNOPSIS
    Starts redis-server and waits until it answers PING. Returns @{ Port; Configuration; Directory; Process; Arguments }.
#>
function Start-TestRedisServer {
    [CmdletBinding()]
    param([string[]]$Arguments = @(), [int]$Port = 0, [string]$Directory)
    if (-not (Get-Command redis-server -CommandType Application -ErrorAction Ignore)) {
        throw 'redis-server is not installed: install Debian''s package redis-server (build.ps1 Test does it when run as root).'
    }
    if (-not $Directory) {
        $Directory = Join-Path ([System.IO.Path]::GetTempPath()) ("agentflow-redis-" + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $Directory
    }
    if ($Port -eq 0) { $Port = Get-FreeLoopbackPort }
    $psi = [System.Diagnostics.ProcessStartInfo]::new('redis-server')
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $all = @('--port', "$Port", '--bind', '127.0.0.1', '--dir', $Directory, '--save', '', '--daemonize', 'no',
        '--logfile', (Join-Path $Directory 'redis.log')) + $Arguments
    foreach ($a in $all) { $psi.ArgumentList.Add($a) }
    $process = [System.Diagnostics.Process]::Start($psi)
    $server = [pscustomobject]@{ Port = $Port; Configuration = "127.0.0.1:$Port"; Directory = $Directory; Process = $process; Arguments = $Arguments }
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    while ($true) {
        try { if ((Invoke-TestRedisCommand $server PING) -eq '+PONG' -or (Invoke-TestRedisCommand $server PING) -like '-NOAUTH*') { return $server } }
        catch { if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw "redis-server did not start on port ${Port}: $(Get-Content -Raw -ErrorAction Ignore (Join-Path $Directory 'redis.log'))" } }
        Start-Sleep -Milliseconds 20
    }
}

<#
.SYNOPSIS
    Sends one command over a plain socket and returns the first line of the reply ('+PONG', ':3', '-ERR ...').
    -Password authenticates first (as the default user, or -User).
#>
function Invoke-TestRedisCommand {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] $Server, [Parameter(Position = 1, ValueFromRemainingArguments)] [string[]]$Command, [string]$User, [string]$Password)
    $client = [System.Net.Sockets.TcpClient]::new()
    try {
        $client.Connect([System.Net.IPAddress]::Loopback, $Server.Port)
        $stream = $client.GetStream()
        $stream.ReadTimeout = 5000
        $send = {
            param([string[]]$parts)
            $text = "*$($parts.Count)`r`n" + (($parts | ForEach-Object { "`$$([System.Text.Encoding]::UTF8.GetByteCount($_))`r`n$_`r`n" }) -join '')
            $bytes = [System.Text.Encoding]::UTF8.GetBytes($text)
            $stream.Write($bytes, 0, $bytes.Length)
            $line = [System.Text.StringBuilder]::new()
            while (($b = $stream.ReadByte()) -ge 0 -and $b -ne 10) { $null = $line.Append([char]$b) }
            $line.ToString().TrimEnd("`r")
        }
        if ($Password) { $null = & $send @(@('AUTH') + @($User | Where-Object { $_ }) + @($Password)) }
        & $send $Command
    }
    finally { $client.Dispose() }
}

<#
.SYNOPSIS
    Stops the server (SIGCONT first, in case a test stopped it) and deletes its directory unless -KeepDirectory.
#>
function Stop-TestRedisServer {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] $Server, [switch]$KeepDirectory)
    if ($null -eq $Server) { return }
    if (-not $Server.Process.HasExited) {
        & kill -CONT $Server.Process.Id 2>$null
        $Server.Process.Kill()
        $Server.Process.WaitForExit()
    }
    if (-not $KeepDirectory) { Remove-Item -LiteralPath $Server.Directory -Recurse -Force -ErrorAction Ignore }
}

Export-ModuleMember -Function Start-TestRedisServer, Stop-TestRedisServer, Invoke-TestRedisCommand
