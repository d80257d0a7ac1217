#Requires -Version 7.0
# Limits from files: Import-ResourceLimits and Export-ResourceLimits for YAML, JSON and .psd1, every error with its
# ID, category and line, -Limits from hashtables and deserialized limits, and YamlDotNet's isolation.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModuleManifest)
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force

    # Writes a file under TestDrive (UTF-8, '\n' line ends) and returns its full path.
    function New-LimitsFile([string]$Name, [string]$Content) {
        $path = Join-Path $TestDrive $Name
        [System.IO.File]::WriteAllText($path, ($Content -replace "`r`n", "`n"))
        $path
    }

    # Runs Import-ResourceLimits on the file and returns its output and every error it wrote.
    function Invoke-Import([string]$Path) {
        $errors = $null
        $output = Import-ResourceLimits -LiteralPath $Path -ErrorAction SilentlyContinue -ErrorVariable errors
        [pscustomobject]@{ Output = @($output); Errors = @($errors) }
    }

    function Get-LimitsValues($Limits) {
        $values = 'state={0};value={1};entries={2};threshold={3};target={4};auto={5};streaming={6};chunk={7}' -f $Limits.MaxStateSize, $Limits.MaxValueSize,
        $Limits.MaxCacheEntries, $Limits.CleanupThreshold, $Limits.CleanupTarget, $Limits.AutoCleanup, $Limits.EnableStreaming, $Limits.StreamChunkSize
        # The prediction settings only when used, so that the expectations of limits without them stay as they are.
        if ($Limits.PredictionHorizon -ne [timespan]::Zero -or $Limits.PredictiveCleanup) { $values += ';horizon={0};predictive={1}' -f $Limits.PredictionHorizon, $Limits.PredictiveCleanup }
        $values
    }
}

