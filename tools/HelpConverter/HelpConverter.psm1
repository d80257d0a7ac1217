# Converts platyPS-layout markdown help pages into the files Get-Help reads:
#   <Command>.md              -> one MAML file for all commands (command/maml/dev namespaces)
#   about_<Topic>.md          -> about_<Topic>.help.txt
# platyPS itself is not obtainable here, so this is a small, strict reader of the same layout.
# Every problem found in any page is collected first and reported together, each naming its file,
# so that one build run shows the docs author everything that needs fixing.

Set-StrictMode -Version Latest

$script:Ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}

# The keys a platyPS parameter yaml block may hold (compared case-insensitively).
$script:YamlKeys = @(
    'Type', 'Parameter Sets', 'Aliases', 'Accepted values', 'Required', 'Position',
    'Default value', 'Accept pipeline input', 'Accept wildcard characters'
)

# Level-3 headings under PARAMETERS that platyPS writes but that describe no parameter of their own.
$script:IgnoredParameterHeadings = @('CommonParameters', '<CommonParameters>', 'WorkflowCommonParameters', '<WorkflowCommonParameters>')

$script:AllSetsName = '__AllParameterSets'

#region Markdown reading

# Splits a markdown file into its title and its sections, keeping fenced code intact.
# Returns @{ Text; Title; TitleCount; Sections = ordered @{ NAME (upper case) = @{ Heading; Lines } } }.
function Read-MarkdownDocument {
    param([Parameter(Mandatory)] [string]$Path)

    $text = [System.IO.File]::ReadAllText($Path, [System.Text.Encoding]::UTF8)
    $lines = [string[]]($text.TrimStart([char]0xFEFF) -replace "`r`n?", "`n").Split("`n")

    # platyPS pages start with a yaml metadata block (external help file, schema, ...): skip it.
    $start = 0
    if ($lines.Count -gt 0 -and $lines[0].Trim() -eq '---') {
        for ($i = 1; $i -lt $lines.Count; $i++) {
            if ($lines[$i].Trim() -eq '---') { $start = $i + 1; break }
        }
    }

    $doc = [ordered]@{ Text = $text; Title = $null; TitleCount = 0; Sections = [ordered]@{} }
    $section = $null
    $fence = $null
    for ($i = $start; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($null -eq $fence -and $line -match '^\s{0,3}(```+|~~~+)') { $fence = $Matches[1] }
        elseif ($null -ne $fence -and $line.Trim() -eq $fence) { $fence = $null }
        elseif ($null -eq $fence -and $line -match '^#\s+(.+?)\s*#*\s*$') {
            $doc.TitleCount++
            if ($null -eq $doc.Title) { $doc.Title = $Matches[1] }
            continue
        }
        elseif ($null -eq $fence -and $line -match '^##\s+(.+?)\s*#*\s*$') {
            $name = $Matches[1].ToUpperInvariant()
            $section = [ordered]@{ Heading = $Matches[1]; Lines = [System.Collections.Generic.List[string]]::new() }
            $doc.Sections[$name] = $section
            continue
        }
        if ($null -ne $section) { $section.Lines.Add($line) }
    }
    [pscustomobject]$doc
}

# Splits section lines at level-3 headings (outside code fences).
# Returns the lines before the first heading as Preamble and a list of @{ Heading; Lines }.
function Split-Subsection {
    param([AllowEmptyCollection()] [string[]]$Lines)

    $preamble = [System.Collections.Generic.List[string]]::new()
    $subs = [System.Collections.Generic.List[object]]::new()
    $current = $preamble
    $fence = $null
    foreach ($line in $Lines) {
        if ($null -eq $fence -and $line -match '^\s{0,3}(```+|~~~+)') { $fence = $Matches[1] }
        elseif ($null -ne $fence -and $line.Trim() -eq $fence) { $fence = $null }
        elseif ($null -eq $fence -and $line -match '^###\s+(.+?)\s*#*\s*$') {
            $sub = [pscustomobject]@{ Heading = $Matches[1]; Lines = [System.Collections.Generic.List[string]]::new() }
            $subs.Add($sub)
            $current = $sub.Lines
            continue
        }
        $current.Add($line)
    }
    [pscustomobject]@{ Preamble = $preamble.ToArray(); Subsections = $subs.ToArray() }
}

