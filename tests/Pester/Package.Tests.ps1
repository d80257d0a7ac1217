# The module as a gallery package: publish the built module folder to a temporary local PSResourceGet
# repository, save it from there into an empty module path, and import it by name in a new process.
# PSResourceGet keeps its repository list per user, so the repository has a unique name and is always
# unregistered (AfterAll runs even when a test or BeforeAll fails).

Describe 'Packaging the built module' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $manifestPath = Get-BuiltModuleManifest
        $moduleDir = Split-Path -Parent $manifestPath
        $manifest = Import-PowerShellDataFile -LiteralPath $manifestPath
        $version = $manifest.ModuleVersion

        $repository = "AgentFlowTest-$([guid]::NewGuid().ToString('N'))"
        $feed = Join-Path $TestDrive 'feed'
        $modulePath = Join-Path $TestDrive 'modules'
        $null = New-Item -ItemType Directory -Force -Path $feed, $modulePath

        Register-PSResourceRepository -Name $repository -Uri $feed -Trusted
        Publish-PSResource -Path $moduleDir -Repository $repository
    }

    AfterAll {
        if (Get-PSResourceRepository -Name $repository -ErrorAction SilentlyContinue) {
            Unregister-PSResourceRepository -Name $repository
        }
    }

    It 'publishes one .nupkg named after the module and its version' {
        Get-ChildItem -LiteralPath $feed -Filter '*.nupkg' | ForEach-Object Name | Should -Be "AgentFlow.Resources.$version.nupkg"
    }

    It 'packs exactly the files of the module folder' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead((Join-Path $feed "AgentFlow.Resources.$version.nupkg"))
        try {
            # NuGet's own bookkeeping entries are not module files.
            $packed = @($zip.Entries.FullName | Where-Object { $_ -notmatch '^(_rels/|package/|\[Content_Types\]\.xml$)|\.nuspec$' } | ForEach-Object { [uri]::UnescapeDataString($_) } | Sort-Object)
        }
        finally { $zip.Dispose() }
        $expected = @(Get-ChildItem -LiteralPath $moduleDir -Recurse -File | ForEach-Object { [System.IO.Path]::GetRelativePath($moduleDir, $_.FullName).Replace('\', '/') } | Sort-Object)
        $packed | Should -Be $expected
    }

    It 'is found in the repository with the manifest''s version and description' {
        $found = Find-PSResource -Name 'AgentFlow.Resources' -Repository $repository
        $found.Version.ToString() | Should -Be $version
        $found.Description | Should -Be $manifest.Description
    }

    It 'saves into an empty module path and imports by name in a new process' {
        Save-PSResource -Name 'AgentFlow.Resources' -Repository $repository -Path $modulePath -TrustRepository
        Test-Path -LiteralPath (Join-Path $modulePath "AgentFlow.Resources/$version/AgentFlow.Resources.psd1") | Should -BeTrue

        $probe = Invoke-FreshPwsh -Environment @{ PSModulePath = $modulePath } -ScriptBlock {
            $ErrorActionPreference = 'Stop'
            Import-Module AgentFlow.Resources
            $module = Get-Module AgentFlow.Resources
            [pscustomobject]@{
                ModuleBase = $module.ModuleBase
                Commands   = @($module.ExportedCommands.Keys | Sort-Object)
                Works      = (New-ResourceLimits -MaxStateSize '200MB').MaxStateSize
                # YAML needs the package's dependencies folder (YamlDotNet in its own load context).
                Yaml       = & {
                    $file = Join-Path ([System.IO.Path]::GetTempPath()) "package-$([guid]::NewGuid().ToString('N')).yaml"
                    try { (New-ResourceLimits -MaxStateSize 3MB | Export-ResourceLimits $file -PassThru | Import-ResourceLimits).MaxStateSize }
                    finally { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
                }
            } | ConvertTo-Json
        }
        $probe.ExitCode | Should -Be 0 -Because ($probe.ErrorOutput -join "`n")
        $loaded = ($probe.Output -join "`n") | ConvertFrom-Json
        $loaded.ModuleBase | Should -BeLike "$modulePath*"
        $loaded.Commands | Should -Be @($manifest.CmdletsToExport | Sort-Object)
        $loaded.Works | Should -Be 200MB
        $loaded.Yaml | Should -Be 3MB
    }

    It 'unregisters its temporary repository' {
        Unregister-PSResourceRepository -Name $repository
        Get-PSResourceRepository -Name $repository -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'The built module folder' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $manifestPath = Get-BuiltModuleManifest
        $moduleDir = Split-Path -Parent $manifestPath
    }

    It 'holds exactly the files of the build layout (docs/design/module-surface.md)' {
        $files = Get-ChildItem -LiteralPath $moduleDir -Recurse -File | ForEach-Object { [System.IO.Path]::GetRelativePath($moduleDir, $_.FullName).Replace('\', '/') }
        @($files | Sort-Object) | Should -Be @(
            'AgentFlow.Resources.Core.dll'
            'AgentFlow.Resources.Format.ps1xml'
            'AgentFlow.Resources.PowerShell.dll'
            'AgentFlow.Resources.psd1'
            'AgentFlow.Resources.Types.ps1xml'
            'dependencies/Redis/AgentFlow.Resources.Redis.dll'
            'dependencies/Redis/Microsoft.Extensions.DependencyInjection.Abstractions.dll'
            'dependencies/Redis/Microsoft.Extensions.Logging.Abstractions.dll'
            'dependencies/Redis/RESPite.dll'
            'dependencies/Redis/StackExchange.Redis.dll'
            'dependencies/Redis/System.Diagnostics.DiagnosticSource.dll'
            'dependencies/Redis/System.IO.Hashing.dll'
            'dependencies/Redis/System.IO.Pipelines.dll'
            'dependencies/Yaml/AgentFlow.Resources.Yaml.dll'
            'dependencies/Yaml/YamlDotNet.dll'
            'en-US/about_AgentFlow.Resources.help.txt'
            'en-US/AgentFlow.Resources.PowerShell.dll-Help.xml'
        )
    }

    It 'has a manifest that Test-ModuleManifest accepts' {
        $info = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
        $info.Name | Should -Be 'AgentFlow.Resources'
    }
}
