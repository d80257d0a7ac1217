<#
.SYNOPSIS
    The PowerShell side of the benchmarks: 100k allocations recorded five ways. Run by Invoke-Benchmarks.ps1
    in a fresh `pwsh -NoProfile` process; writes its results as JSON to -OutFile.
.DESCRIPTION
    Every variant records the same -Count allocations (distinct keys, 1 KiB to 2 KiB) from the same input
    objects ([pscustomobject] with Key and Size) into a fresh, empty structure whose limits are never reached,
    and its totals are checked against the others afterwards:

      pipeline      $items | Add-Allocation -Monitor $m                      (needs the built module)
      batch         Add-Allocation -Allocation $pairs -Monitor $m: the same key/size pairs in one
                    Dictionary[string,long], built from the items before timing as the items
                    are built before timing for every variant                 (needs the built module)
      method loop   foreach ($i in $items) { $m.RecordAllocation($i.Key, $i.Size) }
      plain         $items | Add-PlainAllocation -State $s : an advanced function with a hashtable and a
                    LinkedList doing the same accounting (replace, LRU order, limits, LRU eviction): what a
                    user would write instead of Add-Allocation
      plain loop    the same accounting inlined in a foreach loop (context: the fastest plain PowerShell)
      floor         $items | Add-BenchFloorAllocation: a compiled cmdlet with Add-Allocation's parameters that
                    only calls RecordAllocation (context: what PowerShell's pipeline binding alone costs)

    Every variant is warmed up twice on 5,000 items; then the variants are timed in turn (round-robin): one
    full-size round that is not counted, then -Repeat rounds. The median of each is reported.
    With -ManifestPath empty (module not built yet) the engine is loaded from -CoreAssembly and the pipeline
    variant is skipped.
#>
[CmdletBinding()]
param(
    [string]$ManifestPath,
    [string]$CoreAssembly,
    [int]$Count = 100000,
    [int]$Repeat = 3,
    [Parameter(Mandatory)] [string]$OutFile
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$usingModule = [bool]$ManifestPath
if ($usingModule) {
    Import-Module $ManifestPath -ErrorAction Stop
}
else {
    Add-Type -Path $CoreAssembly
}

# What a user would write without the module: the same accounting with a hashtable (key -> size and
# list node) and a LinkedList in least-recently-used order.
function New-PlainState([long]$MaxBytes, [long]$MaxEntries) {
    @{
        Entries    = [hashtable]::new([StringComparer]::Ordinal)
        Lru        = [System.Collections.Generic.LinkedList[string]]::new()
        Total      = [long]0
        Count      = [long]0
        MaxBytes   = $MaxBytes
        MaxEntries = $MaxEntries
    }
}

function Add-PlainAllocation {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)] [string]$Key,
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)] [long]$Size,
        [Parameter(Mandatory)] [hashtable]$State
    )
    process {
        $entries = $State.Entries
        $existing = $entries[$Key]
        $growth = $Size
        $added = 1
        if ($null -ne $existing) {
            $growth = $Size - $existing.Size
            $added = 0
        }
        if ($State.Total + $growth -gt $State.MaxBytes -or $State.Count + $added -gt $State.MaxEntries) {
            # Evict least recently used entries (never this key) until the new size fits.
            $node = $State.Lru.First
            while ($null -ne $node -and ($State.Total + $growth -gt $State.MaxBytes -or $State.Count + $added -gt $State.MaxEntries)) {
                $next = $node.Next
                if ($node.Value -cne $Key) {
                    $victim = $entries[$node.Value]
                    $State.Total -= $victim.Size
                    $State.Count--
                    $entries.Remove($node.Value)
                    $State.Lru.Remove($node)
                }
                $node = $next
            }
            if ($State.Total + $growth -gt $State.MaxBytes -or $State.Count + $added -gt $State.MaxEntries) {
                Write-Error "Allocation '$Key' ($Size bytes) exceeds the limits."
                return
            }
        }
        if ($null -ne $existing) {
            $State.Lru.Remove($existing.Node)
            $existing.Node = $State.Lru.AddLast($Key)
            $existing.Size = $Size
        }
        else {
            $entries[$Key] = @{ Size = $Size; Node = $State.Lru.AddLast($Key) }
            $State.Count++
        }
        $State.Total += $growth
    }
}