# Splits lines into blocks in document order: @{ Kind = 'Text'|'Code'; Info; Lines }.
function Split-Block {
    param([AllowEmptyCollection()] [string[]]$Lines)

    $blocks = [System.Collections.Generic.List[object]]::new()
    $text = [System.Collections.Generic.List[string]]::new()
    $code = $null
    $fence = $null
    $info = $null
    foreach ($line in $Lines) {
        if ($null -eq $fence -and $line -match '^\s{0,3}(```+|~~~+)\s*([^`\s]*)') {
            if ($text.Count) { $blocks.Add([pscustomobject]@{ Kind = 'Text'; Info = ''; Lines = $text.ToArray() }); $text.Clear() }
            $fence = $Matches[1]; $info = $Matches[2]
            $code = [System.Collections.Generic.List[string]]::new()
        }
        elseif ($null -ne $fence -and $line.Trim() -eq $fence) {
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Info = $info; Lines = $code.ToArray() })
            $fence = $null; $code = $null
        }
        elseif ($null -ne $fence) { $code.Add($line) }
        else { $text.Add($line) }
    }
    # An unclosed fence still yields its code, so the page's remaining text is not lost.
    if ($null -ne $fence) { $blocks.Add([pscustomobject]@{ Kind = 'Code'; Info = $info; Lines = $code.ToArray() }) }
    if ($text.Count) { $blocks.Add([pscustomobject]@{ Kind = 'Text'; Info = ''; Lines = $text.ToArray() }) }
    $blocks.ToArray()
}

# Turns markdown text lines into help paragraphs. Ordinary lines of one paragraph are joined with
# spaces (Get-Help wraps them); list items and code keep their line breaks.
function ConvertTo-Paragraph {
    param([AllowEmptyCollection()] [string[]]$Lines)

    $paras = [System.Collections.Generic.List[string]]::new()
    foreach ($block in Split-Block $Lines) {
        if ($block.Kind -eq 'Code') {
            $code = ($block.Lines -join "`n").Trim("`n")
            if ($code) { $paras.Add($code) }
            continue
        }
        $chunk = [System.Collections.Generic.List[string]]::new()
        foreach ($line in @($block.Lines) + '') {
            if ($line.Trim()) { $chunk.Add($line.TrimEnd()); continue }
            if (-not $chunk.Count) { continue }
            $isList = @($chunk | Where-Object { $_ -match '^\s*([-*+]|\d+\.)\s' }).Count -gt 0
            $paras.Add($(if ($isList) { $chunk -join "`n" } else { ($chunk | ForEach-Object Trim) -join ' ' }))
            $chunk.Clear()
        }
    }
    , $paras.ToArray()
}

function Test-HasText {
    param([AllowEmptyCollection()] [string[]]$Lines)
    @($Lines | Where-Object { -not [string]::IsNullOrWhiteSpace($_) }).Count -gt 0
}

#endregion

#region Command pages

