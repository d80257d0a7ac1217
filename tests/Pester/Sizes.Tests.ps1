#Requires -Version 7.0
# Measure-AllocationSize and Add-Allocation -Value: every estimate rule with exact byte figures, PowerShell's own
# objects, shared references, cycles and the depth bound.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-BuiltModuleManifest)
    Import-Module (Join-Path $PSScriptRoot 'CmdletTestSupport.psm1') -Force
    $WarningPreference = 'SilentlyContinue'
}

Describe 'Measure-AllocationSize' {
    Context 'rules' {
        It 'measures <Case> as <Expected> bytes' -TestCases @(
            @{ Case = 'null'; Value = $null; Expected = 0 }
            @{ Case = 'a bool'; Value = $true; Expected = 1 }
            @{ Case = 'a char'; Value = [char]'x'; Expected = 2 }
            @{ Case = 'an int'; Value = 42; Expected = 4 }
            @{ Case = 'a long'; Value = 42L; Expected = 8 }
            @{ Case = 'a double'; Value = 4.2; Expected = 8 }
            @{ Case = 'a decimal'; Value = 4.2d; Expected = 16 }
            @{ Case = 'a DateTime'; Value = [datetime]'2026-11-30'; Expected = 8 }
            @{ Case = 'a Guid'; Value = [guid]::Empty; Expected = 16 }
            @{ Case = 'a string (UTF-16)'; Value = 'hello'; Expected = 10 }
            @{ Case = 'an empty string'; Value = ''; Expected = 0 }
            @{ Case = 'a byte[]'; Value = [byte[]]::new(1000); Expected = 1000 }
            @{ Case = 'an int[]'; Value = [int[]](1..10); Expected = 40 }
            @{ Case = 'a char[]'; Value = 'hello'.ToCharArray(); Expected = 10 }
            @{ Case = 'an object[] of ints and a string'; Value = @(1, 2, 'abc'); Expected = 14 }
            @{ Case = 'a hashtable (keys and values)'; Value = @{ a = 1; bb = 'xyz' }; Expected = 16 }
            @{ Case = 'an ordered dictionary'; Value = [ordered]@{ key = [long]10 }; Expected = 14 }
            @{ Case = 'a List[long]'; Value = [System.Collections.Generic.List[long]]@(1, 2, 3); Expected = 24 }
            @{ Case = 'a custom object (its note properties)'; Value = [pscustomobject]@{ Name = 'step'; Size = [long]42 }; Expected = 16 }
            @{ Case = 'a Version (its public properties)'; Value = [version]'1.2.3.4'; Expected = 20 }
            @{ Case = 'a MemoryStream (its Length)'; Value = [System.IO.MemoryStream]::new([byte[]]::new(777)); Expected = 777 }
            @{ Case = 'a script block (PowerShell engine object)'; Value = { 'code' }; Expected = 0 }
        ) {
            param($Case, $Value, $Expected)
            $result = Measure-AllocationSize -InputObject $Value
            $result.Count | Should -Be 1
            $result.Size | Should -Be $Expected
        }

        It 'measures a file by its length and a folder by the lengths of its files, recursively' {
            $root = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'sizes')
            $null = New-Item -ItemType Directory -Path (Join-Path $root 'sub/deeper')
            [System.IO.File]::WriteAllBytes((Join-Path $root 'a.bin'), [byte[]]::new(1000))
            [System.IO.File]::WriteAllBytes((Join-Path $root 'sub/b.bin'), [byte[]]::new(300))
            [System.IO.File]::WriteAllBytes((Join-Path $root 'sub/deeper/c.bin'), [byte[]]::new(24))
            # Get-Item adds PSPath and other notes to the file: they are not payload.
            (Get-Item (Join-Path $root 'a.bin') | Measure-AllocationSize).Size | Should -Be 1000
            (Get-Item $root | Measure-AllocationSize).Size | Should -Be 1324
            (Get-ChildItem $root -Recurse -File | Measure-AllocationSize).Size | Should -Be 1324
            (Get-ChildItem $root -Recurse -File | Measure-AllocationSize).Count | Should -Be 3
        }

        It 'measures an array of 10 million ints from its length alone' {
            (Measure-AllocationSize -InputObject ([int[]]::new(10000000))).Size | Should -Be 40000000
        }

        It 'sums what the pipeline brings, one object at a time' {
            $result = 1, 2L, 'abc', $null | Measure-AllocationSize
            $result.Count | Should -Be 4
            $result.Size | Should -Be (4 + 8 + 6)
            $result | Should -BeOfType ([AgentFlow.Resources.SizeMeasurement])
        }

        It 'counts an empty pipeline as nothing' {
            $result = @() | Measure-AllocationSize
            $result.Count | Should -Be 0
            $result.Size | Should -Be 0
        }
    }

    Context 'shared references and cycles' {
        It 'counts a string referenced three times once' {
            $shared = 'x' * 500
            (Measure-AllocationSize -InputObject @($shared, $shared, $shared)).Size | Should -Be 1000
        }

        It 'counts an object piped twice once, in one command' {
            $shared = [byte[]]::new(4096)
            $result = $shared, $shared | Measure-AllocationSize
            $result.Count | Should -Be 2
            $result.Size | Should -Be 4096
        }

        It 'counts a custom object that two others share once' {
            $part = [pscustomobject]@{ Data = [byte[]]::new(100) }
            $whole = @([pscustomobject]@{ Part = $part }, [pscustomobject]@{ Part = $part })
            (Measure-AllocationSize -InputObject $whole).Size | Should -Be 100
        }

        It 'ends on a hashtable that contains itself' {
            $table = @{ k = 'v' }
            $table.self = $table
            (Measure-AllocationSize -InputObject $table).Size | Should -Be (2 + 2 + 8)
        }

        It 'ends on custom objects that refer to each other' {
            $a = [pscustomobject]@{ Name = 'a'; Next = $null }
            $b = [pscustomobject]@{ Name = 'bb'; Next = $a }
            $a.Next = $b
            (Measure-AllocationSize -InputObject $a).Size | Should -Be 6
            (Measure-AllocationSize -InputObject @($a, $b)).Size | Should -Be 6
        }

        It 'counts values nested up to 64 levels below the object and nothing deeper' {
            $head = $null
            foreach ($i in 1..70) { $head = [pscustomobject]@{ Label = [string]::new([char]'n', 1); Next = $head } }
            (Measure-AllocationSize -InputObject $head).Size | Should -Be (2 * 64)
        }
    }
}