function Invoke-PlainLoop([object[]]$Items, [hashtable]$State) {
    $entries = $State.Entries
    $lru = $State.Lru
    foreach ($item in $Items) {
        $key = $item.Key
        $size = [long]$item.Size
        $existing = $entries[$key]
        $growth = $size
        $added = 1
        if ($null -ne $existing) {
            $growth = $size - $existing.Size
            $added = 0
        }
        if ($State.Total + $growth -gt $State.MaxBytes -or $State.Count + $added -gt $State.MaxEntries) {
            $node = $lru.First
            while ($null -ne $node -and ($State.Total + $growth -gt $State.MaxBytes -or $State.Count + $added -gt $State.MaxEntries)) {
                $next = $node.Next
                if ($node.Value -cne $key) {
                    $victim = $entries[$node.Value]
                    $State.Total -= $victim.Size
                    $State.Count--
                    $entries.Remove($node.Value)
                    $lru.Remove($node)
                }
                $node = $next
            }
            if ($State.Total + $growth -gt $State.MaxBytes -or $State.Count + $added -gt $State.MaxEntries) {
                Write-Error "Allocation '$key' ($size bytes) exceeds the limits."
                continue
            }
        }
        if ($null -ne $existing) {
            $lru.Remove($existing.Node)
            $existing.Node = $lru.AddLast($key)
            $existing.Size = $size
        }
        else {
            $entries[$key] = @{ Size = $size; Node = $lru.AddLast($key) }
            $State.Count++
        }
        $State.Total += $growth
    }
}

function New-Items([int]$N, [string]$Prefix) {
    $list = [System.Collections.Generic.List[object]]::new($N)
    for ($i = 0; $i -lt $N; $i++) {
        $list.Add([pscustomobject]@{ Key = ('{0}/step-{1:D7}/output' -f $Prefix, $i); Size = [long](1024 + (($i * 37) % 64) * 16) })
    }
    $list.ToArray()
}

# Limits no variant reaches: every allocation is a plain insert, as in the engine benchmarks' update case.
$maxBytes = [long]$Count * 4096 + 1MB
$maxEntries = [long]$Count * 2
$limits = [AgentFlow.Resources.ResourceLimits]::Builder().MaxStateSize($maxBytes).MaxCacheEntries($maxEntries).Build()
$monitorNumber = 0
function New-BenchMonitor {
    $script:monitorNumber++
    [AgentFlow.Resources.StateMonitor]::new($limits, "psbench-$PID-$script:monitorNumber")
}

$variants = [ordered]@{}
if ($usingModule) {
    $variants['pipeline'] = @{
        Label = 'Add-Allocation, fed by the pipeline'
        Run   = { param($items) $m = New-BenchMonitor; $items | Add-Allocation -Monitor $m; @($m.CurrentSize, $m.ValueCount) }
    }
}
# The floor of pipeline binding: a compiled cmdlet with Add-Allocation's parameter shape (two parameter
# sets, Key/Size/Monitor bound by property name with the same aliases) that does nothing but record.
Add-Type -ReferencedAssemblies @([AgentFlow.Resources.StateMonitor].Assembly.Location, [System.Management.Automation.PSCmdlet].Assembly.Location, 'netstandard', 'System.Runtime', 'System.IO.FileSystem') -TypeDefinition @'
namespace AgentFlowBench
{
    using System.IO;
    using System.Management.Automation;
    using AgentFlow.Resources;

    [Cmdlet("Add", "BenchFloorAllocation", DefaultParameterSetName = "ByKey")]
    public sealed class AddBenchFloorAllocationCommand : PSCmdlet
    {
        [Parameter(ParameterSetName = "ByKey", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "Name")]
        public string Key { get; set; }