Describe 'Import-ResourceLimits' {
    It 'imports the design document''s workflow YAML as written, nodes and comments included' {
        $path = New-LimitsFile 'workflow.yaml' @'
workflow:
  name: data_pipeline
  resource_limits:
    max_state_size: 100MB
    max_value_size: 10MB
    max_cache_entries: 1000
    cleanup_threshold: 0.8
    auto_cleanup: true

  nodes:
    - name: process_data
      type: transform
      # ... node configuration
'@
        $limits = Import-ResourceLimits $path
        $limits | Should -BeOfType ([AgentFlow.Resources.ResourceLimits])
        Get-LimitsValues $limits | Should -Be 'state=104857600;value=10485760;entries=1000;threshold=0.8;target=0.7;auto=True;streaming=False;chunk=1048576'
    }

    It 'pipes into New-StateMonitor' {
        $path = New-LimitsFile 'pipe.yaml' "max_state_size: 12MB`n"
        $monitor = Import-ResourceLimits $path | New-StateMonitor -Name 'from-file' -Force
        $monitor.Limits.MaxStateSize | Should -Be 12MB
        (Get-StateMonitor -Current).Name | Should -Be 'from-file'
        Remove-StateMonitor -Monitor $monitor -Confirm:$false
    }

    It 'reads the <Shape>' -TestCases @(
        @{ Shape = 'bare resource_limits mapping'; Name = 'bare.yaml'; Content = "resource_limits:`n  max_state_size: 64MB`n  max_cache_entries: 10`n" }
        @{ Shape = 'mapping at the top'; Name = 'top.yml'; Content = "max_state_size: 64MB`nmax_cache_entries: 10`n" }
        @{ Shape = 'parameter names in any case'; Name = 'pascal.yaml'; Content = "MaxStateSize: 64MB`nMAXCACHEENTRIES: 10`n" }
        @{ Shape = 'camelCase and kebab-case'; Name = 'camel.yaml'; Content = "maxStateSize: 64MB`nmax-cache-entries: 10`n" }
        @{ Shape = 'JSON object'; Name = 'top.json'; Content = '{ "resource_limits": { "MaxStateSize": "64MB", "max_cache_entries": 10 } }' }
        @{ Shape = 'JSON workflow'; Name = 'workflow.json'; Content = '{ "workflow": { "name": "x", "resource_limits": { "max_state_size": 67108864, "max_cache_entries": 10 } } }' }
        @{ Shape = 'PowerShell data file with size literals'; Name = 'data.psd1'; Content = "@{`n    MaxStateSize = 64MB`n    max_cache_entries = 10`n}`n" }
        @{ Shape = 'PowerShell data file workflow'; Name = 'workflow.psd1'; Content = "@{ workflow = @{ name = 'x'; resource_limits = @{ max_state_size = '64 MiB'; MaxCacheEntries = 10 } } }" }
    ) {
        param($Shape, $Name, $Content)
        $limits = Import-ResourceLimits (New-LimitsFile $Name $Content)
        $limits.MaxStateSize | Should -Be 64MB
        $limits.MaxCacheEntries | Should -Be 10
    }

    It 'reads sizes as numbers or size strings: <Value> is <Expected> bytes' -TestCases @(
        @{ Value = '100MB'; Expected = 104857600 }
        @{ Value = '1.5GB'; Expected = 1610612736 }
        @{ Value = '"10 MiB"'; Expected = 10485760 }
        @{ Value = "'512KB'"; Expected = 524288 }
        @{ Value = '4096'; Expected = 4096 }
        @{ Value = '1536.0'; Expected = 1536 }
    ) {
        param($Value, $Expected)
        $path = New-LimitsFile 'size.yaml' "max_state_size: $Value`nmax_value_size: 1`nstream_chunk_size: 1`n"
        (Import-ResourceLimits $path).MaxStateSize | Should -Be $Expected
    }

    It 'refuses a size that is not a whole number of bytes, as the parameters do' {
        $path = New-LimitsFile 'fraction.yaml' "max_state_size: 1536.4`nmax_value_size: 1`nstream_chunk_size: 1`n"
        $record = Get-ErrorRecord { Import-ResourceLimits $path }
        $record.Exception.Message | Should -BeLike '*line 1: max_state_size: 1536.4 is not a size: a size must be a whole number of bytes.*'
    }

    It 'starts from a preset and lets the other keys override it, wherever the preset key is' {
        $path = New-LimitsFile 'preset.yaml' "resource_limits:`n  max_cache_entries: 100`n  preset: MemoryConstrained`n  cleanup_threshold: 0.9`n"
        $limits = Import-ResourceLimits $path
        Get-LimitsValues $limits | Should -Be 'state=26214400;value=2097152;entries=100;threshold=0.9;target=0.8;auto=True;streaming=False;chunk=1048576'
        $json = New-LimitsFile 'preset.json' '{ "Preset": "streaming", "stream_chunk_size": "2MB" }'
        Get-LimitsValues (Import-ResourceLimits $json) | Should -Be 'state=104857600;value=10485760;entries=1000;threshold=0.8;target=0.7;auto=True;streaming=True;chunk=2097152'
        $psd1 = New-LimitsFile 'preset.psd1' "@{ preset = 'HighThroughput'; auto_cleanup = `$true }"
        Get-LimitsValues (Import-ResourceLimits $psd1) | Should -Be 'state=524288000;value=52428800;entries=5000;threshold=0.9;target=0.8;auto=True;streaming=False;chunk=1048576'
    }

    It 'gives the default limits for an empty resource_limits mapping' {
        Get-LimitsValues (Import-ResourceLimits (New-LimitsFile 'empty-section.yaml' "resource_limits:`n")) |
            Should -Be (Get-LimitsValues (New-ResourceLimits))
    }

    It 'takes several paths, wildcards and files from Get-ChildItem' {
        $folder = Join-Path $TestDrive 'many'
        $null = New-Item -ItemType Directory -Path $folder
        [System.IO.File]::WriteAllText((Join-Path $folder 'a.json'), '{ "max_state_size": "1MB" }')
        [System.IO.File]::WriteAllText((Join-Path $folder 'b.json'), '{ "max_state_size": "2MB" }')
        @(Import-ResourceLimits (Join-Path $folder '*.json')).MaxStateSize | Should -Be @(1MB, 2MB)
        @(Get-ChildItem -LiteralPath $folder -File | Sort-Object Name -Descending | Import-ResourceLimits).MaxStateSize | Should -Be @(2MB, 1MB)
    }
}