Describe 'Add-Allocation -Value' {
    BeforeEach {
        Reset-MonitorRegistry
    }

    It 'records the estimated size of the value under the key' {
        $monitor = New-StateMonitor -Name values
        $entry = Add-Allocation -Key doc -Value @{ title = 'report'; pages = 12 } -PassThru
        $entry.Key | Should -Be doc
        $entry.Size | Should -Be (10 + 12 + 10 + 4)
        Add-Allocation -Key blob -Value ([byte[]]::new(2KB)) -Pin
        Get-MonitorState $monitor | Should -Be 'size=2084;count=2;pinned=1;entries=doc:36:False,blob:2048:True'
    }

    It 'records $null and empty values as 0 bytes' {
        $monitor = New-StateMonitor -Name empty
        Add-Allocation -Key nothing -Value $null
        Add-Allocation -Key none -Value @()
        Get-MonitorState $monitor | Should -Be 'size=0;count=2;pinned=0;entries=nothing:0:False,none:0:False'
    }

    It 'rejects a value over the limit with the usual error and changes nothing' {
        $monitor = New-StateMonitor -Name small -Limits (New-ResourceLimits -MaxStateSize 1MB -MaxValueSize 1KB)
        $record = Get-ErrorRecord { Add-Allocation -Key big -Value ([byte[]]::new(2KB)) }
        $record.FullyQualifiedErrorId | Should -Be 'ValueSizeLimitExceeded,AgentFlow.Resources.PowerShell.Commands.AddAllocationCommand'
        $record.CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $record.Exception.Message | Should -Be "Cannot record 'big' (2 KB) in monitor 'small': the value is larger than MaxValueSize (1 KB). Nothing was changed."
        $monitor.ValueCount | Should -Be 0
    }

    It 'takes -Value by name only, so that two positional arguments still mean -Key and -Size' {
        $monitor = New-StateMonitor -Name positional
        Add-Allocation k 5
        $monitor.CurrentSize | Should -Be 5
        (Get-Command Add-Allocation).Parameters['Value'].ParameterSets.Values.Position | Should -Be @([int]::MinValue)
    }
}

Describe 'Add-Allocation -Value from the pipeline' {
    BeforeEach {
        Reset-MonitorRegistry
    }

    It 'binds objects with Key and Value properties, and still binds Key and Size, Name and Length, and files' {
        $monitor = New-StateMonitor -Name piped
        [pscustomobject]@{ Key = 'v'; Value = 'hello' }, [pscustomobject]@{ Key = 's'; Size = 5 }, [pscustomobject]@{ Name = 'n'; Length = 6 } | Add-Allocation
        $file = Join-Path $TestDrive 'piped.bin'
        [System.IO.File]::WriteAllBytes($file, [byte[]]::new(7))
        Get-Item $file | Add-Allocation
        Get-MonitorState $monitor | Should -Be "size=28;count=4;pinned=0;entries=v:10:False,s:5:False,n:6:False,$((Get-Item $file).FullName):7:False"
    }
}