# Reads one command page into a model. Problems are added to $Problems as "<file>: <what is wrong>".
function Read-CommandHelpPage {
    param(
        [Parameter(Mandatory)] [string]$Path,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [System.Collections.Generic.List[string]]$Problems
    )

    $file = Split-Path -Leaf $Path
    $expected = [System.IO.Path]::GetFileNameWithoutExtension($Path)
    # A closure, so that the helpers it is handed to report against this page whatever their own variables.
    $problem = { param($what) $Problems.Add("${file}: $what") }.GetNewClosure()
    $doc = Read-MarkdownDocument -Path $Path

    if ($null -eq $doc.Title) { & $problem "no '# $expected' title line" }
    elseif ($doc.Title -cne $expected) { & $problem "the title '# $($doc.Title)' does not match the file name (expected '# $expected')" }
    if ($doc.TitleCount -gt 1) { & $problem "more than one '# ' title line: one page describes one command" }
    if ($expected -notmatch '^[A-Za-z]+-[A-Za-z0-9]+$') { & $problem "the file name is not a Verb-Noun command name" }

    foreach ($required in 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not $doc.Sections.Contains($required)) { & $problem "the '## $required' section is missing" }
        elseif ($required -ne 'PARAMETERS' -and -not (Test-HasText $doc.Sections[$required].Lines)) {
            & $problem "the '## $required' section is empty"
        }
    }
    $placeholder = [regex]'\{\{\s*(Fill|Add|Insert)\b[^}]*\}\}'
    foreach ($m in $placeholder.Matches($doc.Text)) { & $problem "unfilled platyPS placeholder '$($m.Value)'" }

    $sectionLines = { param($name) if ($doc.Sections.Contains($name)) { [string[]]$doc.Sections[$name].Lines } else { [string[]]@() } }

    $setNames = Read-SyntaxSetName -Lines (& $sectionLines 'SYNTAX')
    $parameters = Read-ParameterSection -Lines (& $sectionLines 'PARAMETERS') -SetNames $setNames -Problem $problem
    $examples = Read-ExampleSection -Lines (& $sectionLines 'EXAMPLES') -Problem $problem

    $name = if ($doc.Title) { $doc.Title } else { $expected }
    $verb, $noun = $name -split '-', 2
    [pscustomobject]@{
        Name         = $name
        Verb         = $verb
        Noun         = $noun
        Synopsis     = ConvertTo-Paragraph (& $sectionLines 'SYNOPSIS')
        Description  = ConvertTo-Paragraph (& $sectionLines 'DESCRIPTION')
        SetNames     = $setNames
        Parameters   = $parameters
        Examples     = $examples
        Inputs       = Read-TypeSection -Lines (& $sectionLines 'INPUTS')
        Outputs      = Read-TypeSection -Lines (& $sectionLines 'OUTPUTS')
        Notes        = ConvertTo-Paragraph (& $sectionLines 'NOTES')
        RelatedLinks = Read-RelatedLink -Lines (& $sectionLines 'RELATED LINKS')
    }
}

# Parameter set names come from the SYNTAX section's '### Name' or '### Name (Default)' headings;
# a page without such headings has one set.
function Read-SyntaxSetName {
    param([AllowEmptyCollection()] [string[]]$Lines)
    $subs = (Split-Subsection $Lines).Subsections
    if (-not $subs) { return , [string[]]@($script:AllSetsName) }
    , [string[]]@($subs | ForEach-Object { ($_.Heading -replace '\s*\(Default\)\s*$', '').Trim() })
}

function Read-ParameterSection {
    param([AllowEmptyCollection()] [string[]]$Lines, [string[]]$SetNames, [scriptblock]$Problem)

    $result = [System.Collections.Generic.List[object]]::new()
    $seen = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($sub in (Split-Subsection $Lines).Subsections) {
        if ($script:IgnoredParameterHeadings -contains $sub.Heading) { continue }
        if ($sub.Heading -notmatch '^-([A-Za-z][A-Za-z0-9_]*)$') {
            & $Problem "the parameter heading '### $($sub.Heading)' is not of the form '### -Name'"
            continue
        }
        $name = $Matches[1]
        if (-not $seen.Add($name)) { & $Problem "parameter -$name is described twice"; continue }

        $blocks = Split-Block $sub.Lines
        $descLines = @($blocks | Where-Object Kind -EQ 'Text' | ForEach-Object { $_.Lines })
        $yamlBlocks = @($blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Info -eq 'yaml' })
        if (-not (Test-HasText $descLines)) { & $Problem "parameter -$name has no description" }
        if (-not $yamlBlocks) { & $Problem "parameter -$name has no yaml block (Type, Parameter Sets, Required, Position, ...)"; continue }

        $variants = foreach ($y in $yamlBlocks) { Read-ParameterYaml -Lines $y.Lines -Name $name -SetNames $SetNames -Problem $Problem }
        $result.Add([pscustomobject]@{
                Name        = $name
                Description = ConvertTo-Paragraph $descLines
                # One variant per yaml block: platyPS writes a second block when the parameter is,
                # say, mandatory in one set and optional in another.
                Variants    = @($variants)
            })
    }
    , $result.ToArray()
}

