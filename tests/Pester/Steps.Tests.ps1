#Requires -Version 7.0
# Invoke-MonitoredStep: input recorded and refused before the step runs, output streamed and recorded, input released
# (also on failure, with the step's error unchanged), -PinOutput, -KeepInput, -UsageVariable, nesting, parallel
# runspaces, and the design document's node-level and workflow-level integration examples.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Manifest = Get-BuiltModuleManifest
    Import-Module $Manifest
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $WarningPreference = 'SilentlyContinue'
    $StepCommand = 'AgentFlow.Resources.PowerShell.Commands.InvokeMonitoredStepCommand'
}

Describe 'Invoke-MonitoredStep' {
    BeforeEach {
        Reset-MonitorRegistry
    }

    Context 'input and output' {
        It 'records the input as STEP/input before the step runs, then the output as STEP/output, and removes the input' {
            $monitor = New-StateMonitor -Name steps
            $seen = Invoke-MonitoredStep fetch { (Get-Allocation 'fetch/input').Size } -InputObject ([byte[]]::new(1000))
            $seen | Should -Be 1000
            # The output is one long (8 bytes).
            Get-MonitorState $monitor | Should -Be 'size=8;count=1;pinned=0;entries=fetch/output:8:False'
        }

        It 'keeps the input with -KeepInput and pins the output with -PinOutput' {
            $monitor = New-StateMonitor -Name steps
            $null = Invoke-MonitoredStep transform { , [byte[]]::new(300) } -InputObject ([byte[]]::new(100)) -KeepInput -PinOutput
            Get-MonitorState $monitor | Should -Be 'size=400;count=2;pinned=1;entries=transform/input:100:False,transform/output:300:True'
        }

        It 'counts -ArgumentList as input and passes the input as $_ and as the first argument, the arguments after it' {
            $null = New-StateMonitor -Name steps
            $result = Invoke-MonitoredStep args { '{0}|{1}|{2}|{3}|{4}' -f $_, $args[0], $args[1], $args[2], $args.Count } -InputObject 'in' -ArgumentList 'x', 7 -UsageVariable usage
            $result | Should -Be 'in|in|x|7|3'
            $usage.InputSize | Should -Be (4 + 2 + 4)
            $usage.OutputSize | Should -Be (2 * 'in|in|x|7|3'.Length)
        }

        It 'binds a param block to the input and the arguments' {
            $null = New-StateMonitor -Name steps
            Invoke-MonitoredStep named { param($Data, $Factor) $Data.Count * $Factor } -InputObject @(1, 2, 3) -ArgumentList 10 | Should -Be 30
        }

        It 'runs the script block in the caller''s scope' {
            $null = New-StateMonitor -Name steps
            $total = 1
            Invoke-MonitoredStep scope { $total += 1; $created = 'here' }
            $total | Should -Be 2
            $created | Should -Be 'here'
        }

        It 'streams each output object down the pipeline as it is produced' {
            $null = New-StateMonitor -Name steps
            $log = [System.Collections.Generic.List[string]]::new()
            Invoke-MonitoredStep stream { $log.Add('produce 1'); 1; $log.Add('produce 2'); 2 } | ForEach-Object { $log.Add("consume $_") }
            $log | Should -Be @('produce 1', 'consume 1', 'produce 2', 'consume 2')
            (Get-Allocation 'stream/output').Size | Should -Be 8
        }

        It 'passes an array written as one object on as one object' {
            $null = New-StateMonitor -Name steps
            $types = Invoke-MonitoredStep array { , [int[]](1, 2, 3) } | ForEach-Object { $_.GetType().Name }
            $types | Should -Be 'Int32[]'
            (Get-Allocation 'array/output').Size | Should -Be 12
        }

        It 'runs once per pipeline object, each run replacing the step''s entries' {
            $monitor = New-StateMonitor -Name steps
            1..3 | Invoke-MonitoredStep square { $_ * $_ } -UsageVariable runs | Should -Be @(1, 4, 9)
            $runs.Count | Should -Be 3
            $runs.InputSize | Should -Be @(4, 4, 4)
            $runs.Succeeded | Should -Be @($true, $true, $true)
            Get-MonitorState $monitor | Should -Be 'size=4;count=1;pinned=0;entries=square/output:4:False'
        }

        It 'writes the step''s non-terminating errors as its own and still records its output' {
            $monitor = New-StateMonitor -Name steps
            # The step runs in this scope, so its Write-Error follows this scope's preference: Continue writes it on.
            $ErrorActionPreference = 'Continue'
            $output = Invoke-MonitoredStep soft { Write-Error 'soft failure'; 'after' } -ErrorVariable problems -ErrorAction SilentlyContinue -UsageVariable usage
            $output | Should -Be 'after'
            $problems.Count | Should -Be 1
            $problems[0].Exception.Message | Should -Be 'soft failure'
            $usage.Succeeded | Should -BeTrue
            Get-MonitorState $monitor | Should -Be 'size=10;count=1;pinned=0;entries=soft/output:10:False'
        }
    }

    Context 'refusal' {
        It 'does not run the step when the input is over MaxValueSize, and writes ValueSizeLimitExceeded' {
            $monitor = New-StateMonitor -Name small -Limits (New-ResourceLimits -MaxStateSize 1MB -MaxValueSize 1KB)
            $ran = [System.Collections.Generic.List[string]]::new()
            Invoke-MonitoredStep big { $ran.Add('ran') } -InputObject ([byte[]]::new(2KB)) -UsageVariable usage -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems.Count | Should -Be 1
            $record = $problems[0]
            $record.FullyQualifiedErrorId | Should -Be "ValueSizeLimitExceeded,$StepCommand"
            $record.CategoryInfo.Category | Should -Be 'LimitsExceeded'
            $record.TargetObject | Should -Be 'big/input'
            $record.Exception.Message | Should -Be "Cannot record 'big/input' (2 KB) in monitor 'small': the value is larger than MaxValueSize (1 KB). Nothing was changed."
            $ran.Count | Should -Be 0
            $monitor.ValueCount | Should -Be 0
            $usage.Succeeded | Should -BeFalse
            $usage.InputKey | Should -BeNullOrEmpty
            $usage.InputSize | Should -Be 2048
            $usage.OutputKey | Should -BeNullOrEmpty
        }

        It 'does not run the step when the state is full, and writes StateSizeLimitExceeded' {
            $monitor = New-StateMonitor -Name full -Limits (New-ResourceLimits -MaxStateSize 4KB -MaxValueSize 3KB -AutoCleanup:$false)
            Add-Allocation kept 3KB
            $ran = [System.Collections.Generic.List[string]]::new()
            $record = Get-ErrorRecord { Invoke-MonitoredStep next { $ran.Add('ran') } -InputObject ([byte[]]::new(2KB)) }
            $record.FullyQualifiedErrorId | Should -Be "StateSizeLimitExceeded,$StepCommand"
            $ran.Count | Should -Be 0
            Get-MonitorState $monitor | Should -Be 'size=3072;count=1;pinned=0;entries=kept:3072:False'
        }

        It 'refuses -PinOutput on a fast monitor before running, and runs other steps on it' {
            $monitor = New-StateMonitor -Name fast -Fast
            $ran = [System.Collections.Generic.List[string]]::new()
            $record = Get-ErrorRecord { Invoke-MonitoredStep pinned { $ran.Add('ran') } -PinOutput }
            $record.FullyQualifiedErrorId | Should -Be "NotSupportedByFastMonitor,$StepCommand"
            $ran.Count | Should -Be 0
            Invoke-MonitoredStep counted { , [byte[]]::new(64) } -InputObject ([byte[]]::new(32)) | Out-Null
            $monitor.CurrentSize | Should -Be 64
            $monitor.ValueCount | Should -Be 1
        }
    }

    Context 'failure' {
        It 'lets the step''s own exception reach the caller and removes the input' {
            $monitor = New-StateMonitor -Name fail
            $thrown = [System.IO.IOException]::new('disk gone')
            $caught = $null
            try { Invoke-MonitoredStep broken { throw $thrown } -InputObject ([byte[]]::new(100)) -UsageVariable usage }
            catch { $caught = $_ }
            [object]::ReferenceEquals($caught.Exception, $thrown) | Should -BeTrue
            $monitor.ValueCount | Should -Be 0
            $usage.Succeeded | Should -BeFalse
            $usage.InputKey | Should -Be 'broken/input'
            $usage.InputSize | Should -Be 100
            $usage.OutputKey | Should -BeNullOrEmpty
            $usage.OutputSize | Should -Be 0
        }

        It 'gives the caller the error record a direct call gives: <Case>' -TestCases @(
            @{ Case = 'throw'; Step = { throw 'boom' } }
            @{ Case = 'a .NET method that throws'; Step = { [int]::Parse('x') } }
            @{ Case = 'a cmdlet with -ErrorAction Stop'; Step = { Get-Item -LiteralPath '/no/such/file' -ErrorAction Stop } }
        ) {
            param($Case, $Step)
            $null = New-StateMonitor -Name fail
            try { & $Step } catch { $direct = $_ }
            try { Invoke-MonitoredStep broken $Step -InputObject 'x' } catch { $viaStep = $_ }
            $viaStep.FullyQualifiedErrorId | Should -Be $direct.FullyQualifiedErrorId
            $viaStep.Exception.GetType() | Should -Be $direct.Exception.GetType()
            $viaStep.Exception.Message | Should -Be $direct.Exception.Message
            $viaStep.CategoryInfo.Category | Should -Be $direct.CategoryInfo.Category
            Get-Allocation -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It 'keeps the input of a failed step with -KeepInput' {
            $monitor = New-StateMonitor -Name fail
            { Invoke-MonitoredStep broken { throw 'boom' } -InputObject ([byte[]]::new(100)) -KeepInput } | Should -Throw 'boom'
            Get-MonitorState $monitor | Should -Be 'size=100;count=1;pinned=0;entries=broken/input:100:False'
        }

        It 'fails the step when its error stops it through -ErrorAction Stop, and removes the input' {
            $monitor = New-StateMonitor -Name fail
            { Invoke-MonitoredStep strict { Write-Error 'bad row'; 'never' } -InputObject 'x' -ErrorAction Stop } | Should -Throw 'bad row'
            $monitor.ValueCount | Should -Be 0
        }
    }

    Context 'usage' {
        It 'reports name, keys, sizes, duration, the peak during the step, evictions and alerts' {
            # 10 MB, values up to 4 MB, cleanup at 80 % (8 MB) down to 70 %.
            $monitor = New-StateMonitor -Name usage -Limits (New-ResourceLimits -MaxStateSize 10MB -MaxValueSize 4MB)
            Add-Allocation old1 2MB
            Add-Allocation old2 2MB
            $output = Invoke-MonitoredStep summarize {
                Add-Allocation scratch 3MB          # 1 + 4 + 3 = 8 MB: cleanup evicts old1, down to 6 MB
                Remove-Allocation scratch
                , [byte[]]::new(2MB)
            } -InputObject ([byte[]]::new(1MB)) -UsageVariable usage
            $output.Length | Should -Be 2MB
            $usage | Should -BeOfType ([AgentFlow.Resources.StepUsage])
            $usage.Name | Should -Be 'summarize'
            $usage.MonitorName | Should -Be 'usage'
            $usage.InputKey | Should -Be 'summarize/input'
            $usage.InputSize | Should -Be 1MB
            $usage.OutputKey | Should -Be 'summarize/output'
            $usage.OutputSize | Should -Be 2MB
            $usage.Duration | Should -BeOfType ([timespan])
            $usage.Duration | Should -BeGreaterThan ([timespan]::Zero)
            $usage.PeakSize | Should -Be 8MB
            $usage.EvictedCount | Should -Be 1
            @($usage.Alerts.Type) | Should -Be @('CleanupTriggered')
            $usage.Succeeded | Should -BeTrue
            Get-MonitorState $monitor | Should -Be 'size=4194304;count=2;pinned=0;entries=old2:2097152:False,summarize/output:2097152:False'
        }

        It 'reports the peak reached during the step, not an earlier higher one' {
            $monitor = New-StateMonitor -Name peaks -Limits (New-ResourceLimits -MaxStateSize 100MB -MaxValueSize 50MB)
            Add-Allocation earlier 40MB
            Remove-Allocation earlier
            $null = Invoke-MonitoredStep work {
                Add-Allocation temp 6MB
                Remove-Allocation temp
            } -InputObject ([byte[]]::new(1MB)) -UsageVariable usage
            (Get-ResourceUsage).PeakSize | Should -Be 40MB
            $usage.PeakSize | Should -Be 7MB
            $usage.EvictedCount | Should -Be 0
            $usage.Alerts.Count | Should -Be 0
        }
    }

    Context 'nesting and parallel runspaces' {
        It 'nests: inner steps record their own entries inside the outer step, whose peak includes them' {
            $monitor = New-StateMonitor -Name nest
            $during = $null
            $output = Invoke-MonitoredStep outer {
                $data = Invoke-MonitoredStep inner1 { , [byte[]]::new(1KB) } -InputObject $_
                $during = Get-Keys
                Invoke-MonitoredStep inner2 { , $_ } -InputObject $data -UsageVariable innerUsage
            } -InputObject ([byte[]]::new(512)) -UsageVariable outerUsage
            $output.Length | Should -Be 1KB
            $during | Should -Be @('outer/input', 'inner1/output')
            $innerUsage.InputSize | Should -Be 1KB
            $innerUsage.PeakSize | Should -Be (512 + 1024 + 1024 + 1024)
            $outerUsage.InputSize | Should -Be 512
            $outerUsage.OutputSize | Should -Be 1KB
            # outer/input 512, inner1/output 1 KB, inner2/input 1 KB, inner2/output 1 KB at once.
            $outerUsage.PeakSize | Should -Be (512 + 1024 + 1024 + 1024)
            Get-MonitorState $monitor | Should -Be 'size=3072;count=3;pinned=0;entries=inner1/output:1024:False,inner2/output:1024:False,outer/output:1024:False'
        }

        It 'runs 8 x 50 steps in parallel runspaces against one monitor with exact totals' {
            $monitor = New-StateMonitor -Name parallel -Limits (New-ResourceLimits -MaxStateSize 1GB -MaxCacheEntries 100000 -AutoCleanup:$false)
            $runs = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
                Import-Module $using:Manifest
                $target = $using:monitor
                $runspace = $_
                foreach ($i in 1..50) {
                    $null = Invoke-MonitoredStep "r$runspace/s$i" { , [byte[]]::new(1KB) } -InputObject ([byte[]]::new(512)) -Monitor $target -UsageVariable usage
                    $usage.Succeeded
                }
            }
            @($runs | Where-Object { $_ }).Count | Should -Be 400
            $stats = Get-ResourceUsage parallel
            $stats.ValueCount | Should -Be 400
            $stats.CurrentSize | Should -Be (400 * 1KB)
            $stats.RejectedAllocations | Should -Be 0
            @(Get-Allocation -Monitor parallel -Key '*/input').Count | Should -Be 0
            @(Get-Allocation -Monitor parallel -Key '*/output' | Where-Object Size -EQ 1KB).Count | Should -Be 400
            $stats.PeakSize | Should -BeLessOrEqual (400 * 1KB + 8 * 512)
        }
    }
}

