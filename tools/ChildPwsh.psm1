# Starting a fresh PowerShell process from the running one. Shared by build.ps1 and the Pester
# helpers (tests/Pester/TestHelpers.psm1), so that both start children the same way.

Set-StrictMode -Version Latest

<#
.SYNOPSIS
    Returns how to start another process of the PowerShell that is running now.
.DESCRIPTION
    Under `dotnet pwsh` (the local dotnet tool) the process is dotnet itself and pwsh.dll is its entry
    assembly, so a child is `dotnet <pwsh.dll> ...`; a native pwsh is started directly. Returns
    @{ FilePath; Arguments }: the program and the arguments that must precede pwsh's own.
#>
function Get-PwshCommand {
    [CmdletBinding()]
    param()
    $process = [Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        $entry = [System.Reflection.Assembly]::GetEntryAssembly().Location
        return [pscustomobject]@{ FilePath = $process; Arguments = [string[]]@($entry) }
    }
    [pscustomobject]@{ FilePath = $process; Arguments = [string[]]@() }
}

# Variables every child gets: no telemetry or update check (there is no network to reach), no prompts.
$script:QuietEnvironment = @{
    POWERSHELL_TELEMETRY_OPTOUT = '1'
    POWERSHELL_UPDATECHECK      = 'Off'
    DOTNET_CLI_TELEMETRY_OPTOUT = '1'
    DOTNET_NOLOGO               = '1'
}

<#
.SYNOPSIS
    Runs a script block in a new `pwsh -NoProfile -NonInteractive` process and returns what it printed.
.DESCRIPTION
    The script block is written to a temporary .ps1 file and run with -File, so nothing of the calling
    session (modules, variables, loaded assemblies, help caches) leaks into it. Arguments are passed as
    strings. -Environment adds or (with a $null value) removes environment variables of the child only.
    Returns @{ ExitCode; Output = stdout lines; ErrorOutput = stderr lines }. A child still running after
    -TimeoutSeconds is killed and an error is thrown.
.EXAMPLE
    $r = Invoke-FreshPwsh { param($m) Import-Module $m; (Get-Command -Module AgentFlow.Resources).Count } -ArgumentList $manifest
#>
function Invoke-FreshPwsh {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [scriptblock]$ScriptBlock,
        [object[]]$ArgumentList = @(),
        [hashtable]$Environment = @{},
        [string]$WorkingDirectory = (Get-Location -PSProvider FileSystem).ProviderPath,
        [int]$TimeoutSeconds = 300
    )

    $script = Join-Path ([System.IO.Path]::GetTempPath()) ("fresh-pwsh-{0}.ps1" -f [guid]::NewGuid().ToString('N'))
    [System.IO.File]::WriteAllText($script, $ScriptBlock.ToString(), [System.Text.UTF8Encoding]::new($false))
    try {
        $pwsh = Get-PwshCommand
        $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
        foreach ($a in @($pwsh.Arguments) + @('-NoProfile', '-NonInteractive', '-NoLogo', '-File', $script)) { $psi.ArgumentList.Add($a) }
        foreach ($a in $ArgumentList) { $psi.ArgumentList.Add([string]$a) }
        $psi.WorkingDirectory = $WorkingDirectory
        $psi.UseShellExecute = $false
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.StandardOutputEncoding = [System.Text.Encoding]::UTF8
        $psi.StandardErrorEncoding = [System.Text.Encoding]::UTF8
        foreach ($e in @($script:QuietEnvironment.GetEnumerator()) + @($Environment.GetEnumerator())) {
            if ($null -eq $e.Value) { [void]$psi.Environment.Remove($e.Key) } else { $psi.Environment[$e.Key] = [string]$e.Value }
        }

        $process = [System.Diagnostics.Process]::Start($psi)
        try {
            $process.StandardInput.Close()
            # Both streams are read concurrently: a child that fills one pipe while we wait on the other would hang.
            $stdout = $process.StandardOutput.ReadToEndAsync()
            $stderr = $process.StandardError.ReadToEndAsync()
            if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
                $process.Kill($true)
                throw "Child pwsh did not finish within $TimeoutSeconds s and was killed. Script:`n$ScriptBlock"
            }
            $process.WaitForExit()
            # Error records are rendered with ANSI colours even into a pipe; callers compare and report plain text
            # (and Pester's NUnit writer rejects the escape character).
            $split = { param($text) $t = ($text -replace '\x1b\[[0-9;?]*[A-Za-z]', '').TrimEnd("`r", "`n"); if ($t) { $t -split "\r?\n" } }
            [pscustomobject]@{
                ExitCode    = $process.ExitCode
                Output      = [string[]](& $split $stdout.Result)
                ErrorOutput = [string[]](& $split $stderr.Result)
            }
        }
        finally { $process.Dispose() }
    }
    finally { Remove-Item -LiteralPath $script -Force -ErrorAction SilentlyContinue }
}

Export-ModuleMember -Function Get-PwshCommand, Invoke-FreshPwsh -Variable QuietEnvironment