function Read-ParameterYaml {
    param([string[]]$Lines, [string]$Name, [string[]]$SetNames, [scriptblock]$Problem)

    $values = @{}
    foreach ($line in $Lines) {
        if (-not $line.Trim()) { continue }
        if ($line -notmatch '^\s*([^:]+?)\s*:\s*(.*?)\s*$') { & $Problem "parameter -${Name}: yaml line '$line' is not 'Key: value'"; continue }
        $key = $script:YamlKeys | Where-Object { $_ -eq $Matches[1] } | Select-Object -First 1
        if (-not $key) { & $Problem "parameter -${Name}: unknown yaml key '$($Matches[1])' (known: $($script:YamlKeys -join ', '))"; continue }
        $values[$key] = $Matches[2]
    }
    $get = { param($k, $default) if ($values.ContainsKey($k) -and $values[$k]) { $values[$k] } else { $default } }

    $type = & $get 'Type' $null
    if (-not $type) { & $Problem "parameter -${Name}: yaml has no Type" }
    $required = & $get 'Required' 'False'
    if ($required -notmatch '^(true|false)$') { & $Problem "parameter -${Name}: Required is '$required', expected True or False" }
    $position = & $get 'Position' 'Named'
    if ($position -notmatch '^(\d+|named)$') { & $Problem "parameter -${Name}: Position is '$position', expected a number or Named" }
    $globbing = & $get 'Accept wildcard characters' 'False'
    if ($globbing -notmatch '^(true|false)$') { & $Problem "parameter -${Name}: Accept wildcard characters is '$globbing', expected True or False" }
    $pipeline = & $get 'Accept pipeline input' 'False'
    if ($pipeline -notmatch '^(false|true(\s*\((ByValue|ByPropertyName)(,\s*(ByValue|ByPropertyName))?\))?)$') {
        & $Problem "parameter -${Name}: Accept pipeline input is '$pipeline', expected False or True (ByValue, ByPropertyName)"
    }

    $sets = & $get 'Parameter Sets' '(All)'
    $setList = if ($sets -eq '(All)') { $SetNames } else { @($sets -split '\s*,\s*' | Where-Object { $_ }) }
    foreach ($s in $setList) {
        if ($SetNames -notcontains $s) { & $Problem "parameter -${Name}: parameter set '$s' is not one of the '## SYNTAX' sets ($($SetNames -join ', '))" }
    }
    $aliases = & $get 'Aliases' ''
    $accepted = & $get 'Accepted values' ''

    [pscustomobject]@{
        Type           = if ($type) { $type } else { 'Object' }
        Sets           = @($setList)
        Aliases        = @($aliases -split '\s*,\s*' | Where-Object { $_ })
        AcceptedValues = @($accepted -split '\s*,\s*' | Where-Object { $_ })
        Required       = $required -eq 'true'
        Position       = if ($position -match '^\d+$') { $position } else { 'named' }
        DefaultValue   = & $get 'Default value' 'None'
        PipelineInput  = $pipeline
        Globbing       = $globbing -eq 'true'
    }
}

