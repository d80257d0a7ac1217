#Requires -Version 7.0
# The module as a whole: a clean import, the exported commands, and the conventions every cmdlet follows.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $Manifest = Get-BuiltModuleManifest
    Import-Module $Manifest
    $ManifestData = Import-PowerShellDataFile -LiteralPath $Manifest
    $Module = Get-Module AgentFlow.Resources
    $CmdletClasses = @($Module.ImplementingAssembly.GetExportedTypes() |
        Where-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).Count -gt 0 })
}

BeforeDiscovery {
    $MonitorCommands = 'Add-Allocation', 'Remove-Allocation', 'Get-Allocation', 'Get-LruKey', 'Use-Allocation', 'Lock-Allocation',
        'Unlock-Allocation', 'Get-ResourceUsage', 'Invoke-ResourceCleanup', 'Get-ResourceAlert', 'Clear-ResourceAlert', 'Reset-StateMonitor',
        'Invoke-MonitoredStep', 'Sync-Allocation'
}

Describe 'Module' {
    It 'imports in a fresh session without any output, warning or error' {
        $result = Invoke-FreshPwsh {
            param($Manifest)
            $output = Import-Module $Manifest -PassThru -WarningVariable warnings -ErrorVariable problems -Verbose 4>&1
            $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
            'warnings=' + $warnings.Count
            'errors=' + $problems.Count
            'unapproved=' + @($verbose | Where-Object Message -Match 'unapproved|verb').Count
            'module=' + @($output | Where-Object { $_ -is [psmoduleinfo] }).Name
        } -ArgumentList $Manifest
        $result.ErrorOutput | Should -BeNullOrEmpty
        $result.Output | Should -Be @('warnings=0', 'errors=0', 'unapproved=0', 'module=AgentFlow.Resources')
        $result.ExitCode | Should -Be 0
    }

    It 'prints nothing at all when imported at a prompt' {
        $result = Invoke-FreshPwsh { param($Manifest) Import-Module $Manifest } -ArgumentList $Manifest
        $result.Output | Should -BeNullOrEmpty
        $result.ErrorOutput | Should -BeNullOrEmpty
    }

    It 'exports exactly the cmdlets the manifest lists, and the manifest lists every cmdlet class' {
        $listed = @($ManifestData.CmdletsToExport) | Sort-Object
        $listed.Count | Should -Be 29
        @($Module.ExportedCmdlets.Keys | Sort-Object) | Should -Be $listed
        @(Get-Command -Module AgentFlow.Resources | ForEach-Object Name | Sort-Object) | Should -Be $listed
        @($CmdletClasses | ForEach-Object {
                $attribute = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
                '{0}-{1}' -f $attribute.VerbName, $attribute.NounName
            } | Sort-Object) | Should -Be $listed
        $Module.ExportedFunctions.Count | Should -Be 0
        $Module.ExportedAliases.Count | Should -Be 0
        $Module.ExportedVariables.Count | Should -Be 0
    }

    It 'lists commands explicitly in the manifest (no wildcards) and loads Core as a required assembly' {
        $ManifestData.CmdletsToExport | Should -Not -Contain '*'
        $ManifestData.RootModule | Should -Be 'AgentFlow.Resources.PowerShell.dll'
        $ManifestData.RequiredAssemblies | Should -Be @('AgentFlow.Resources.Core.dll')
        $ManifestData.FormatsToProcess | Should -Be @('AgentFlow.Resources.Format.ps1xml')
        $ManifestData.TypesToProcess | Should -Be @('AgentFlow.Resources.Types.ps1xml')
        $ManifestData.ModuleVersion | Should -Be '0.1.0'
        $ManifestData.GUID | Should -Be '60b435f6-0b9e-4293-9874-51d0f2b50379'
        $ManifestData.PowerShellVersion | Should -Be '5.1'
        $ManifestData.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $ManifestData.PrivateData.PSData.Tags | Should -Contain 'PSEdition_Core'
        $ManifestData.PrivateData.PSData.ProjectUri | Should -Match '^https://'
        $ManifestData.PrivateData.PSData.LicenseUri | Should -Match '^https://'
        $ManifestData.PrivateData.PSData.ReleaseNotes | Should -Match '0\.1\.0'
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        foreach ($command in Get-Command -Module AgentFlow.Resources) {
            $approved | Should -Contain $command.Verb -Because "$($command.Name) must use an approved verb"
        }
    }

    It 'implements <Name> in a public sealed class named after it, with an output type' -TestCases @(
        'New-ResourceLimits', 'Test-ResourceLimits', 'New-StateMonitor', 'Get-StateMonitor', 'Select-StateMonitor', 'Remove-StateMonitor',
        'Add-Allocation', 'Remove-Allocation', 'Get-Allocation', 'Get-LruKey', 'Use-Allocation', 'Lock-Allocation', 'Unlock-Allocation',
        'Get-ResourceUsage', 'Invoke-ResourceCleanup', 'Get-ResourceAlert', 'Clear-ResourceAlert', 'Reset-StateMonitor',
        'Measure-AllocationSize', 'Invoke-MonitoredStep', 'Sync-Allocation' | ForEach-Object { @{ Name = $_ } }
    ) {
        param($Name)
        $type = (Get-Command $Name).ImplementingType
        $type.IsSealed | Should -BeTrue
        $type.IsPublic | Should -BeTrue
        $type.FullName | Should -Be ('AgentFlow.Resources.PowerShell.Commands.{0}Command' -f ($Name -replace '-'))
        (Get-Command $Name).OutputType.Count | Should -BeGreaterThan 0
    }

    It 'gives <Name> the shared -Monitor: object or name, MonitorName alias, by property name, completed' -TestCases @(
        $MonitorCommands | ForEach-Object { @{ Name = $_ } }
    ) {
        param($Name)
        $parameter = (Get-Command $Name).Parameters['Monitor']
        $parameter.ParameterType | Should -Be ([AgentFlow.Resources.StateMonitor])
        $parameter.Aliases | Should -Be @('MonitorName')
        $parameter.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName | Should -Not -Contain $false
        $parameter.Attributes.Where({ $_ -is [AgentFlow.Resources.PowerShell.Binding.MonitorTransformationAttribute] }).Count | Should -Be 1
        $parameter.Attributes.Where({ $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }).Type | Should -Be ([AgentFlow.Resources.PowerShell.Binding.MonitorNameCompleter])
        @($parameter.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).Mandatory) | Should -Not -Contain $true
    }

    It 'makes -Monitor positional and pipeline input for <Name>' -TestCases @(
        @{ Name = 'Get-ResourceUsage' }, @{ Name = 'Reset-StateMonitor' }, @{ Name = 'Select-StateMonitor' }, @{ Name = 'Remove-StateMonitor' }
    ) {
        param($Name)
        $attribute = (Get-Command $Name).Parameters['Monitor'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] })[0]
        $attribute.Position | Should -Be 0
        $attribute.ValueFromPipeline | Should -BeTrue
    }

    It 'binds every size parameter through the size transformation: <Command> -<Parameter>' -TestCases @(
        @{ Command = 'Add-Allocation'; Parameter = 'Size' }
        @{ Command = 'Remove-Allocation'; Parameter = 'Size' }
        @{ Command = 'New-ResourceLimits'; Parameter = 'MaxStateSize' }
        @{ Command = 'New-ResourceLimits'; Parameter = 'MaxValueSize' }
        @{ Command = 'New-ResourceLimits'; Parameter = 'StreamChunkSize' }
        @{ Command = 'Test-ResourceLimits'; Parameter = 'MaxStateSize' }
        @{ Command = 'Test-ResourceLimits'; Parameter = 'MaxValueSize' }
        @{ Command = 'Test-ResourceLimits'; Parameter = 'StreamChunkSize' }
    ) {
        param($Command, $Parameter)
        $metadata = (Get-Command $Command).Parameters[$Parameter]
        $metadata.Attributes.Where({ $_ -is [AgentFlow.Resources.PowerShell.Binding.SizeTransformationAttribute] }).Count | Should -Be 1
        $metadata.ParameterType | Should -BeIn @([long], [System.Nullable[long]])
    }

    It 'supports ShouldProcess exactly on the commands that remove, reset, clear, write files, may evict or replace monitors' {
        $withShouldProcess = @(Get-Command -Module AgentFlow.Resources | Where-Object { $_.Parameters.ContainsKey('WhatIf') } | ForEach-Object Name | Sort-Object)
        $withShouldProcess | Should -Be @('Add-Allocation', 'Clear-ResourceAlert', 'Export-ResourceLimits', 'Export-ResourceMetrics', 'Export-ResourceReport', 'Export-StateMonitor', 'Import-StateMonitor', 'Invoke-ResourceCleanup', 'Remove-Allocation', 'Remove-SharedBudget', 'Remove-StateMonitor', 'Reset-StateMonitor', 'Sync-Allocation')
    }
}