Describe 'Import-ResourceLimits errors' {
    It 'names the file, the line, the key and the closest known key of an unknown key (UnknownLimitsKey, InvalidData)' {
        $path = New-LimitsFile 'typo.yaml' "workflow:`n  name: x`n  resource_limits:`n    max_state_size: 10MB`n    max_stat_size: 10MB`n"
        $run = Invoke-Import $path
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'UnknownLimitsKey,AgentFlow.Resources.PowerShell.Commands.ImportResourceLimitsCommand'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $run.Errors[0].TargetObject | Should -Be 'max_stat_size'
        $run.Errors[0].Exception.Message | Should -Be "'$path' line 5: 'max_stat_size' is not a limit name. The closest known key is 'max_state_size'."
    }

    It 'suggests the closest key in the style of the unknown one: <Key> -> <Suggestion>' -TestCases @(
        @{ Key = 'MaxStateSiz'; Suggestion = 'MaxStateSize' }
        @{ Key = 'maxCacheEntrys'; Suggestion = 'maxCacheEntries' }
        @{ Key = 'auto-clean'; Suggestion = 'auto-cleanup' }
        @{ Key = 'streaming'; Suggestion = 'enable_streaming' }
        @{ Key = 'resource_limit'; Suggestion = 'resource_limits' }
    ) {
        param($Key, $Suggestion)
        $run = Invoke-Import (New-LimitsFile 'suggest.yaml' "$($Key): 1`n")
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'UnknownLimitsKey,*'
        $run.Errors[0].Exception.Message | Should -BeLike "*line 1: '$Key' is not a limit name. The closest known key is '$Suggestion'."
    }

    It 'writes one UnknownLimitsKey error per unknown key, at its line in <Format>' -TestCases @(
        @{ Format = 'JSON'; Name = 'keys.json'; Content = "{`n  `"max_state_size`": `"1MB`",`n  `"max_values`": 3,`n  `"cleanup`": 0.5`n}" }
        @{ Format = 'psd1'; Name = 'keys.psd1'; Content = "@{`n    max_state_size = 1MB`n    max_values = 3`n    cleanup = 0.5`n}" }
    ) {
        param($Format, $Name, $Content)
        $run = Invoke-Import (New-LimitsFile $Name $Content)
        $run.Output | Should -BeNullOrEmpty
        @($run.Errors.FullyQualifiedErrorId) | Should -Be (@('UnknownLimitsKey,AgentFlow.Resources.PowerShell.Commands.ImportResourceLimitsCommand') * 2)
        $run.Errors[0].Exception.Message | Should -BeLike "*line 3: 'max_values' is not a limit name. The closest known key is 'max_value_size'."
        $run.Errors[1].Exception.Message | Should -BeLike "*line 4: 'cleanup' is not a limit name. The closest known key is 'auto_cleanup'."
    }

    It 'lists every invalid value with its line in one InvalidResourceLimits error (InvalidData)' {
        $path = New-LimitsFile 'invalid.yaml' @'
resource_limits:
  preset: Tiny
  max_state_size: 10 XB
  max_value_size: ten
  max_cache_entries: 0
  cleanup_threshold: 1.5
  auto_cleanup: maybe
  enable_streaming: [true]
  stream_chunk_size:
'@
        $run = Invoke-Import $path
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $record = $run.Errors[0]
        $record.FullyQualifiedErrorId | Should -Be 'InvalidResourceLimits,AgentFlow.Resources.PowerShell.Commands.ImportResourceLimitsCommand'
        $record.CategoryInfo.Category | Should -Be 'InvalidData'
        $lines = $record.Exception.Message -split "`n"
        $lines[0] | Should -Be "The resource limits in '$path' are invalid:"
        $lines[1] | Should -Be '  line 2: preset: ''Tiny'' is not a preset; use Default, MemoryConstrained, HighThroughput, Streaming or Development.'
        $lines[2] | Should -BeLike '  line 3: max_state_size: ''10 XB'' is not a size: *. A size is a whole number of bytes*'
        $lines[3] | Should -BeLike '  line 4: max_value_size: ''ten'' is not a size: *'
        $lines[4] | Should -Be '  line 5: MaxCacheEntries must be greater than 0, but is 0.'
        $lines[5] | Should -Be '  line 6: CleanupThreshold must be a fraction greater than 0 and at most 1 (0.8 means 80 %), but is 1.5.'
        $lines[6] | Should -Be '  line 7: auto_cleanup: ''maybe'' is not true or false.'
        $lines[7] | Should -Be '  line 8: enable_streaming: is a list; expected true or false.'
        $lines[8] | Should -BeLike '  line 9: stream_chunk_size: has no value; expected a size: a whole number of bytes*'
        $lines.Count | Should -Be 9
    }

    It 'puts a validation problem at the line of the first value it names that the file set' {
        # MaxValueSize (2 MB) comes from the preset, so the line to fix is max_state_size's.
        $run = Invoke-Import (New-LimitsFile 'relation.json' "{`n  `"preset`": `"MemoryConstrained`",`n  `"cleanup_target`": 0.75,`n  `"max_state_size`": `"1MB`"`n}")
        $lines = $run.Errors[0].Exception.Message -split "`n"
        $lines[1] | Should -Be '  line 3: CleanupTarget (0.75) must be less than CleanupThreshold (0.7).'
        $lines[2] | Should -Be '  line 4: MaxValueSize (2097152) must not be greater than MaxStateSize (1048576).'
        $lines.Count | Should -Be 3
    }

    It 'reports a key given twice with both lines' {
        $run = Invoke-Import (New-LimitsFile 'twice.yaml' "max_state_size: 1MB`nmax_cache_entries: 5`nMaxStateSize: 2MB`n")
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidResourceLimits,*'
        ($run.Errors[0].Exception.Message -split "`n")[1] | Should -Be '  line 3: MaxStateSize is given twice (first at line 1); give each limit once.'
    }

    It 'writes InvalidLimitsFile (InvalidData) with the line for <Case>' -TestCases @(
        @{ Case = 'a YAML syntax error'; Name = 'syntax.yaml'; Content = "max_state_size: 1MB`nmax_value_size: [1MB`n"; Expected = "'*syntax.yaml' is not a YAML limits file: line 3: *" }
        @{ Case = 'a JSON syntax error'; Name = 'syntax.json'; Content = "{`n  `"max_state_size`": `"1MB`"`n  `"max_value_size`": 1`n}"; Expected = "'*syntax.json' is not a JSON limits file: line 3: unexpected '`"'; expected ',' or '}'." }
        @{ Case = 'a truncated JSON file'; Name = 'truncated.json'; Content = "{`n  `"max_state_size`": "; Expected = "* is not a JSON limits file: line 2: the document ends where a value was expected (is it truncated?)." }
        @{ Case = 'a psd1 syntax error'; Name = 'syntax.psd1'; Content = "@{`n  max_state_size = `n}"; Expected = "* is not a PowerShell data file limits file: line 2: *" }
        @{ Case = 'a psd1 command'; Name = 'command.psd1'; Content = "@{`n  max_state_size = (Get-Random)`n}"; Expected = "* is not a PowerShell data file limits file: line 2: '(Get-Random)' is not a constant value; a data file holds values only." }
        @{ Case = 'a list at the top'; Name = 'list.yaml'; Content = "- max_state_size: 1MB`n"; Expected = "* is not a YAML limits file: line 1: the document holds a list; it must hold a mapping of limit names to values*" }
        @{ Case = 'a workflow without resource_limits'; Name = 'nolimits.yaml'; Content = "workflow:`n  name: x`n"; Expected = '* is not a YAML limits file: line 1: workflow has no resource_limits mapping.' }
        @{ Case = 'resource_limits that is not a mapping'; Name = 'scalar.json'; Content = "{`n `"resource_limits`": 5 }"; Expected = '* is not a JSON limits file: line 2: resource_limits is a Int64; it must be a mapping of limit names to values.' }
        @{ Case = 'an empty YAML file'; Name = 'empty.yaml'; Content = ''; Expected = "* is not a YAML limits file: line 1: the document is empty; expected a mapping such as 'max_state_size: 100MB'." }
        @{ Case = 'two YAML documents'; Name = 'two.yaml'; Content = "max_state_size: 1MB`n---`nmax_state_size: 2MB`n"; Expected = '* is not a YAML limits file: line 2: the file holds more than one YAML document*' }
    ) {
        param($Case, $Name, $Content, $Expected)
        $run = Invoke-Import (New-LimitsFile $Name $Content)
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'InvalidLimitsFile,AgentFlow.Resources.PowerShell.Commands.ImportResourceLimitsCommand'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $run.Errors[0].Exception.Message | Should -BeLike $Expected
    }

    It 'gives PowerShell''s own PathNotFound error (ObjectNotFound) for a missing file, with -Path and -LiteralPath' {
        $missing = Join-Path $TestDrive 'missing.yaml'
        foreach ($record in (Get-ErrorRecord { Import-ResourceLimits -Path $missing }), (Get-ErrorRecord { Import-ResourceLimits -LiteralPath $missing })) {
            $record.FullyQualifiedErrorId | Should -Be 'PathNotFound,AgentFlow.Resources.PowerShell.Commands.ImportResourceLimitsCommand'
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $record.Exception.Message | Should -Be "Cannot find path '$missing' because it does not exist."
        }
    }

    It 'refuses another extension or provider with UnsupportedLimitsFile (InvalidArgument)' {
        $record = Get-ErrorRecord { Import-ResourceLimits (New-LimitsFile 'limits.txt' 'max_state_size: 1MB') }
        $record.FullyQualifiedErrorId | Should -Be 'UnsupportedLimitsFile,AgentFlow.Resources.PowerShell.Commands.ImportResourceLimitsCommand'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.Exception.Message | Should -BeLike "*limits.txt' as a limits file: the extension must be .yaml or .yml (YAML), .json (JSON), .psd1 (PowerShell data file)."
        $record = Get-ErrorRecord { Import-ResourceLimits -LiteralPath 'Env:/PATH' }
        $record.FullyQualifiedErrorId | Should -BeLike 'UnsupportedLimitsFile,*'
        $record.Exception.Message | Should -BeLike '*it is a path of the Environment provider, not a file.'
    }

    It 'gives LimitsFileReadError (ReadError) for a file it cannot read' {
        $folder = Join-Path $TestDrive 'folder.yaml'
        $null = New-Item -ItemType Directory -Path $folder
        $record = Get-ErrorRecord { Import-ResourceLimits -LiteralPath $folder }
        $record.FullyQualifiedErrorId | Should -Be 'LimitsFileReadError,AgentFlow.Resources.PowerShell.Commands.ImportResourceLimitsCommand'
        $record.CategoryInfo.Category | Should -Be 'ReadError'
    }

    It 'goes on with the next file after a bad one' {
        $bad = New-LimitsFile 'next-bad.yaml' "max_stat_size: 1MB`n"
        $good = New-LimitsFile 'next-good.yaml' "max_state_size: 3MB`n"
        $output = Import-ResourceLimits -LiteralPath $bad, $good -ErrorAction SilentlyContinue -ErrorVariable problems
        @($output).MaxStateSize | Should -Be @(3MB)
        $problems.Count | Should -Be 1
    }
}

Describe 'Export-ResourceLimits' {
    BeforeAll {
        # Values that exercise every key: odd sizes, fractions that are not the defaults, streaming on, automatic cleanup off.
        $limits = New-ResourceLimits -Preset Streaming -MaxStateSize 3000001 -MaxValueSize 1.5MB -MaxCacheEntries 77 -CleanupThreshold 0.85 -CleanupTarget 0.33 -AutoCleanup:$false -StreamChunkSize 1536
    }

    It 'writes YAML with snake_case keys and readable sizes' {
        $path = Join-Path $TestDrive 'written.yaml'
        Export-ResourceLimits $limits $path
        Get-Content -LiteralPath $path -Raw | Should -Be @"
resource_limits:
  max_state_size: 3000001
  max_value_size: 1.5MB
  max_cache_entries: 77
  cleanup_threshold: 0.85
  cleanup_target: 0.33
  auto_cleanup: false
  enable_streaming: true
  stream_chunk_size: 1.5KB

"@.Replace("`r`n", "`n")
    }

    It 'writes JSON and a PowerShell data file' {
        $json = Join-Path $TestDrive 'written.json'
        $psd1 = Join-Path $TestDrive 'written.psd1'
        $limits | Export-ResourceLimits $json
        $limits | Export-ResourceLimits -Path $psd1
        (Get-Content -LiteralPath $json -Raw | ConvertFrom-Json).resource_limits.max_value_size | Should -Be '1.5MB'
        (Import-PowerShellDataFile -LiteralPath $psd1).resource_limits.stream_chunk_size | Should -Be '1.5KB'
        (Get-Content -LiteralPath $psd1)[4] | Should -Be '        max_cache_entries = 77'
    }

    It 'imports back to equal limits from <Extension>' -TestCases @(
        @{ Extension = '.yaml' }, @{ Extension = '.yml' }, @{ Extension = '.json' }, @{ Extension = '.psd1' }
    ) {
        param($Extension)
        foreach ($original in $limits, (New-ResourceLimits), (New-ResourceLimits -Preset Development -MaxStateSize 3GB -CleanupThreshold 0.07 -CleanupTarget 0),
            (New-ResourceLimits -PredictionHorizon '01:02:03.5' -PredictiveCleanup)) {
            $path = Join-Path $TestDrive "roundtrip$Extension"
            Export-ResourceLimits $original $path
            $imported = Import-ResourceLimits $path
            Get-LimitsValues $imported | Should -Be (Get-LimitsValues $original)
            $imported.Equals($original) | Should -BeTrue
        }
    }

    It 'replaces an existing file, leaving no temporary file in the folder' {
        $folder = Join-Path $TestDrive 'replace'
        $null = New-Item -ItemType Directory -Path $folder
        $path = Join-Path $folder 'limits.json'
        Set-Content -LiteralPath $path -Value 'old'
        Export-ResourceLimits @{ max_state_size = '5MB' } $path
        (Import-ResourceLimits $path).MaxStateSize | Should -Be 5MB
        @(Get-ChildItem -LiteralPath $folder -Force).Name | Should -Be @('limits.json')
    }

    It 'keeps an existing file with -NoClobber: NoClobber error (ResourceExists)' {
        $path = Join-Path $TestDrive 'noclobber.yaml'
        Set-Content -LiteralPath $path -Value 'old'
        $record = Get-ErrorRecord { Export-ResourceLimits $limits $path -NoClobber }
        $record.FullyQualifiedErrorId | Should -Be 'NoClobber,AgentFlow.Resources.PowerShell.Commands.ExportResourceLimitsCommand'
        $record.CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-Content -LiteralPath $path | Should -Be 'old'
    }

    It 'replaces a read-only file only with -Force: FileReadOnly error (PermissionDenied) without it' {
        $path = Join-Path $TestDrive 'readonly.json'
        Set-Content -LiteralPath $path -Value 'old'
        Set-ItemProperty -LiteralPath $path -Name IsReadOnly -Value $true
        $record = Get-ErrorRecord { Export-ResourceLimits $limits $path }
        $record.FullyQualifiedErrorId | Should -Be 'FileReadOnly,AgentFlow.Resources.PowerShell.Commands.ExportResourceLimitsCommand'
        $record.CategoryInfo.Category | Should -Be 'PermissionDenied'
        Get-Content -LiteralPath $path | Should -Be 'old'
        Export-ResourceLimits $limits $path -Force
        (Import-ResourceLimits $path).Equals($limits) | Should -BeTrue
    }

    It 'returns the file with -PassThru and nothing without it' {
        $path = Join-Path $TestDrive 'passthru.psd1'
        Export-ResourceLimits $limits $path | Should -BeNullOrEmpty
        $file = Export-ResourceLimits $limits $path -PassThru
        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.FullName | Should -Be $path
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'whatif.yaml'
        Export-ResourceLimits $limits $path -WhatIf
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'refuses invalid limits with InvalidResourceLimits (InvalidArgument) and writes no file' {
        $path = Join-Path $TestDrive 'invalid.yaml'
        $record = Get-ErrorRecord { Export-ResourceLimits @{ max_state_size = 0 } $path }
        $record.FullyQualifiedErrorId | Should -Be 'InvalidResourceLimits,AgentFlow.Resources.PowerShell.Commands.ExportResourceLimitsCommand'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'writes <ErrorId> (<Category>) for <Case>' -TestCases @(
        @{ Case = 'another extension'; Target = 'limits.xml'; ErrorId = 'UnsupportedLimitsFile'; Category = 'InvalidArgument' }
        @{ Case = 'a folder that does not exist'; Target = 'no/such/folder/limits.yaml'; ErrorId = 'LimitsFileWriteError'; Category = 'WriteError' }
    ) {
        param($Case, $Target, $ErrorId, $Category)
        $record = Get-ErrorRecord { Export-ResourceLimits $limits (Join-Path $TestDrive $Target) }
        $record.FullyQualifiedErrorId | Should -Be "$ErrorId,AgentFlow.Resources.PowerShell.Commands.ExportResourceLimitsCommand"
        $record.CategoryInfo.Category | Should -Be $Category
    }
}

Describe '-Limits from a hashtable or deserialized limits' {
    BeforeAll { Reset-MonitorRegistry }
    AfterAll { Reset-MonitorRegistry }

    It 'New-StateMonitor takes a hashtable of limit names, also from the pipeline' {
        (New-StateMonitor -Limits @{ max_state_size = '20MB'; MaxCacheEntries = 5; Preset = 'Streaming' } -Name ht).Limits.ToString() |
            Should -Be 'State 20 MB, value 10 MB, 5 entries, cleanup at 80 % to 70 % (automatic), streaming in 5 MB chunks'
        (@{ AutoCleanup = $false } | New-StateMonitor -Name ht-pipe).Limits.AutoCleanup | Should -BeFalse
    }

    It 'Test-ResourceLimits tests a hashtable: $true, $false, or the problems' {
        Test-ResourceLimits -Limits @{ max_state_size = '1MB' } | Should -BeTrue
        @{ max_state_size = 0 } | Test-ResourceLimits | Should -BeFalse
        (Test-ResourceLimits @{ cleanup_threshold = 2 } -Detailed).Problems | Should -Be 'CleanupThreshold must be a fraction greater than 0 and at most 1 (0.8 means 80 %), but is 2.'
    }

    It 'takes limits read back with Import-Clixml' {
        $original = New-ResourceLimits -Preset MemoryConstrained -MaxCacheEntries 42 -EnableStreaming
        $path = Join-Path $TestDrive 'limits.clixml'
        $original | Export-Clixml -LiteralPath $path
        $monitor = Import-Clixml -LiteralPath $path | New-StateMonitor -Name clixml
        Get-LimitsValues $monitor.Limits | Should -Be (Get-LimitsValues $original)
        (Test-ResourceLimits -Limits (Import-Clixml -LiteralPath $path) -Detailed).Limits.Equals($original) | Should -BeTrue
    }

    It 'carries the prediction settings through Import-Clixml, ConvertFrom-Json, hashtables and files' {
        $original = New-ResourceLimits -PredictionHorizon '00:10:00' -PredictiveCleanup
        $path = Join-Path $TestDrive 'prediction.clixml'
        $original | Export-Clixml -LiteralPath $path
        (Test-ResourceLimits -Limits (Import-Clixml -LiteralPath $path) -Detailed).Limits.Equals($original) | Should -BeTrue
        $json = $original | ConvertTo-Json
        (New-StateMonitor -Limits ($json | ConvertFrom-Json) -Name json-prediction).Limits.Equals($original) | Should -BeTrue
        (New-StateMonitor -Limits ($json | ConvertFrom-Json -AsHashtable) -Name json-prediction-hashtable).Limits.Equals($original) | Should -BeTrue
        (New-StateMonitor -Limits @{ prediction_horizon = '10m'; predictive_cleanup = $true } -Name hashtable-prediction).Limits.Equals($original) | Should -BeTrue
        $yaml = Join-Path $TestDrive 'prediction.yaml'
        Export-ResourceLimits $original $yaml
        Get-Content -LiteralPath $yaml | Select-Object -Last 2 | Should -Be @('  prediction_horizon: 00:10:00', '  predictive_cleanup: true')
        (Import-ResourceLimits $yaml).Equals($original) | Should -BeTrue
    }

    It 'takes limits read back with ConvertFrom-Json, as an object or a hashtable' {
        $original = New-ResourceLimits -MaxStateSize 3MB -CleanupThreshold 0.6
        $json = $original | ConvertTo-Json
        (New-StateMonitor -Limits ($json | ConvertFrom-Json) -Name json-object).Limits.Equals($original) | Should -BeTrue
        (New-StateMonitor -Limits ($json | ConvertFrom-Json -AsHashtable) -Name json-hashtable).Limits.Equals($original) | Should -BeTrue
        Export-ResourceLimits ($json | ConvertFrom-Json) (Join-Path $TestDrive 'fromjson.yaml') -PassThru | Import-ResourceLimits | ForEach-Object { $_.Equals($original) } | Should -BeTrue
    }

    It 'fails binding with every problem and the closest key for a bad hashtable' {
        $record = Get-ErrorRecord { New-StateMonitor -Limits @{ max_stat_size = '1MB'; max_cache_entries = 'many' } -Name bad }
        $record.FullyQualifiedErrorId | Should -Be 'ParameterArgumentTransformationError,AgentFlow.Resources.PowerShell.Commands.NewStateMonitorCommand'
        $record.Exception.Message | Should -BeLike "*'max_stat_size' is not a limit name. The closest known key is 'max_state_size'.*"
        $record.Exception.Message | Should -BeLike "*max_cache_entries: 'many' is not a whole number of entries*"
        Get-StateMonitor -Name bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'fails binding for something that is not limits' {
        $record = Get-ErrorRecord { Test-ResourceLimits -Limits (Get-Date) }
        $record.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $record.Exception.Message | Should -BeLike '*Cannot use a DateTime as limits. Pass limits from New-ResourceLimits or Import-ResourceLimits, a hashtable of limit names*'
    }
}

Describe 'YamlDotNet in its own AssemblyLoadContext' {
    BeforeAll {
        $manifest = Get-BuiltModuleManifest
        $moduleDir = Split-Path -Parent $manifest
        $otherYaml = Join-Path (Get-RestoredPackageDirectory -ArtifactsRoot (Get-ArtifactsRoot) -Id YamlDotNet -Version 16.3.0) 'lib/net8.0/YamlDotNet.dll'
        $limitsFile = Join-Path $TestDrive 'isolation.yaml'
        [System.IO.File]::WriteAllText($limitsFile, "workflow:`n  resource_limits:`n    max_state_size: 48MB`n")
    }

    It 'imports YAML after another YamlDotNet (16.3.0) was loaded into the session' {
        $probe = Invoke-FreshPwsh -ArgumentList $manifest, $otherYaml, $limitsFile -ScriptBlock {
            param($Manifest, $OtherYaml, $LimitsFile)
            $ErrorActionPreference = 'Stop'
            Add-Type -LiteralPath $OtherYaml
            Import-Module $Manifest
            $limits = Import-ResourceLimits $LimitsFile
            $ours = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'AgentFlow.Resources.Yaml'
            [pscustomobject]@{
                MaxStateSize  = $limits.MaxStateSize
                SessionYaml   = [YamlDotNet.Serialization.Deserializer].Assembly.GetName().Version.ToString()
                SessionYamlIn = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([YamlDotNet.Serialization.Deserializer].Assembly).Name
                Ours          = @($ours.Assemblies | ForEach-Object { '{0} {1}' -f $_.GetName().Name, $_.GetName().Version } | Sort-Object)
                CoreShared    = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([AgentFlow.Resources.ResourceLimits].Assembly).Name
            } | ConvertTo-Json
        }
        $probe.ExitCode | Should -Be 0 -Because ($probe.ErrorOutput -join "`n")
        $result = ($probe.Output -join "`n") | ConvertFrom-Json
        $result.MaxStateSize | Should -Be 48MB
        $result.SessionYaml | Should -Be '16.0.0.0'
        $result.SessionYamlIn | Should -Be 'Default'
        $result.Ours | Should -Be @('AgentFlow.Resources.Yaml 0.1.0.0', 'YamlDotNet 18.0.0.0')
        $result.CoreShared | Should -Be 'Default'
    }

    It 'would fail without the isolation: the YAML bridge loaded into the default context after YamlDotNet 16.3.0' {
        # The negative control of the test above: the same session without a load context of our own.
        $probe = Invoke-FreshPwsh -ArgumentList $manifest, $otherYaml, $limitsFile -ScriptBlock {
            param($Manifest, $OtherYaml, $LimitsFile)
            Add-Type -LiteralPath $OtherYaml
            Import-Module $Manifest
            $bridge = [System.Reflection.Assembly]::LoadFrom((Join-Path (Split-Path $Manifest) 'dependencies/Yaml/AgentFlow.Resources.Yaml.dll'))
            try {
                $format = [Activator]::CreateInstance($bridge.GetType('AgentFlow.Resources.Yaml.YamlConfigFormat'))
                $null = $format.Read([System.IO.File]::ReadAllText($LimitsFile))
                'loaded'
            }
            catch { 'failed: ' + $_.Exception.GetBaseException().GetType().Name }
        }
        # YamlDotNet 18 is resolved to the 16.3.0 already in the default context: a version mismatch.
        $probe.Output[-1] | Should -Be 'failed: FileLoadException'
    }

    It 'loads no YamlDotNet in a session that reads and writes only JSON and .psd1 files' {
        $probe = Invoke-FreshPwsh -ArgumentList $manifest, $TestDrive -ScriptBlock {
            param($Manifest, $Folder)
            $ErrorActionPreference = 'Stop'
            Import-Module $Manifest
            $limits = New-ResourceLimits -MaxStateSize 5MB
            Export-ResourceLimits $limits (Join-Path $Folder 'only.json')
            Export-ResourceLimits $limits (Join-Path $Folder 'only.psd1')
            $null = Import-ResourceLimits (Join-Path $Folder 'only.json'), (Join-Path $Folder 'only.psd1')
            $null = New-StateMonitor -Limits @{ max_state_size = '1MB' }
            [pscustomobject]@{
                Assemblies = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -match 'Yaml' } | ForEach-Object { $_.GetName().Name })
                Contexts   = @([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -Like 'AgentFlow*' | ForEach-Object Name)
            } | ConvertTo-Json
        }
        $probe.ExitCode | Should -Be 0 -Because ($probe.ErrorOutput -join "`n")
        $result = ($probe.Output -join "`n") | ConvertFrom-Json
        $result.Assemblies | Should -BeNullOrEmpty
        $result.Contexts | Should -BeNullOrEmpty
    }

    It 'says DependencyLoadFailed (ResourceUnavailable) when the module''s YamlDotNet is missing, and JSON still works' {
        $copy = Join-Path $TestDrive 'damaged/AgentFlow.Resources'
        $null = New-Item -ItemType Directory -Path (Split-Path $copy)
        Copy-Item -LiteralPath $moduleDir -Destination $copy -Recurse
        Remove-Item -LiteralPath (Join-Path $copy 'dependencies/Yaml/YamlDotNet.dll')
        $probe = Invoke-FreshPwsh -ArgumentList (Join-Path $copy 'AgentFlow.Resources.psd1'), $limitsFile -ScriptBlock {
            param($Manifest, $LimitsFile)
            Import-Module $Manifest
            Import-ResourceLimits $LimitsFile -ErrorAction SilentlyContinue -ErrorVariable problems
            $problems | ForEach-Object { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category.ToString() }
            (New-ResourceLimits -MaxStateSize 2MB | Export-ResourceLimits (Join-Path (Split-Path $LimitsFile) 'damaged.json') -PassThru | Import-ResourceLimits).MaxStateSize
        }
        $probe.Output | Should -Be @('DependencyLoadFailed,AgentFlow.Resources.PowerShell.Commands.ImportResourceLimitsCommand', 'ResourceUnavailable', '2097152')
    }
}
