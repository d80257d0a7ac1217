#Requires -Version 7.0
# New-ResourceLimits and Test-ResourceLimits: every parameter, parameter set, size form and bad input.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModuleManifest)
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $MiB = 1MB
}

Describe 'New-ResourceLimits' {
    It 'fits the unset value limit and chunk to a small state: -MaxStateSize 100KB alone is valid' {
        $limits = New-ResourceLimits -MaxStateSize 100KB
        $limits.MaxValueSize | Should -Be 100KB
        $limits.StreamChunkSize | Should -Be 100KB
        Test-ResourceLimits -Limits $limits | Should -BeTrue
        (New-ResourceLimits -MaxStateSize 5MB).StreamChunkSize | Should -Be 1MB
    }

    It 'keeps values given explicitly and reports them: -MaxStateSize 100KB -MaxValueSize 10MB' {
        New-ResourceLimits -MaxStateSize 100KB -MaxValueSize 10MB -ErrorAction SilentlyContinue -ErrorVariable problems | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'InvalidResourceLimits,*'
        $problems[0].Exception.Message | Should -BeLike '*MaxValueSize (10485760) must not be greater than MaxStateSize (102400).*'
    }

    It 'returns the default limits of the design document without parameters' {
        $limits = New-ResourceLimits
        $limits | Should -BeOfType ([AgentFlow.Resources.ResourceLimits])
        $limits.MaxStateSize | Should -Be (100 * $MiB)
        $limits.MaxValueSize | Should -Be (10 * $MiB)
        $limits.MaxCacheEntries | Should -Be 1000
        $limits.CleanupThreshold | Should -Be 0.8
        $limits.CleanupTarget | Should -Be 0.7
        $limits.AutoCleanup | Should -BeTrue
        $limits.EnableStreaming | Should -BeFalse
        $limits.StreamChunkSize | Should -Be $MiB
        $limits.CleanupThresholdBytes | Should -Be 83886080
    }

    It 'sets <Parameter> to <Expected>' -TestCases @(
        @{ Parameter = 'MaxStateSize'; Value = '50MB'; Property = 'MaxStateSize'; Expected = 52428800 }
        @{ Parameter = 'MaxValueSize'; Value = 5MB; Property = 'MaxValueSize'; Expected = 5242880 }
        @{ Parameter = 'MaxCacheEntries'; Value = 500; Property = 'MaxCacheEntries'; Expected = 500 }
        @{ Parameter = 'CleanupThreshold'; Value = 0.75; Property = 'CleanupTarget'; Expected = 0.65 }
        @{ Parameter = 'CleanupTarget'; Value = 0.5; Property = 'CleanupTarget'; Expected = 0.5 }
        @{ Parameter = 'StreamChunkSize'; Value = '512KB'; Property = 'StreamChunkSize'; Expected = 524288 }
    ) {
        param($Parameter, $Value, $Property, $Expected)
        $arguments = @{ $Parameter = $Value }
        (New-ResourceLimits @arguments).$Property | Should -Be $Expected
    }

    It 'turns automatic cleanup off with -AutoCleanup:$false and on with -AutoCleanup' {
        (New-ResourceLimits -AutoCleanup:$false).AutoCleanup | Should -BeFalse
        (New-ResourceLimits -Preset HighThroughput -AutoCleanup).AutoCleanup | Should -BeTrue
    }

    It 'turns streaming on with -EnableStreaming and off with -EnableStreaming:$false' {
        (New-ResourceLimits -EnableStreaming).EnableStreaming | Should -BeTrue
        (New-ResourceLimits -Preset Streaming -EnableStreaming:$false).EnableStreaming | Should -BeFalse
    }

    It 'reads the size <Value> as <Expected> bytes' -TestCases @(
        @{ Value = '100MB'; Expected = 104857600 }
        @{ Value = '1.5GB'; Expected = 1610612736 }
        @{ Value = '512KB'; Expected = 524288 }
        @{ Value = '10 MiB'; Expected = 10485760 }
        @{ Value = '4096'; Expected = 4096 }
        @{ Value = ' 2 gib '; Expected = 2147483648 }
        @{ Value = 100MB; Expected = 104857600 }
        @{ Value = 1.5GB; Expected = 1610612736 }
        @{ Value = 4096; Expected = 4096 }
        @{ Value = [int16]300; Expected = 300 }
        @{ Value = [decimal]2048; Expected = 2048 }
        @{ Value = 1536.0; Expected = 1536 }
    ) {
        param($Value, $Expected)
        (New-ResourceLimits -MaxStateSize $Value -MaxValueSize 1 -StreamChunkSize 1).MaxStateSize | Should -Be $Expected
    }

    It 'builds the custom configuration of the Quick Start' {
        $limits = New-ResourceLimits -MaxStateSize 50MB -MaxValueSize 5MB -MaxCacheEntries 500 -CleanupThreshold 0.75 -AutoCleanup -EnableStreaming
        $limits.MaxStateSize | Should -Be 52428800
        $limits.MaxValueSize | Should -Be 5242880
        $limits.MaxCacheEntries | Should -Be 500
        $limits.CleanupThreshold | Should -Be 0.75
        $limits.CleanupTarget | Should -Be 0.65
        $limits.AutoCleanup | Should -BeTrue
        $limits.EnableStreaming | Should -BeTrue
        $limits.StreamChunkSize | Should -Be $MiB
        $limits.CleanupThresholdBytes | Should -Be 39321600
    }

    It 'builds the <Preset> preset (positionally too)' -TestCases @(
        @{ Preset = 'Default'; State = 100MB; Value = 10MB; Entries = 1000; Threshold = 0.8; Auto = $true; Streaming = $false; Chunk = 1MB }
        @{ Preset = 'MemoryConstrained'; State = 25MB; Value = 2MB; Entries = 250; Threshold = 0.7; Auto = $true; Streaming = $false; Chunk = 1MB }
        @{ Preset = 'HighThroughput'; State = 500MB; Value = 50MB; Entries = 5000; Threshold = 0.9; Auto = $false; Streaming = $false; Chunk = 1MB }
        @{ Preset = 'Streaming'; State = 100MB; Value = 10MB; Entries = 1000; Threshold = 0.8; Auto = $true; Streaming = $true; Chunk = 5MB }
        @{ Preset = 'Development'; State = 1GB; Value = 100MB; Entries = 10000; Threshold = 0.8; Auto = $true; Streaming = $false; Chunk = 1MB }
    ) {
        param($Preset, $State, $Value, $Entries, $Threshold, $Auto, $Streaming, $Chunk)
        foreach ($limits in (New-ResourceLimits -Preset $Preset), (New-ResourceLimits $Preset)) {
            $limits.MaxStateSize | Should -Be $State
            $limits.MaxValueSize | Should -Be $Value
            $limits.MaxCacheEntries | Should -Be $Entries
            $limits.CleanupThreshold | Should -Be $Threshold
            $limits.AutoCleanup | Should -Be $Auto
            $limits.EnableStreaming | Should -Be $Streaming
            $limits.StreamChunkSize | Should -Be $Chunk
        }
    }

    It 'lays values given on the command line over the preset' {
        $limits = New-ResourceLimits MemoryConstrained -MaxCacheEntries 100 -CleanupThreshold 0.9
        $limits.MaxStateSize | Should -Be 25MB
        $limits.MaxCacheEntries | Should -Be 100
        $limits.CleanupThreshold | Should -Be 0.9
        $limits.CleanupTarget | Should -Be 0.8
    }

    It 'reports invalid values as one non-terminating InvalidResourceLimits error listing every problem, with no output' {
        $output = New-ResourceLimits -MaxStateSize 0 -CleanupThreshold 1.5 -ErrorVariable problems -ErrorAction SilentlyContinue
        $after = 'went on'
        $output | Should -BeNullOrEmpty
        $after | Should -Be 'went on'
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'InvalidResourceLimits,AgentFlow.Resources.PowerShell.Commands.NewResourceLimitsCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problems[0].Exception.Message | Should -BeLike '*MaxStateSize must be greater than 0, but is 0.*'
        $problems[0].Exception.Message | Should -BeLike '*MaxValueSize (10485760) must not be greater than MaxStateSize (0).*'
        $problems[0].Exception.Message | Should -BeLike '*CleanupThreshold must be a fraction greater than 0 and at most 1 (0.8 means 80 %), but is 1.5.*'
    }

    It 'rejects the invalid configuration of the design document (value larger than state)' {
        $record = Get-ErrorRecord { New-ResourceLimits -MaxValueSize 200MB -MaxStateSize 100MB }
        $record.FullyQualifiedErrorId | Should -BeLike 'InvalidResourceLimits,*'
        $record.Exception.Message | Should -BeLike '*MaxValueSize (209715200) must not be greater than MaxStateSize (104857600).*'
    }

    It 'reports a NaN CleanupThreshold as InvalidResourceLimits' {
        $record = Get-ErrorRecord { New-ResourceLimits -CleanupThreshold ([double]::NaN) }
        $record.FullyQualifiedErrorId | Should -BeLike 'InvalidResourceLimits,*'
        $record.Exception.Message | Should -BeLike '*CleanupThreshold must be a fraction*but is NaN.*'
    }

    It 'fails binding of -<Parameter> <Value> with <ErrorId>' -TestCases @(
        @{ Parameter = 'MaxStateSize'; Value = 'ten megabytes'; ErrorId = 'ParameterArgumentTransformationError' }
        @{ Parameter = 'MaxStateSize'; Value = '10 XB'; ErrorId = 'ParameterArgumentTransformationError' }
        @{ Parameter = 'MaxStateSize'; Value = '10MBs'; ErrorId = 'ParameterArgumentTransformationError' }
        @{ Parameter = 'MaxStateSize'; Value = ''; ErrorId = 'ParameterArgumentTransformationError' }
        @{ Parameter = 'MaxStateSize'; Value = -1; ErrorId = 'ParameterArgumentTransformationError' }
        @{ Parameter = 'MaxValueSize'; Value = '-5MB'; ErrorId = 'ParameterArgumentTransformationError' }
        @{ Parameter = 'MaxValueSize'; Value = [double]::NaN; ErrorId = 'ParameterArgumentTransformationError' }
        @{ Parameter = 'StreamChunkSize'; Value = [double]::PositiveInfinity; ErrorId = 'ParameterArgumentTransformationError' }
        @{ Parameter = 'StreamChunkSize'; Value = $true; ErrorId = 'ParameterArgumentTransformationError' }
        @{ Parameter = 'StreamChunkSize'; Value = '9999999PB'; ErrorId = 'ParameterArgumentTransformationError' }
        @{ Parameter = 'MaxCacheEntries'; Value = 'many'; ErrorId = 'CannotConvertArgumentNoMessage' }
        @{ Parameter = 'CleanupThreshold'; Value = 'high'; ErrorId = 'CannotConvertArgumentNoMessage' }
        @{ Parameter = 'Preset'; Value = 'Huge'; ErrorId = 'CannotConvertArgumentNoMessage' }
    ) {
        param($Parameter, $Value, $ErrorId)
        $arguments = @{ $Parameter = $Value }
        $record = Get-ErrorRecord { New-ResourceLimits @arguments }
        $record.FullyQualifiedErrorId | Should -Be "$ErrorId,AgentFlow.Resources.PowerShell.Commands.NewResourceLimitsCommand"
        if ($ErrorId -eq 'ParameterArgumentTransformationError') {
            $record.Exception.Message | Should -BeLike "*$([AgentFlow.Resources.ByteSize]::AcceptedForms)*"
        }
    }
}