function Read-ExampleSection {
    param([AllowEmptyCollection()] [string[]]$Lines, [scriptblock]$Problem)

    $examples = [System.Collections.Generic.List[object]]::new()
    $split = Split-Subsection $Lines
    if ((Test-HasText $Lines) -and -not $split.Subsections) { & $Problem "'## EXAMPLES' has no '### Example 1: <title>' heading" }
    foreach ($sub in $split.Subsections) {
        $blocks = Split-Block $sub.Lines
        $code = @($blocks | Where-Object Kind -EQ 'Code')
        if (-not $code -or -not (Test-HasText @($code | ForEach-Object { $_.Lines }))) {
            & $Problem "example '$($sub.Heading)' has no code block (``````powershell ... ``````)"
            continue
        }
        # Text before and after the code both explain the example: Get-Help shows remarks after the code.
        $remarks = @($blocks | Where-Object Kind -EQ 'Text' | ForEach-Object { $_.Lines; '' })
        $examples.Add([pscustomobject]@{
                Title   = $sub.Heading
                Code    = (@($code | ForEach-Object { ($_.Lines -join "`n").Trim("`n") }) -join "`n`n")
                Remarks = ConvertTo-Paragraph $remarks
            })
    }
    , $examples.ToArray()
}

function Read-TypeSection {
    param([AllowEmptyCollection()] [string[]]$Lines)
    $split = Split-Subsection $Lines
    $types = foreach ($sub in $split.Subsections) {
        [pscustomobject]@{ Name = $sub.Heading; Description = ConvertTo-Paragraph $sub.Lines }
    }
    if (-not $types -and (Test-HasText $split.Preamble)) {
        # A section written without '### Type' headings: its first line names the type.
        $first = @($split.Preamble | Where-Object { $_.Trim() })[0].Trim()
        $types = [pscustomobject]@{ Name = $first; Description = ConvertTo-Paragraph @($split.Preamble | Where-Object { $_.Trim() } | Select-Object -Skip 1) }
    }
    , @($types)
}

function Read-RelatedLink {
    param([AllowEmptyCollection()] [string[]]$Lines)
    $links = foreach ($line in $Lines) {
        $t = ($line.Trim() -replace '^[-*+]\s+', '')
        if (-not $t) { continue }
        if ($t -match '^\[([^\]]+)\]\(([^)]*)\)') {
            # Get-Help -Full rejects a link whose uri is not absolute (a page-relative 'Other-Command.md'),
            # so such links keep only their text, which names the command to look up.
            $uri = if ([uri]::IsWellFormedUriString($Matches[2], [UriKind]::Absolute)) { $Matches[2] } else { '' }
            [pscustomobject]@{ Text = $Matches[1]; Uri = $uri }
        }
        else { [pscustomobject]@{ Text = $t; Uri = '' } }
    }
    , @($links)
}

#endregion

#region MAML writing

function Write-Para {
    param([System.Xml.XmlWriter]$W, [AllowEmptyCollection()] [string[]]$Paragraphs)
    if (-not $Paragraphs) { $Paragraphs = @('') }
    foreach ($p in $Paragraphs) { $W.WriteElementString('maml', 'para', $script:Ns.maml, $p) }
}

function Write-Description {
    param([System.Xml.XmlWriter]$W, [AllowEmptyCollection()] [string[]]$Paragraphs, [string]$Prefix = 'maml', [string]$Element = 'description')
    $W.WriteStartElement($Prefix, $Element, $script:Ns[$Prefix])
    Write-Para $W $Paragraphs
    $W.WriteEndElement()
}

function Write-DevType {
    param([System.Xml.XmlWriter]$W, [string]$TypeName)
    $W.WriteStartElement('dev', 'type', $script:Ns.dev)
    $W.WriteElementString('maml', 'name', $script:Ns.maml, $TypeName)
    $W.WriteElementString('maml', 'uri', $script:Ns.maml, '')
    $W.WriteEndElement()
}

function Test-SwitchType { param([string]$Type) $Type -match '^(System\.Management\.Automation\.)?SwitchParameter$' }

