# Helpers shared by the cmdlet and scenario suites. Import after the module under test:
#   Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
# Reset-MonitorRegistry   removes every registered monitor (the registry is process-wide, suites share it)
# Get-ErrorRecord         runs a script block with -ErrorAction Stop and returns the first error it raised
# Get-MonitorState        a comparable picture of a monitor's totals and entries, to prove "nothing changed"
# Get-CommandClass        the implementing class of a command (the second half of a FullyQualifiedErrorId)
# Get-Completion          what Tab completion offers at the end of a line

Set-StrictMode -Version Latest

function Reset-MonitorRegistry {
    [CmdletBinding()]
    param()
    Get-StateMonitor | Remove-StateMonitor -Confirm:$false
}

<#
.SYNOPSIS
    Runs the script block so that its first error (binding error, terminating or non-terminating) stops it,
    and returns that ErrorRecord. Throws when the script block raised no error, so a test cannot pass by accident.
#>
function Get-ErrorRecord {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [scriptblock]$ScriptBlock)
    # The preferences must be set in the script block's own scope: it belongs to the caller's session state.
    $preferences = [System.Collections.Generic.List[psvariable]]::new()
    $preferences.Add([psvariable]::new('ErrorActionPreference', 'Stop'))
    $preferences.Add([psvariable]::new('WarningPreference', 'SilentlyContinue'))
    try {
        $null = $ScriptBlock.InvokeWithContext($null, $preferences)
    }
    catch {
        $exception = $_.Exception
        while ($exception -is [System.Management.Automation.MethodInvocationException] -and $exception.InnerException) {
            $exception = $exception.InnerException
        }
        if ($exception -is [System.Management.Automation.IContainsErrorRecord]) { return $exception.ErrorRecord }
        return $_
    }
    throw "The script block raised no error: $ScriptBlock"
}

<#
.SYNOPSIS
    Totals and entries (LRU order, with sizes and pins) of a monitor as one string.
#>
function Get-MonitorState {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Monitor)
    $stats = $Monitor.GetStats()
    $entries = @($Monitor.GetAllocations() | ForEach-Object { '{0}:{1}:{2}' -f $_.Key, $_.Size, $_.IsPinned }) -join ','
    'size={0};count={1};pinned={2};entries={3}' -f $stats.CurrentSize, $stats.ValueCount, $stats.PinnedCount, $entries
}

# The keys of Get-Allocation (same parameters), least recently used first, always as an array.
function Get-Keys {
    @(Get-Allocation @args | ForEach-Object Key)
}

function Get-CommandClass([string]$CommandName) { (Get-Command $CommandName).ImplementingType.FullName }

function Get-Completion([string]$Line) {
    @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
}

Export-ModuleMember -Function Reset-MonitorRegistry, Get-ErrorRecord, Get-MonitorState, Get-Keys, Get-CommandClass, Get-Completion
