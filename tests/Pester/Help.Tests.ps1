# Help of the built module (what Get-Help shows users) and the markdown-to-MAML converter behind it.
# The first part runs against the module build.ps1 laid out (AGENTFLOW_MODULE_MANIFEST); the converter
# part runs on the pages under Fixtures/help only.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $helpFolder = Join-Path (Get-RepositoryRoot) 'docs/help'

    # The command list is needed to generate the tests. Without a build it is empty and the
    # 'module is built' test below fails with the reason.
    $commandCases = @()
    try {
        $module = Import-Module (Get-BuiltModuleManifest) -Force -PassThru -ErrorAction Stop
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters
        $commandCases = @(foreach ($name in $module.ExportedCommands.Keys | Sort-Object) {
                @{
                    Name       = $name
                    Parameters = @((Get-Command $name).Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
                }
            })
    }
    catch { Write-Warning "Help tests: the built module could not be imported: $($_.Exception.Message)" }

    $pageNames = @(if (Test-Path $helpFolder) {
            Get-ChildItem -Path $helpFolder -Filter '*.md' -File | Where-Object Name -NotLike 'about_*' | ForEach-Object BaseName
        })
}

Describe 'Help of the built module' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $module = Import-Module (Get-BuiltModuleManifest) -Force -PassThru
        $exported = @($module.ExportedCommands.Keys)
    }

    It 'the module is built and exports commands' {
        $exported.Count | Should -BeGreaterThan 0
    }

    Context '<Name>' -ForEach $commandCases {
        BeforeAll {
            $help = Get-Help -Name $Name -Full -ErrorAction Stop
            $documented = @($help.parameters.parameter | Where-Object { $_ } | ForEach-Object { [string]$_.name })
        }

        It 'has help from the MAML file, not the generated fallback' {
            $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo' -Because "docs/help/$Name.md should exist and convert"
        }

        It 'has a synopsis' {
            $synopsis = "$($help.Synopsis)".Trim()
            $synopsis | Should -Not -BeNullOrEmpty
            # Without help, Get-Help puts the syntax ('Name [-Param] ...') where the synopsis goes.
            $synopsis | Should -Not -Match "^$([regex]::Escape($Name))(\s|$)"
        }

        It 'has a description' {
            (@($help.description | Where-Object { $_ } | ForEach-Object Text) -join '').Trim() | Should -Not -BeNullOrEmpty
        }

        It 'has at least one example, each with code' {
            $examples = @($help.examples.example | Where-Object { $_ })
            $examples.Count | Should -BeGreaterThan 0
            foreach ($example in $examples) { "$($example.code)".Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title.Trim('- '))" }
        }

        It 'describes parameter -<_>' -ForEach $Parameters {
            $parameterName = $_
            $parameter = @($help.parameters.parameter) | Where-Object { $_ -and $_.name -eq $parameterName } | Select-Object -First 1
            $parameter | Should -Not -BeNullOrEmpty -Because "docs/help/$Name.md should have a '### -$parameterName' entry"
            (@($parameter.description | Where-Object { $_ } | ForEach-Object Text) -join '').Trim() | Should -Not -BeNullOrEmpty
        }

        It 'shows syntax that matches the command''s parameter sets (names, mandatory, position)' {
            $common = [System.Management.Automation.PSCmdlet]::CommonParameters
            $describe = { param($name, $mandatory, $position) '{0}:{1}:{2}' -f $name, $(if ($mandatory) { 'mandatory' } else { 'optional' }), $position }
            $actual = foreach ($set in (Get-Command $Name).ParameterSets) {
                (@($set.Parameters | Where-Object Name -NotIn $common | Sort-Object Name | ForEach-Object {
                            & $describe $_.Name $_.IsMandatory $(if ($_.Position -ge 0) { $_.Position } else { 'named' })
                        }) -join ' ')
            }
            $shown = foreach ($item in @($help.syntax.syntaxItem)) {
                (@($item.parameter | Where-Object { $_ } | Sort-Object name | ForEach-Object {
                            & $describe $_.name ($_.required -eq 'true') $_.position
                        }) -join ' ')
            }
            # Only the sets that differ are reported, each as the command has it and as the help shows it.
            $differences = Compare-Object @($actual) @($shown) | ForEach-Object {
                '{0} {1}' -f $(if ($_.SideIndicator -eq '<=') { 'command has:' } else { 'help shows: ' }), $_.InputObject
            }
            $differences | Should -BeNullOrEmpty
        }

        It 'documents no parameter the command does not have' {
            $actual = @((Get-Command $Name).Parameters.Keys)
            $documented | Where-Object { $_ -notin $actual } | Should -BeNullOrEmpty
        }
    }

    It 'has the about_AgentFlow.Resources topic' {
        $about = Get-Help -Name 'about_AgentFlow.Resources'
        # A topic that is not found turns into a search that returns command help objects instead.
        $about -is [string] | Should -BeTrue -Because 'Get-Help should find the topic converted from docs/help/about_AgentFlow.Resources.md'
        $about | Should -Match 'about_AgentFlow\.Resources'
    }

    It 'docs/help/<_>.md documents an exported command' -ForEach $pageNames {
        $exported | Should -Contain $_
    }
}

