# Finding packages that tools/restore/Tools.Restore.csproj brought into the NuGet packages folder. Shared by
# build.ps1 (Pester) and the Pester suites (the YamlDotNet version the isolation test loads first).

Set-StrictMode -Version Latest

<#
.SYNOPSIS
    Returns the folder of a restored package (<packages folder>/<id>/<version>, id in lower case).
.DESCRIPTION
    The packages folders are read from the restore's own assets file, <artifacts root>/obj/Tools.Restore/project.assets.json,
    so a NUGET_PACKAGES override or a NuGet.config is honoured. Throws when the package is not there.
#>
function Get-RestoredPackageDirectory {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string]$ArtifactsRoot,
        [Parameter(Mandatory)] [string]$Id,
        [Parameter(Mandatory)] [string]$Version
    )
    $assets = Join-Path $ArtifactsRoot 'obj/Tools.Restore/project.assets.json'
    if (-not (Test-Path -LiteralPath $assets)) {
        throw "$assets does not exist: restore tools/restore/Tools.Restore.csproj first (build.ps1 Test does)."
    }
    $folders = (Get-Content -LiteralPath $assets -Raw | ConvertFrom-Json -AsHashtable).packageFolders.Keys
    foreach ($folder in $folders) {
        $directory = Join-Path $folder "$($Id.ToLowerInvariant())/$Version"
        if (Test-Path -LiteralPath $directory) { return $directory }
    }
    throw "$Id $Version was restored but is not in the package folders ($($folders -join ', '))."
}

Export-ModuleMember -Function Get-RestoredPackageDirectory