# One command:parameter element, as used both inside syntax items and in the parameters list.
function Write-ParameterElement {
    param([System.Xml.XmlWriter]$W, $Parameter, $Variant, [switch]$InSyntax)

    $W.WriteStartElement('command', 'parameter', $script:Ns.command)
    $W.WriteAttributeString('required', $Variant.Required.ToString().ToLowerInvariant())
    $W.WriteAttributeString('variableLength', 'true')
    $W.WriteAttributeString('globbing', $Variant.Globbing.ToString().ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', $Variant.PipelineInput)
    $W.WriteAttributeString('position', $Variant.Position)
    $W.WriteAttributeString('aliases', $(if ($Variant.Aliases) { $Variant.Aliases -join ', ' } else { 'none' }))
    $W.WriteElementString('maml', 'name', $script:Ns.maml, $Parameter.Name)
    Write-Description $W $Parameter.Description

    $isSwitch = Test-SwitchType $Variant.Type
    if ($InSyntax -and $Variant.AcceptedValues) {
        # Get-Help shows these as '-Name {A | B}'.
        $W.WriteStartElement('command', 'parameterValueGroup', $script:Ns.command)
        foreach ($v in $Variant.AcceptedValues) {
            $W.WriteStartElement('command', 'parameterValue', $script:Ns.command)
            $W.WriteAttributeString('required', 'false')
            $W.WriteAttributeString('command', 'variableLength', $script:Ns.command, 'false')
            $W.WriteString($v)
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    elseif (-not ($InSyntax -and $isSwitch)) {
        # A switch takes no value, so its syntax entry has none (Get-Help then shows '[-Name]').
        $W.WriteStartElement('command', 'parameterValue', $script:Ns.command)
        $W.WriteAttributeString('required', $(if ($isSwitch) { 'false' } else { 'true' }))
        $W.WriteAttributeString('variableLength', 'false')
        $W.WriteString($Variant.Type)
        $W.WriteEndElement()
    }
    Write-DevType $W $Variant.Type
    $W.WriteElementString('dev', 'defaultValue', $script:Ns.dev, $Variant.DefaultValue)
    $W.WriteEndElement()
}

# The parameters of one set in the order PowerShell shows syntax: positional ones by position first.
function Get-SetParameter {
    param($Command, [string]$SetName)
    $entries = foreach ($p in $Command.Parameters) {
        $v = $p.Variants | Where-Object { $_.Sets -contains $SetName } | Select-Object -First 1
        if ($v) { [pscustomobject]@{ Parameter = $p; Variant = $v } }
    }
    $positional = @($entries | Where-Object { $_.Variant.Position -ne 'named' } | Sort-Object { [int]$_.Variant.Position })
    $requiredNamed = @($entries | Where-Object { $_.Variant.Position -eq 'named' -and $_.Variant.Required })
    $optionalNamed = @($entries | Where-Object { $_.Variant.Position -eq 'named' -and -not $_.Variant.Required })
    $positional + $requiredNamed + $optionalNamed
}

function Write-CommandElement {
    param([System.Xml.XmlWriter]$W, $Command)

    $W.WriteStartElement('command', 'command', $script:Ns.command)
    foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') {
        $W.WriteAttributeString('xmlns', $prefix, 'http://www.w3.org/2000/xmlns/', $script:Ns[$prefix])
    }

    $W.WriteStartElement('command', 'details', $script:Ns.command)
    $W.WriteElementString('command', 'name', $script:Ns.command, $Command.Name)
    $W.WriteElementString('command', 'verb', $script:Ns.command, $Command.Verb)
    $W.WriteElementString('command', 'noun', $script:Ns.command, $Command.Noun)
    Write-Description $W $Command.Synopsis
    $W.WriteEndElement()

    Write-Description $W $Command.Description

    $W.WriteStartElement('command', 'syntax', $script:Ns.command)
    foreach ($set in $Command.SetNames) {
        $W.WriteStartElement('command', 'syntaxItem', $script:Ns.command)
        $W.WriteElementString('maml', 'name', $script:Ns.maml, $Command.Name)
        foreach ($e in Get-SetParameter $Command $set) { Write-ParameterElement $W $e.Parameter $e.Variant -InSyntax }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'parameters', $script:Ns.command)
    foreach ($p in $Command.Parameters) {
        # The parameters list shows one entry per parameter; it is mandatory if it is in any set.
        $v = $p.Variants | Sort-Object { -not $_.Required } | Select-Object -First 1
        Write-ParameterElement $W $p $v
    }
    $W.WriteEndElement()

    foreach ($kind in @(
            @{ List = 'inputTypes'; Item = 'inputType'; Types = $Command.Inputs },
            @{ List = 'returnValues'; Item = 'returnValue'; Types = $Command.Outputs })) {
        $W.WriteStartElement('command', $kind.List, $script:Ns.command)
        foreach ($t in $kind.Types) {
            $W.WriteStartElement('command', $kind.Item, $script:Ns.command)
            Write-DevType $W $t.Name
            Write-Description $W $t.Description
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }

    $W.WriteStartElement('maml', 'alertSet', $script:Ns.maml)
    if ($Command.Notes) {
        $W.WriteStartElement('maml', 'alert', $script:Ns.maml)
        Write-Para $W $Command.Notes
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'examples', $script:Ns.command)
    foreach ($ex in $Command.Examples) {
        $W.WriteStartElement('command', 'example', $script:Ns.command)
        $dashes = '-' * 26
        $W.WriteElementString('maml', 'title', $script:Ns.maml, "$dashes $($ex.Title) $dashes")
        $W.WriteElementString('dev', 'code', $script:Ns.dev, $ex.Code)
        Write-Description $W $ex.Remarks -Prefix 'dev' -Element 'remarks'
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'relatedLinks', $script:Ns.command)
    foreach ($l in $Command.RelatedLinks) {
        $W.WriteStartElement('maml', 'navigationLink', $script:Ns.maml)
        $W.WriteElementString('maml', 'linkText', $script:Ns.maml, $l.Text)
        $W.WriteElementString('maml', 'uri', $script:Ns.maml, $l.Uri)
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteEndElement()
}

function Write-MamlFile {
    param([object[]]$Commands, [string]$Path)

    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $settings.NewLineChars = "`n"
    $w = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $w.WriteStartDocument()
        $w.WriteStartElement('helpItems', $script:Ns.msh)
        $w.WriteAttributeString('schema', 'maml')
        foreach ($c in $Commands | Sort-Object Name) { Write-CommandElement $w $c }
        $w.WriteEndElement()
        $w.WriteEndDocument()
    }
    finally { $w.Dispose() }
}

#endregion

#region About topics

# Wraps a paragraph to the console width Get-Help's about topics are written for.
function Format-Wrapped {
    param([string]$Text, [string]$Indent, [int]$Width = 80)
    $lines = [System.Collections.Generic.List[string]]::new()
    $current = ''
    foreach ($word in $Text -split '\s+' | Where-Object { $_ }) {
        if ($current -and ($Indent.Length + $current.Length + 1 + $word.Length) -gt $Width) { $lines.Add($Indent + $current); $current = $word }
        elseif ($current) { $current += " $word" }
        else { $current = $word }
    }
    if ($current) { $lines.Add($Indent + $current) }
    $lines.ToArray()
}

# about_<Topic>.md (platyPS about layout: '# about_Topic', '## SHORT DESCRIPTION', '## LONG DESCRIPTION', ...)
# becomes the classic text layout: section headings in capitals, text indented by four spaces.
function ConvertTo-AboutText {
    param([Parameter(Mandatory)] [string]$Path, [System.Collections.Generic.List[string]]$Problems)

    $file = Split-Path -Leaf $Path
    $expected = [System.IO.Path]::GetFileNameWithoutExtension($Path)
    $doc = Read-MarkdownDocument -Path $Path
    if ($doc.Title -cne $expected) { $Problems.Add("${file}: the title '# $($doc.Title)' does not match the file name (expected '# $expected')") }
    foreach ($required in 'SHORT DESCRIPTION', 'LONG DESCRIPTION') {
        if (-not $doc.Sections.Contains($required) -or -not (Test-HasText $doc.Sections[$required].Lines)) {
            $Problems.Add("${file}: the '## $required' section is missing or empty")
        }
    }

    $out = [System.Collections.Generic.List[string]]::new()
    $out.Add('TOPIC'); $out.Add("    $expected"); $out.Add('')
    foreach ($name in $doc.Sections.Keys) {
        # platyPS about pages repeat the topic name as a level-2 heading; TOPIC already says it.
        if ($name -ceq $expected.ToUpperInvariant()) { continue }
        $out.Add($name)
        $split = Split-Subsection $doc.Sections[$name].Lines
        $parts = @([pscustomobject]@{ Heading = $null; Lines = $split.Preamble }) + $split.Subsections
        foreach ($part in $parts) {
            if ($part.Heading) { $out.Add("  $($part.Heading)") }
            foreach ($block in Split-Block $part.Lines) {
                if ($block.Kind -eq 'Code') {
                    foreach ($l in $block.Lines) { $out.Add(("        $l").TrimEnd()) }
                    $out.Add('')
                    continue
                }
                $paragraphs = ConvertTo-Paragraph $block.Lines
                foreach ($p in $paragraphs) {
                    if ($p.Contains("`n")) { foreach ($l in $p -split "`n") { $out.Add("    $($l.Trim())") } }
                    else { foreach ($l in Format-Wrapped $p '    ') { $out.Add($l) } }
                    $out.Add('')
                }
            }
        }
        if ($out[$out.Count - 1] -ne '') { $out.Add('') }
    }
    ($out -join "`n").TrimEnd() + "`n"
}

#endregion

<#
.SYNOPSIS
    Converts a folder of platyPS-layout markdown pages into a module's en-US help files.
.DESCRIPTION
    Command pages (<Verb-Noun>.md) become one MAML file named -MamlFileName; about_*.md pages become
    about_*.help.txt. Every page is checked first; if any is malformed, nothing is written and the
    error lists each problem with its file name.
.OUTPUTS
    The paths of the files written.
#>
function ConvertTo-ModuleHelp {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string]$SourcePath,
        [Parameter(Mandatory)] [string]$OutputPath,
        [Parameter(Mandatory)] [string]$MamlFileName
    )

    if (-not (Test-Path -LiteralPath $SourcePath -PathType Container)) { throw "Help source folder '$SourcePath' does not exist." }
    $pages = @(Get-ChildItem -LiteralPath $SourcePath -Filter '*.md' -File | Sort-Object Name)
    $problems = [System.Collections.Generic.List[string]]::new()

    $aboutPages = @($pages | Where-Object { $_.Name -like 'about_*' })
    $commandPages = @($pages | Where-Object { $_.Name -notlike 'about_*' })

    $commands = foreach ($page in $commandPages) { Read-CommandHelpPage -Path $page.FullName -Problems $problems }
    $abouts = foreach ($page in $aboutPages) {
        [pscustomobject]@{ Name = $page.BaseName; Text = ConvertTo-AboutText -Path $page.FullName -Problems $problems }
    }

    if ($problems.Count) {
        throw ("Help conversion failed: {0} problem(s) in '{1}':`n  {2}" -f $problems.Count, $SourcePath, ($problems -join "`n  "))
    }

    $null = New-Item -ItemType Directory -Force -Path $OutputPath
    if ($commands) {
        $maml = Join-Path $OutputPath $MamlFileName
        Write-MamlFile -Commands @($commands) -Path $maml
        $maml
    }
    foreach ($a in $abouts) {
        $txt = Join-Path $OutputPath "$($a.Name).help.txt"
        [System.IO.File]::WriteAllText($txt, $a.Text, [System.Text.UTF8Encoding]::new($false))
        $txt
    }
}

Export-ModuleMember -Function ConvertTo-ModuleHelp