        [Parameter(ParameterSetName = "ByKey", Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Length")]
        public long Size { get; set; }

        [Parameter(ParameterSetName = "ByFile", Mandatory = true, ValueFromPipeline = true)]
        public FileInfo File { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("MonitorName")]
        public StateMonitor Monitor { get; set; }

        [Parameter]
        public SwitchParameter Pin { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            Monitor.RecordAllocation(Key, Size);
        }
    }
}
'@ -PassThru | Select-Object -First 1 | ForEach-Object { Import-Module -Assembly $_.Assembly }

$variants['floor'] = @{
    Label = 'floor: minimal compiled cmdlet with the same parameters, fed by the pipeline (context)'
    Run   = { param($items) $m = New-BenchMonitor; $items | Add-BenchFloorAllocation -Monitor $m; @($m.CurrentSize, $m.ValueCount) }
}
if ($usingModule) {
    $variants['batch'] = @{
        Label = 'Add-Allocation -Allocation with a Dictionary[string,long] of the same pairs'
        Run   = { param($items) $m = New-BenchMonitor; Add-Allocation -Allocation $pairs[$items.Count] -Monitor $m; @($m.CurrentSize, $m.ValueCount) }
    }
}
$variants['method'] = @{
    Label = 'foreach loop calling $monitor.RecordAllocation()'
    Run   = { param($items) $m = New-BenchMonitor; foreach ($item in $items) { $null = $m.RecordAllocation($item.Key, $item.Size) }; @($m.CurrentSize, $m.ValueCount) }
}
$variants['plain'] = @{
    Label = 'plain PowerShell: advanced function (hashtable + LinkedList), fed by the pipeline'
    Run   = { param($items) $s = New-PlainState $maxBytes $maxEntries; $items | Add-PlainAllocation -State $s; @($s.Total, $s.Count) }
}
$variants['plainLoop'] = @{
    Label = 'plain PowerShell: the same accounting inlined in a foreach loop (context)'
    Run   = { param($items) $s = New-PlainState $maxBytes $maxEntries; Invoke-PlainLoop $items $s; @($s.Total, $s.Count) }
}

$warmItems = New-Items 5000 'warm'
$items = New-Items $Count 'state'
# The batch variant's input: the same pairs, keyed by item count (warm-up set and measured set).
$pairs = @{}
foreach ($set in $warmItems, $items) {
    $dictionary = [System.Collections.Generic.Dictionary[string, long]]::new($set.Count)
    foreach ($item in $set) { $dictionary[$item.Key] = $item.Size }
    $pairs[$set.Count] = $dictionary
}

# Warm-up: every variant twice on 5,000 items, so PowerShell's binder, the compiled script blocks and the
# engine are jitted (and tiered up) before anything is timed.
foreach ($round in 1..2) {
    foreach ($name in $variants.Keys) { $null = & $variants[$name].Run $warmItems }
}

# Measured rounds run the variants in turn (round-robin), so a slow phase of the machine hits all of them.
$times = @{}
$totals = @{}
foreach ($name in $variants.Keys) { $times[$name] = [System.Collections.Generic.List[double]]::new() }
# Round 0 is full size too but not counted: the first 100k-object pass still pays for heap growth and late tiering.
for ($r = 0; $r -le $Repeat; $r++) {
    foreach ($name in $variants.Keys) {
        [GC]::Collect()
        [GC]::WaitForPendingFinalizers()
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $result = & $variants[$name].Run $items
        $sw.Stop()
        if ($r -gt 0) { $times[$name].Add($sw.Elapsed.TotalMilliseconds) }
        $totals[$name] = "$($result[0]) bytes in $($result[1]) entries"
    }
}

$results = [System.Collections.Generic.List[object]]::new()
$expected = $null
foreach ($name in $variants.Keys) {
    $totalsText = $totals[$name]
    if ($null -eq $expected) { $expected = $totalsText }
    elseif ($totalsText -ne $expected) { throw "Variant '$name' ended with $totalsText, the first variant with ${expected}: they do not do the same accounting." }
    $sorted = @($times[$name] | Sort-Object)
    $median = $sorted[[int][math]::Floor(($sorted.Count - 1) / 2)]
    $results.Add([pscustomobject]@{
            Name        = $name
            Label       = $variants[$name].Label
            Count       = $Count
            MedianMs    = [math]::Round($median, 1)
            MicrosPerOp = [math]::Round($median * 1000 / $Count, 2)
            RunsMs      = @($times[$name] | ForEach-Object { [math]::Round($_, 1) })
            Totals      = $totalsText
        })
    Write-Host ("  {0,-10} {1,10:N1} ms  ({2:N2} us per allocation)" -f $name, $median, ($median * 1000 / $Count))
}

[pscustomobject]@{
    PowerShell = $PSVersionTable.PSVersion.ToString()
    Module     = $usingModule
    Results    = $results
} | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $OutFile -Encoding utf8