Describe 'Help converter (tools/HelpConverter)' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Join-Path (Get-RepositoryRoot) 'tools/HelpConverter/HelpConverter.psm1') -Force
        $fixtures = Join-Path $PSScriptRoot 'Fixtures/help'
    }

    Context 'valid pages' {
        BeforeAll {
            # The fixture module takes its help from the converted pages, as the real module does.
            $moduleRoot = Join-Path $TestDrive 'modules'
            $moduleDir = Join-Path $moduleRoot 'FixtureModule'
            $null = New-Item -ItemType Directory -Force -Path $moduleDir
            Copy-Item (Join-Path $fixtures 'FixtureModule/FixtureModule.psm1') $moduleDir
            $written = ConvertTo-ModuleHelp -SourcePath (Join-Path $fixtures 'valid') -OutputPath (Join-Path $moduleDir 'en-US') -MamlFileName 'FixtureModule-help.xml'
            $mamlPath = Join-Path $moduleDir 'en-US/FixtureModule-help.xml'
        }

        It 'writes one MAML file and the about topic' {
            $written | Split-Path -Leaf | Sort-Object | Should -Be @('about_FixtureModule.help.txt', 'FixtureModule-help.xml')
        }

        It 'writes MAML in the namespaces Get-Help reads' {
            [xml]$xml = Get-Content -LiteralPath $mamlPath -Raw
            $xml.DocumentElement.LocalName | Should -Be 'helpItems'
            $xml.DocumentElement.NamespaceURI | Should -Be 'http://msh'
            $xml.DocumentElement.schema | Should -Be 'maml'
            $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
            $ns.AddNamespace('msh', 'http://msh')
            $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
            $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
            $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
            $names = $xml.SelectNodes('/msh:helpItems/command:command/command:details/command:name', $ns) | ForEach-Object InnerText
            $names | Should -Be @('Get-FixtureWidget', 'Set-FixtureWidget')
            $get = $xml.SelectSingleNode("//command:command[command:details/command:name='Get-FixtureWidget']", $ns)
            $get.SelectNodes('command:syntax/command:syntaxItem', $ns).Count | Should -Be 2
            $get.SelectNodes('command:parameters/command:parameter', $ns).Count | Should -Be 3
            $get.SelectNodes('command:examples/command:example/dev:code', $ns).Count | Should -Be 2
            $name = $get.SelectSingleNode("command:parameters/command:parameter[maml:name='Name']", $ns)
            $name.position | Should -Be '0'
            $name.globbing | Should -Be 'true'
            $name.pipelineInput | Should -Be 'True (ByPropertyName)'
            $name.aliases | Should -Be 'WidgetName'
            $name.SelectSingleNode('dev:defaultValue', $ns).InnerText | Should -Be '*'
        }

        It 'produces help that Get-Help shows in a fresh session' {
            $probe = Invoke-FreshPwsh -Environment @{ PSModulePath = $moduleRoot + [System.IO.Path]::PathSeparator + $env:PSModulePath } -ScriptBlock {
                $ErrorActionPreference = 'Stop'
                Import-Module FixtureModule
                $get = Get-Help Get-FixtureWidget -Full
                $set = Get-Help Set-FixtureWidget -Full
                [pscustomobject]@{
                    Synopsis        = $get.Synopsis
                    Description     = @($get.description.Text)
                    Syntax          = (Get-Help Get-FixtureWidget | Out-String -Width 400) -split "`n" | Where-Object { $_ -match '^\s+Get-FixtureWidget [\[-]' } | ForEach-Object Trim
                    ExampleCode     = @($get.examples.example.code)
                    ExampleRemarks  = @($get.examples.example | ForEach-Object { ($_.remarks.Text -join ' ') })
                    Parameters      = @($get.parameters.parameter | ForEach-Object { [pscustomobject]@{ Name = $_.name; Description = ($_.description.Text -join ' ') } })
                    SetParameters   = @($set.parameters.parameter.name)
                    Inputs          = "$($get.inputTypes.inputType.type.name)"
                    Notes           = ($get.alertSet.alert.Text -join ' ')
                    Links           = @($get.relatedLinks.navigationLink.linkText)
                    About           = Get-Help about_FixtureModule
                } | ConvertTo-Json -Depth 5
            }
            $probe.ExitCode | Should -Be 0 -Because ($probe.ErrorOutput -join "`n")
            $shown = ($probe.Output -join "`n") | ConvertFrom-Json

            $shown.Synopsis | Should -Be 'Gets fixture widgets by name.'
            $shown.Description[0].Trim() | Should -BeLike 'The Get-FixtureWidget function returns widgets.*every part of the platyPS layout.'
            $shown.Syntax | Should -Be @(
                'Get-FixtureWidget [[-Name] <String[]>] [-Kind {Small | Large}] [<CommonParameters>]'
                'Get-FixtureWidget -All [-Kind {Small | Large}] [<CommonParameters>]')
            $shown.ExampleCode | Should -Be @('Get-FixtureWidget', "Get-FixtureWidget -Name 'w*' -Kind Small")
            $shown.ExampleRemarks[1] | Should -BeLike 'This example filters by name.*Returns the small widgets*'
            ($shown.Parameters | Where-Object Name -EQ 'Kind').Description | Should -Be 'The kind of widget to get.'
            $shown.Parameters.Name | Should -Be @('All', 'Kind', 'Name')
            $shown.SetParameters | Should -Be @('Name', 'Size', 'PassThru', 'WhatIf', 'Confirm')
            $shown.Inputs | Should -Be 'System.String[]'
            $shown.Notes | Should -Be 'Fixture widgets are not real.'
            $shown.Links | Should -Be @('Set-FixtureWidget', 'about_FixtureModule')
            $shown.About | Should -Match '(?m)^TOPIC\s+about_FixtureModule\s+SHORT DESCRIPTION\s+Explains the fixture module'
        }
    }

    Context 'malformed pages' {
        BeforeDiscovery {
            # One page per defect; the expected text is the part of the message that names the problem.
            $malformedCases = @(
                @{ File = 'Get-MissingSynopsis.md'; Problem = "the '## SYNOPSIS' section is missing" }
                @{ File = 'Get-MissingDescription.md'; Problem = "the '## DESCRIPTION' section is missing" }
                @{ File = 'Get-MissingExamples.md'; Problem = "the '## EXAMPLES' section is missing" }
                @{ File = 'Get-ExampleWithoutCode.md'; Problem = "example 'Example 1: Get it' has no code block" }
                @{ File = 'Get-ParameterWithoutDescription.md'; Problem = 'parameter -Name has no description' }
                @{ File = 'Get-ParameterWithoutYaml.md'; Problem = 'parameter -Name has no yaml block' }
                @{ File = 'Get-NameMismatch.md'; Problem = "the title '# Get-OtherName' does not match the file name (expected '# Get-NameMismatch')" }
                @{ File = 'about_Malformed.md'; Problem = "the '## SHORT DESCRIPTION' section is missing or empty" }
            )
        }

        BeforeAll {
            $malformed = Join-Path $fixtures 'malformed'
        }

        It 'has a case for every malformed fixture page' {
            $cases = foreach ($case in $malformedCases) { $case.File }
            Get-ChildItem $malformed -Filter '*.md' | ForEach-Object Name | Sort-Object | Should -Be ($cases | Sort-Object)
        } -TestCases @{ malformedCases = $malformedCases }

        It '<File> fails, naming the file and the problem, and writes nothing' -ForEach $malformedCases {
            $source = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
            $output = Join-Path $TestDrive 'out'
            $null = New-Item -ItemType Directory -Path $source
            Copy-Item (Join-Path $malformed $File) $source
            # A valid page beside it must not hide the problem.
            Copy-Item (Join-Path $fixtures 'valid/Set-FixtureWidget.md') $source

            { ConvertTo-ModuleHelp -SourcePath $source -OutputPath $output -MamlFileName 'x-help.xml' } |
                Should -Throw -ExpectedMessage "*${File}: $Problem*"
            Test-Path $output | Should -BeFalse
        }
    }
}
