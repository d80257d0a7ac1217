# A tiny script module whose functions take their help from the MAML the converter writes from ../valid,
# so the converter's output is checked through Get-Help itself (Help.Tests.ps1).

function Get-FixtureWidget {
    # .ExternalHelp FixtureModule-help.xml
    [CmdletBinding(DefaultParameterSetName = 'ByName')]
    param(
        [Parameter(ParameterSetName = 'ByName', Position = 0, ValueFromPipelineByPropertyName)]
        [SupportsWildcards()]
        [string[]]$Name = '*',

        [ValidateSet('Small', 'Large')]
        [string]$Kind,

        [Parameter(ParameterSetName = 'All', Mandatory)]
        [switch]$All
    )
    process { foreach ($n in $Name) { [pscustomobject]@{ Name = $n; Kind = $Kind } } }
}

function Set-FixtureWidget {
    # .ExternalHelp FixtureModule-help.xml
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory, Position = 0)]
        [string]$Name,

        [Parameter(Position = 1)]
        [long]$Size = 0,

        [switch]$PassThru
    )
    if ($PSCmdlet.ShouldProcess($Name, 'Resize widget') -and $PassThru) { [pscustomobject]@{ Name = $Name; Size = $Size } }
}

Export-ModuleMember -Function Get-FixtureWidget, Set-FixtureWidget
