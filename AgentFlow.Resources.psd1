@{
    RootModule             = 'AgentFlow.Resources.PowerShell.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '60b435f6-0b9e-4293-9874-51d0f2b50379'
    Author                 = 'AgentFlow developers'
    CompanyName            = 'AgentFlow'
    Copyright              = '(c) AgentFlow developers. MIT licence.'
    Description            = 'Keeps a workflow''s state inside a memory budget: resource limits, state monitors that track named allocations with least-recently-used order, pins and automatic or manual cleanup, alerts written to the warning stream, usage history with prediction, and metrics and reports for monitoring.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')

    # The engine is a plain .NET library; it is loaded before the cmdlets that use it.
    RequiredAssemblies     = @('AgentFlow.Resources.Core.dll')
    NestedModules          = @()
    FormatsToProcess       = @('AgentFlow.Resources.Format.ps1xml')
    TypesToProcess         = @('AgentFlow.Resources.Types.ps1xml')

    CmdletsToExport        = @(
        'New-ResourceLimits'
        'Test-ResourceLimits'
        'Import-ResourceLimits'
        'Export-ResourceLimits'
        'New-StateMonitor'
        'Get-StateMonitor'
        'Select-StateMonitor'
        'Remove-StateMonitor'
        'Add-Allocation'
        'Remove-Allocation'
        'Get-Allocation'
        'Get-LruKey'
        'Use-Allocation'
        'Lock-Allocation'
        'Unlock-Allocation'
        'Get-ResourceUsage'
        'Invoke-ResourceCleanup'
        'Get-ResourceAlert'
        'Clear-ResourceAlert'
        'Reset-StateMonitor'
        'Measure-AllocationSize'
        'Invoke-MonitoredStep'
        'Sync-Allocation'
        'Export-ResourceMetrics'
        'Show-ResourceUsage'
        'Export-ResourceReport'
        'Remove-SharedBudget'
        'Export-StateMonitor'
        'Import-StateMonitor'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()

    PrivateData            = @{
        PSData = @{
            Tags         = @('memory', 'resources', 'limits', 'LRU', 'cache', 'eviction', 'monitoring', 'workflow', 'AgentFlow', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/agentflow/AgentFlow.Resources'
            LicenseUri   = 'https://github.com/agentflow/AgentFlow.Resources/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0 - first release.
- Resource limits: New-ResourceLimits (values and the presets Default, MemoryConstrained, HighThroughput, Streaming, Development), Test-ResourceLimits.
- Limits files: Import-ResourceLimits and Export-ResourceLimits (YAML, JSON, .psd1; YAML needs PowerShell 7); -Limits also takes hashtables and limits read back with Import-Clixml or ConvertFrom-Json.
- State monitors: New-, Get-, Select-, Remove-, Reset-StateMonitor; detailed (per key, LRU, pins, cleanup) and fast (counters only) modes; monitors are shared across runspaces (ForEach-Object -Parallel).
- Allocations: Add- (keys, objects with Key/Size or Name/Length, files), Remove-, Get-, Use-, Lock-, Unlock-Allocation, Get-LruKey.
- Cleanup: automatic LRU eviction at the threshold, Invoke-ResourceCleanup with -WhatIf plans.
- Alerts: Get-ResourceAlert, Clear-ResourceAlert; alerts raised by a command are also written as warnings.
- Sizes accept numbers (100MB) and strings ('1.5GB', '10 MiB', '4096').
- Seeing and predicting usage: usage history (Get-ResourceUsage -History, New-StateMonitor -HistoryInterval/-HistoryLength), growth forecast (GrowthRate, TimeToThreshold, TimeToLimit), PredictionHorizon with the PredictedExhaustion alert and PredictiveCleanup; Show-ResourceUsage, Export-ResourceReport (self-contained HTML), Export-ResourceMetrics (Prometheus text); Meter instruments for OpenTelemetry and dotnet-counters.
'@
        }
    }
}
