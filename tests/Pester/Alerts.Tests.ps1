#Requires -Version 7.0
# Get-ResourceAlert, Clear-ResourceAlert, the alert types, and alerts written to the warning stream.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModuleManifest)
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $Commands = 'AgentFlow.Resources.PowerShell.Commands'
    $WarningPreference = 'SilentlyContinue'

    if (-not ('ForeignAlertSource' -as [type])) {
        Add-Type -ReferencedAssemblies ([AgentFlow.Resources.StateMonitor].Assembly.Location), netstandard -TypeDefinition @'
using System;
using System.Threading.Tasks;
using AgentFlow.Resources;

public static class ForeignAlertSource
{
    // On the monitor's next alert, records an oversized value into it on another thread and waits, so that a
    // LimitExceeded alert is raised on a foreign thread while the command that raised the first alert still runs.
    public static void ArmOnce(StateMonitor monitor)
    {
        bool fired = false;
        EventHandler<AlertRaisedEventArgs> handler = null;
        handler = (sender, e) =>
        {
            if (fired) { return; }
            fired = true;
            monitor.AlertRaised -= handler;
            Task.Run(() => monitor.RecordAllocation("foreign", long.MaxValue / 4)).Wait();
        };
        monitor.AlertRaised += handler;
    }
}
'@
    }

    # A 10 KB monitor without automatic cleanup that has raised, in order: ApproachingLimit (8 KB),
    # LimitExceeded (ValueSize, 'huge'), LimitExceeded (StateSize, 'over'), ApproachingLimit again after a drop.
    function New-AlertingMonitor {
        $monitor = New-StateMonitor -Name alerts -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 8KB -StreamChunkSize 1KB -AutoCleanup:$false)
        Add-Allocation base 8KB
        Add-Allocation huge 9KB -ErrorAction SilentlyContinue
        Add-Allocation over 3KB -ErrorAction SilentlyContinue
        Remove-Allocation base
        Add-Allocation base 8KB
        $monitor
    }
}

