# Helpers shared by the Pester suites. Import with:
#   Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
# Get-BuiltModuleManifest  the manifest of the built module (what build.ps1 laid out)
# Invoke-FreshPwsh         runs a script block in a new pwsh -NoProfile -NonInteractive process
# Get-PwshCommand          how to start such a process yourself
# Get-RepositoryRoot       the repository's root folder
# Get-RestoredPackageDirectory  the folder of a package restored by tools/restore/Tools.Restore.csproj

Set-StrictMode -Version Latest

Import-Module (Join-Path $PSScriptRoot '../../tools/ChildPwsh.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../../tools/RestoredPackages.psm1') -Force

function Get-RepositoryRoot {
    [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
}

<#
.SYNOPSIS
    Returns the path of the built module's manifest.
.DESCRIPTION
    build.ps1 sets AGENTFLOW_MODULE_MANIFEST for the test run; without it the default build layout
    (<repo>/artifacts/module/AgentFlow.Resources/AgentFlow.Resources.psd1) is used. Throws a clear error
    when the manifest is not there, so a suite run before a build says what to do.
#>
function Get-BuiltModuleManifest {
    [CmdletBinding()]
    param()
    $path = if ($env:AGENTFLOW_MODULE_MANIFEST) { $env:AGENTFLOW_MODULE_MANIFEST }
    else { Join-Path (Get-RepositoryRoot) 'artifacts/module/AgentFlow.Resources/AgentFlow.Resources.psd1' }
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
        throw "The built module manifest '$path' does not exist. Build first: dotnet pwsh ./build.ps1 Build (or set AGENTFLOW_MODULE_MANIFEST)."
    }
    $path
}

<#
.SYNOPSIS
    The artifacts root of the build under test: $env:AGENTFLOW_ARTIFACTS (set by build.ps1), else <repo>/artifacts.
#>
function Get-ArtifactsRoot {
    if ($env:AGENTFLOW_ARTIFACTS) { $env:AGENTFLOW_ARTIFACTS } else { Join-Path (Get-RepositoryRoot) 'artifacts' }
}

Export-ModuleMember -Function Get-RepositoryRoot, Get-BuiltModuleManifest, Get-ArtifactsRoot, Invoke-FreshPwsh, Get-PwshCommand, Get-RestoredPackageDirectory