Describe 'Test-ResourceLimits' {
    It 'has the parameter sets Limits and Values (default Values)' {
        $command = Get-Command Test-ResourceLimits
        $command.ParameterSets.Name | Sort-Object | Should -Be @('Limits', 'Values')
        $command.DefaultParameterSet | Should -Be 'Values'
        $command.Parameters['Limits'].ParameterSets.Keys | Should -Be @('Limits')
        $command.Parameters['MaxStateSize'].ParameterSets.Keys | Should -Be @('Values')
    }

    It 'returns $true for valid limits given, positional or piped' {
        $limits = New-ResourceLimits -Preset Streaming
        Test-ResourceLimits -Limits $limits | Should -BeExactly $true
        Test-ResourceLimits $limits | Should -BeExactly $true
        $limits | Test-ResourceLimits | Should -BeExactly $true
    }

    It 'tests one result per piped limits object' {
        $invalid = [AgentFlow.Resources.ResourceLimits]::Builder().MaxStateSize(0).Build()
        $results = (New-ResourceLimits), $invalid, (New-ResourceLimits -Preset Development) | Test-ResourceLimits
        $results | Should -Be @($true, $false, $true)
    }

    It 'tests the default limits without parameters' {
        Test-ResourceLimits | Should -BeExactly $true
    }

    It 'builds limits from values and returns $false (no error) when they are invalid' {
        Test-ResourceLimits -MaxStateSize 1MB -MaxValueSize 2MB -ErrorVariable problems | Should -BeExactly $false
        $problems | Should -BeNullOrEmpty
        Test-ResourceLimits -Preset HighThroughput -CleanupTarget 0.95 | Should -BeExactly $false
        Test-ResourceLimits -Preset HighThroughput -CleanupTarget 0.5 | Should -BeExactly $true
    }

    It 'returns a LimitsValidation with every problem with -Detailed' {
        $result = Test-ResourceLimits -MaxStateSize 0 -MaxCacheEntries 0 -StreamChunkSize 20MB -Detailed
        $result | Should -BeOfType ([AgentFlow.Resources.PowerShell.LimitsValidation])
        $result.IsValid | Should -BeFalse
        $result.Problems | Should -Be @(
            'MaxStateSize must be greater than 0, but is 0.'
            'MaxValueSize (10485760) must not be greater than MaxStateSize (0).'
            'MaxCacheEntries must be greater than 0, but is 0.'
            'StreamChunkSize (20971520) must not be greater than MaxValueSize (10485760).'
        )
        $result.Limits.MaxStateSize | Should -Be 0
    }

    It 'returns a valid LimitsValidation with no problems and the limits tested' {
        $limits = New-ResourceLimits -Preset MemoryConstrained
        $result = $limits | Test-ResourceLimits -Detailed
        $result.IsValid | Should -BeTrue
        $result.Problems.Count | Should -Be 0
        $result.Limits | Should -Be $limits
    }

    It 'declares bool and LimitsValidation as output types' {
        (Get-Command Test-ResourceLimits).OutputType.Name | Sort-Object | Should -Be @('AgentFlow.Resources.PowerShell.LimitsValidation', 'System.Boolean')
    }

    It 'fails binding of a non-limits object with -Limits' {
        $record = Get-ErrorRecord { Test-ResourceLimits -Limits 'big' }
        $record.FullyQualifiedErrorId | Should -BeLike 'CannotConvertArgumentNoMessage,*'
        $record = Get-ErrorRecord { Test-ResourceLimits -MaxStateSize 'lots' }
        $record.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
    }
}