Describe 'Alerts' {
    BeforeEach {
        Reset-MonitorRegistry
    }

    Describe 'Get-ResourceAlert' {
        BeforeEach {
            $monitor = New-AlertingMonitor
        }

        It 'returns the alerts oldest first, with their data, and drains the queue' {
            $alerts = Get-ResourceAlert
            $alerts.Type | Should -Be @('ApproachingLimit', 'LimitExceeded', 'LimitExceeded', 'ApproachingLimit')
            $alerts[0] | Should -BeOfType ([AgentFlow.Resources.ApproachingLimitAlert])
            $alerts[0].Resource | Should -Be 'StateSize'
            $alerts[0].Percentage | Should -Be 0.8
            $alerts[0].Current | Should -Be 8192
            $alerts[0].Limit | Should -Be 10240
            $alerts[1] | Should -BeOfType ([AgentFlow.Resources.LimitExceededAlert])
            $alerts[1].Resource | Should -Be 'ValueSize'
            $alerts[1].Key | Should -Be 'huge'
            $alerts[1].Current | Should -Be 9216
            $alerts[1].Limit | Should -Be 8192
            $alerts[2].Resource | Should -Be 'StateSize'
            $alerts[2].Key | Should -Be 'over'
            $alerts[2].Current | Should -Be 11264
            $alerts.MonitorName | Sort-Object -Unique | Should -Be 'alerts'
            $alerts.ForEach({ $_.Timestamp.Kind }) | Sort-Object -Unique | Should -Be 'Utc'
            Get-ResourceAlert | Should -BeNullOrEmpty
        }

        It 'renders each alert as a one-line message' {
            (Get-ResourceAlert).ForEach({ $_.ToString() }) | Should -Be @(
                '[alerts] StateSize at 80.0 %: 8 KB of 10 KB.'
                "[alerts] ValueSize limit exceeded by 'huge': 9 KB would exceed 8 KB."
                "[alerts] StateSize limit exceeded by 'over': 11 KB would exceed 10 KB."
                '[alerts] StateSize at 80.0 %: 8 KB of 10 KB.')
        }

        It 'copies the alerts and leaves them queued with -Peek' {
            (Get-ResourceAlert -Peek).Count | Should -Be 4
            (Get-ResourceAlert -Peek).Count | Should -Be 4
            (Get-ResourceAlert).Count | Should -Be 4
        }

        It 'drains only the alerts of the types given with -Type' {
            $limit = Get-ResourceAlert -Type LimitExceeded
            $limit.Key | Should -Be @('huge', 'over')
            (Get-ResourceAlert -Peek).Type | Should -Be @('ApproachingLimit', 'ApproachingLimit')
            (Get-ResourceAlert -Type CleanupFailed, CleanupTriggered) | Should -BeNullOrEmpty
            (Get-ResourceAlert -Type ApproachingLimit, LimitExceeded).Count | Should -Be 2
            Get-ResourceAlert | Should -BeNullOrEmpty
        }

        It 'filters a peek with -Type without draining' {
            (Get-ResourceAlert -Peek -Type ApproachingLimit).Current | Should -Be @(8192, 8192)
            (Get-ResourceAlert -Peek).Count | Should -Be 4
        }

        It 'reads the alerts of the monitor given, by name, object or property name' {
            $quiet = New-StateMonitor -Name quiet
            Get-ResourceAlert | Should -BeNullOrEmpty
            (Get-ResourceAlert -Monitor alerts -Peek).Count | Should -Be 4
            (Get-ResourceAlert -Monitor $monitor -Peek).Count | Should -Be 4
            (Get-ResourceUsage alerts | Get-ResourceAlert -Peek).Count | Should -Be 4
        }

        It 'declares ResourceAlert as output type' {
            (Get-Command Get-ResourceAlert).OutputType.Name | Should -Be 'AgentFlow.Resources.ResourceAlert'
        }

        It 'rejects an unknown -Type' {
            $record = Get-ErrorRecord { Get-ResourceAlert -Type Catastrophe }
            $record.FullyQualifiedErrorId | Should -Be "CannotConvertArgumentNoMessage,$Commands.GetResourceAlertCommand"
            (Get-ResourceAlert -Peek).Count | Should -Be 4
        }
    }

    Describe 'Clear-ResourceAlert' {
        BeforeEach {
            $monitor = New-AlertingMonitor
        }

        It 'empties the queue and writes nothing' {
            Clear-ResourceAlert | Should -BeNullOrEmpty
            Get-ResourceAlert -Peek | Should -BeNullOrEmpty
            $monitor.ValueCount | Should -Be 1
        }

        It 'clears nothing with -WhatIf' {
            Clear-ResourceAlert -Monitor alerts -WhatIf
            (Get-ResourceAlert -Peek).Count | Should -Be 4
        }

        It 'is ShouldProcess with low impact' {
            $attribute = (Get-Command Clear-ResourceAlert).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            $attribute.SupportsShouldProcess | Should -BeTrue
            $attribute.ConfirmImpact | Should -Be 'Low'
        }
    }

    Describe 'Alerts on the warning stream' {
        It 'writes the alerts a command raised as warnings, and they stay queued' {
            $null = New-StateMonitor -Name warn -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 4KB -StreamChunkSize 1KB)
            Add-Allocation a 4KB -WarningVariable first
            Add-Allocation b 3KB -WarningVariable second
            Add-Allocation c 1KB -WarningVariable third
            $first | Should -BeNullOrEmpty
            $second | Should -BeNullOrEmpty
            $third.Message | Should -Be @('[warn] Automatic cleanup freed 4 KB by evicting 1 entry.')
            $alert = Get-ResourceAlert
            $alert.Type | Should -Be 'CleanupTriggered'
            $alert.Automatic | Should -BeTrue
            @(Get-Allocation).Key | Should -Be @('b', 'c')
        }

        It 'warns once, not on every run, when pins hold automatic cleanup above its target' {
            $null = New-StateMonitor -Name pins -Limits (New-ResourceLimits -MaxStateSize 100KB -CleanupThreshold 0.8 -CleanupTarget 0.5)
            Add-Allocation model 70KB -Pin
            $warnings = foreach ($i in 1..4) {
                Add-Allocation "step$i" 6KB -WarningVariable raised
                $raised | ForEach-Object Message
            }
            # step2 (82 KB) is due: step1 is evicted (76 KB), the pinned 70 KB stays above the 50 KB target;
            # step3 and step4 evict their predecessor in the same stretch above the target: no new failure.
            $warnings | Should -Be @(
                '[pins] Automatic cleanup freed 6 KB by evicting 1 entry.'
                '[pins] Automatic cleanup stopped at 76 KB in 2 entries, above its target of 50 KB and 500 entries: 70 KB is pinned in 1 entry.'
                '[pins] Automatic cleanup freed 6 KB by evicting 1 entry.'
                '[pins] Automatic cleanup freed 6 KB by evicting 1 entry.')
            @(Get-ResourceAlert -Type CleanupFailed).Count | Should -Be 1
        }

        It 'writes them to stream 3, so they can be redirected' {
            $WarningPreference = 'Continue'
            $null = New-StateMonitor -Name stream -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 8KB -StreamChunkSize 1KB -AutoCleanup:$false)
            $records = Add-Allocation a 9KB -ErrorAction SilentlyContinue 3>&1
            $records | Should -BeOfType ([System.Management.Automation.WarningRecord])
            $records.Message | Should -Be "[stream] ValueSize limit exceeded by 'a': 9 KB would exceed 8 KB."
        }

        It 'writes no warning when nothing was raised, and never an earlier command''s alerts' {
            $null = New-AlertingMonitor
            Add-Allocation small 1 -WarningVariable quiet
            Get-ResourceUsage -WarningVariable quieter | Out-Null
            $quiet | Should -BeNullOrEmpty
            $quieter | Should -BeNullOrEmpty
        }

        It 'ignores alerts raised on other threads while the command runs' {
            $monitor = New-StateMonitor -Name threads -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 8KB -StreamChunkSize 1KB -AutoCleanup:$false)
            [ForeignAlertSource]::ArmOnce($monitor)
            Add-Allocation big 8KB -WarningVariable warnings
            $warnings.Message | Should -Be @('[threads] StateSize at 80.0 %: 8 KB of 10 KB.')
            (Get-ResourceAlert).ForEach({ $_.ToString() }) | Should -Be @(
                '[threads] StateSize at 80.0 %: 8 KB of 10 KB.'
                "[threads] ValueSize limit exceeded by 'foreign': 2048 PB would exceed 8 KB.")
        }

        It 'stops listening when the command ends: later alerts from scripts are not written by it' {
            $monitor = New-StateMonitor -Name later -Limits (New-ResourceLimits -MaxStateSize 10KB -MaxValueSize 8KB -StreamChunkSize 1KB -AutoCleanup:$false)
            Add-Allocation a 1KB -WarningVariable during
            $null = $monitor.RecordAllocation('direct', 9KB)
            $during | Should -BeNullOrEmpty
            (Get-ResourceAlert).Type | Should -Be 'LimitExceeded'
            $monitor.GetStats().EventHandlerErrors | Should -Be 0
        }
    }
}