Describe 'Integration guide, through Invoke-MonitoredStep' {
    BeforeEach {
        Reset-MonitorRegistry
    }

    It 'node level: inputs over the value limit are refused before the node runs, and the node turns that into its own failure' {
        $monitor = New-StateMonitor -Preset MemoryConstrained
        $ran = [System.Collections.Generic.List[string]]::new()
        function Invoke-MonitoredNode([long]$InputSize, [long]$OutputSize) {
            try {
                Invoke-MonitoredStep node { $ran.Add("node $InputSize"); , [byte[]]::new($OutputSize) } -InputObject ([byte[]]::new($InputSize)) -ErrorAction Stop |
                    Out-Null
            }
            catch { return "ResourceLimitExceeded: $($_.FullyQualifiedErrorId.Split(',')[0])" }
            'ok'
        }
        Invoke-MonitoredNode 1MB 2MB | Should -Be 'ok'
        Invoke-MonitoredNode 3MB 1MB | Should -Be 'ResourceLimitExceeded: ValueSizeLimitExceeded'
        $ran | Should -Be @('node 1048576')
        Get-Keys | Should -Be @('node/output')
        $monitor.CurrentSize | Should -Be 2MB
    }

    It 'workflow level: pinned workflow state survives the cleanup of node outputs and is released at the end' {
        $monitor = New-StateMonitor -Name data_pipeline -Limits (New-ResourceLimits -MaxStateSize 8MB -MaxValueSize 4MB)
        Add-Allocation workflow_state 2MB -Pin
        $warnings = foreach ($node in 0..5) {
            Invoke-MonitoredStep "node$node" { , [byte[]]::new(1MB) } -WarningVariable raised | Out-Null
            $raised | ForEach-Object Message
        }
        # At node4's output 7 MB passes 6.4 MB (80 %): cleanup evicts the two oldest outputs, down to 5 MB.
        $warnings | Should -Be @('[data_pipeline] Automatic cleanup freed 2 MB by evicting 2 entries.')
        Get-Keys | Should -Be @('workflow_state', 'node2/output', 'node3/output', 'node4/output', 'node5/output')
        (Get-ResourceAlert).Type | Should -Be @('CleanupTriggered')
        Remove-Allocation workflow_state
        $monitor.CurrentSize | Should -Be 4MB
    }
}
