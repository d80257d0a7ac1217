<#
.SYNOPSIS
    Builds, tests, documents and packages the AgentFlow.Resources module.
.DESCRIPTION
    Run after `dotnet tool restore` as `dotnet pwsh ./build.ps1 <Task>`. Each task runs what it needs first.

      Build    dotnet build of the solution, then the module folder <artifacts>/module/AgentFlow.Resources
               (manifest, the two assemblies, format/types files, en-US help, dependencies/<component>).
      Help     converts docs/help/*.md into the module's en-US help (MAML + about topic) only.
      Test     Build, then every tests/**/*.Tests.csproj (dotnet test, trx) and the Pester suites under
               tests/Pester in a fresh pwsh. The runners' own output goes to log files under
               <artifacts>/test-results; the console gets one line per suite, the failures, the totals and,
               last, 'N passed, N failed, N skipped' (plain text when redirected).
               Programs the tests run (promtool, chromium) are installed with apt-get when missing (as root).
      Package  Build, then a gallery-ready .nupkg in <artifacts>/package via a temporary PSResourceGet repository.
      Demo     Build, then runs examples/Invoke-ArtifactBudgetRunbook.ps1 twice, as two processes: the second
               starts from the snapshot the first saved and checks it against the files on disk. Each run leaves
               its monitor's Prometheus metrics (agentflow.prom) and HTML report (report.html) in <artifacts>/demo.
      Bench    Build, then runs tests/Benchmarks/Invoke-Benchmarks.ps1 (-Quick for a short run).
      Mutate   Stryker.NET (the local tool dotnet-stryker) over the engine's logic files, driven by the Core xunit
               suite without its Redis-backed classes (tests/AgentFlow.Resources.Core.Tests/stryker-config.json:
               test-case-filter, one test session at a time); the model-based tests run lighter
               (AGENTFLOW_MUTATION_RUN=1). Reports under <artifacts>/mutation. Slow (about 5 minutes of setup,
               then a suite run per mutant): not part of Test or CI. -Mutate 'glob' limits it to some files
               (for example -Mutate '**/Stores/Admission.cs'); docs/testing.md has the scores.

    All output goes under the artifacts root: $env:AGENTFLOW_ARTIFACTS when set, else <repo>/artifacts.
    Child processes get AGENTFLOW_ARTIFACTS and AGENTFLOW_MODULE_MANIFEST (the built manifest).
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Help', 'Package', 'Demo', 'Bench', 'Mutate')]
    [string]$Task = 'Build',
    [switch]$Quick,
    [string[]]$Mutate = @(),
    [string]$Configuration = 'Release'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# Exit codes of native commands are checked by Invoke-Native, which says which step failed.
$PSNativeCommandUseErrorActionPreference = $false

$RepoRoot = $PSScriptRoot
$ArtifactsRoot = if ($env:AGENTFLOW_ARTIFACTS) { [System.IO.Path]::GetFullPath($env:AGENTFLOW_ARTIFACTS) } else { Join-Path $RepoRoot 'artifacts' }
$ModuleName = 'AgentFlow.Resources'
$ModuleDir = Join-Path $ArtifactsRoot "module/$ModuleName"
$ManifestPath = Join-Path $ModuleDir "$ModuleName.psd1"
$ResultsDir = Join-Path $ArtifactsRoot 'test-results'
$Solution = Join-Path $RepoRoot 'AgentFlow.Resources.sln'
$CmdletProject = 'AgentFlow.Resources.PowerShell'
$MamlFileName = "$CmdletProject.dll-Help.xml"
$PesterVersion = '5.7.1'   # keep in step with tools/restore/Tools.Restore.csproj
# Isolated components (docs/design/isolated-dependencies.md): component name -> bridge project. Each one ships
# in <module>/dependencies/<name> with its third-party assemblies and loads into its own AssemblyLoadContext.
$IsolatedComponents = [ordered]@{ Yaml = 'AgentFlow.Resources.Yaml'; Redis = 'AgentFlow.Resources.Redis' }

Import-Module (Join-Path $RepoRoot 'tools/ChildPwsh.psm1') -Force
Import-Module (Join-Path $RepoRoot 'tools/RestoredPackages.psm1') -Force
Import-Module (Join-Path $RepoRoot 'tools/HelpConverter/HelpConverter.psm1') -Force
Import-Module (Join-Path $RepoRoot 'tools/TestReport.psm1') -Force

# Redirected (CI, a log file): no colour codes in anything this script or PowerShell renders.
if ([Console]::IsOutputRedirected -and $PSStyle) { $PSStyle.OutputRendering = 'PlainText' }

foreach ($e in $QuietEnvironment.GetEnumerator()) { Set-Item -Path "env:$($e.Key)" -Value $e.Value }
$env:AGENTFLOW_ARTIFACTS = $ArtifactsRoot
$env:AGENTFLOW_MODULE_MANIFEST = $ManifestPath

#region helpers

function Write-Step([string]$Message) { Write-Host "==> $Message" -ForegroundColor Cyan }

function Invoke-Native {
    param([Parameter(Mandatory)] [string]$What, [Parameter(Mandatory)] [string]$FilePath, [string[]]$Arguments = @(), [string]$Log)
    if (-not $Log) {
        # To the host, not the pipeline: a function's output is its return value.
        & $FilePath @Arguments | Out-Host
    }
    else {
        # Quiet: the output goes to the log, and is shown only when the step fails.
        $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $Log)
        & $FilePath @Arguments *> $Log
    }
    if ($LASTEXITCODE -ne 0) {
        if ($Log) { Get-Content -LiteralPath $Log | Select-Object -Last 40 | Out-Host }
        throw "$What failed (exit code $LASTEXITCODE): $FilePath $($Arguments -join ' ')"
    }
}

# Arguments every dotnet build/restore/test call takes. In CI no MSBuild node or compiler server may
# outlive the run: a lingering server keeps the log pipe open after the script has finished.
function Get-DotnetCommonArgument {
    $arguments = @('--artifacts-path', $ArtifactsRoot, '-nologo')
    if ($env:CI) { $arguments += '--disable-build-servers' }
    $arguments
}

# Runs a PowerShell script in a fresh -NoProfile -NonInteractive process (the build's own session state,
# such as the help converter module, stays out of it) and streams its output.
function Invoke-ChildScript {
    param([Parameter(Mandatory)] [string]$Path, [string[]]$Arguments = @())
    $pwsh = Get-PwshCommand
    & $pwsh.FilePath @($pwsh.Arguments) -NoProfile -NonInteractive -NoLogo -File $Path @Arguments | Out-Host
    $LASTEXITCODE
}

#endregion

#region Build and Help

function Invoke-Compile([string]$Log) {
    Write-Step "dotnet build $(Split-Path -Leaf $Solution) ($Configuration) into $ArtifactsRoot"
    Invoke-Native 'dotnet build' 'dotnet' (@('build', $Solution, '-c', $Configuration) + (Get-DotnetCommonArgument)) -Log $Log
}

# With --artifacts-path the output folder is bin/<project>/<configuration in lower case>.
function Get-ProjectOutputDirectory([string]$Project) {
    $dir = Join-Path $ArtifactsRoot "bin/$Project/$($Configuration.ToLowerInvariant())"
    if (-not (Test-Path -LiteralPath $dir)) { throw "Build output folder '$dir' not found: did the build of $Project succeed?" }
    $dir
}

function Copy-OptionalFile([string]$Path, [string]$Destination, [string]$Owner) {
    if (Test-Path -LiteralPath $Path -PathType Leaf) { Copy-Item -LiteralPath $Path -Destination $Destination; return }
    Write-Warning "$(Resolve-RelativePath $Path) does not exist yet ($Owner); the module folder is laid out without it."
}

function Resolve-RelativePath([string]$Path) { [System.IO.Path]::GetRelativePath($RepoRoot, $Path) }

# Lays out exactly the files module-surface.md lists, in a clean folder (no stale files from older builds).
function Invoke-ModuleLayout {
    Write-Step "Laying out the module in $ModuleDir"
    if (Test-Path -LiteralPath $ModuleDir) { Remove-Item -LiteralPath $ModuleDir -Recurse -Force }
    $null = New-Item -ItemType Directory -Force -Path $ModuleDir

    Copy-OptionalFile (Join-Path $RepoRoot "$ModuleName.psd1") $ModuleDir 'the module manifest, written with the cmdlets'
    $bin = Get-ProjectOutputDirectory $CmdletProject
    foreach ($dll in 'AgentFlow.Resources.Core.dll', "$CmdletProject.dll") {
        $path = Join-Path $bin $dll
        if (-not (Test-Path -LiteralPath $path)) { throw "$dll is missing from the build output '$bin'." }
        Copy-Item -LiteralPath $path -Destination $ModuleDir
    }
    # Each isolated component: its bridge and third-party assemblies, never Core (shared from the module folder,
    # so that the bridge implements Core's interface) and never symbols or deps files.
    foreach ($component in $IsolatedComponents.GetEnumerator()) {
        $componentBin = Get-ProjectOutputDirectory $component.Value
        $componentDir = Join-Path $ModuleDir "dependencies/$($component.Key)"
        $null = New-Item -ItemType Directory -Force -Path $componentDir
        $assemblies = @(Get-ChildItem -LiteralPath $componentBin -Filter '*.dll' -File | Where-Object Name -NE 'AgentFlow.Resources.Core.dll')
        if ($assemblies.Name -notcontains "$($component.Value).dll") { throw "$($component.Value).dll is missing from the build output '$componentBin'." }
        $assemblies | Copy-Item -Destination $componentDir
    }
    $formats = Join-Path $RepoRoot "src/$CmdletProject/Formats"
    foreach ($file in "$ModuleName.Format.ps1xml", "$ModuleName.Types.ps1xml") {
        Copy-OptionalFile (Join-Path $formats $file) $ModuleDir 'written with the cmdlets'
    }
    Invoke-Help
}

# docs/help/*.md -> <module>/en-US. A page that is malformed fails the build; no docs/help folder yet
# only warns, so the module can be built while the pages are being written.
function Invoke-Help {
    $source = Join-Path $RepoRoot 'docs/help'
    $target = Join-Path $ModuleDir 'en-US'
    if (Test-Path -LiteralPath $target) { Remove-Item -LiteralPath $target -Recurse -Force }
    if (-not (Test-Path -LiteralPath $source -PathType Container)) {
        Write-Warning "docs/help does not exist yet: the module is built without help."
        return
    }
    Write-Step "Converting docs/help to $target"
    $written = ConvertTo-ModuleHelp -SourcePath $source -OutputPath $target -MamlFileName $MamlFileName
    foreach ($f in $written) { Write-Host "    $(Split-Path -Leaf $f)" }
}

function Invoke-Build([string]$Log) {
    Invoke-Compile $Log
    Invoke-ModuleLayout
}

#endregion

#region Test

# Restores the pinned Pester (and the other test tools of tools/restore) from NuGet and returns Pester's manifest path.
function Get-PesterManifest {
    Write-Step "Restoring Pester $PesterVersion"
    $project = Join-Path $RepoRoot 'tools/restore/Tools.Restore.csproj'
    Invoke-Native 'Restoring the test tools' 'dotnet' (@('restore', $project) + (Get-DotnetCommonArgument)) -Log (Join-Path $ResultsDir 'restore.log')
    $manifest = Join-Path (Get-RestoredPackageDirectory -ArtifactsRoot $ArtifactsRoot -Id Pester -Version $PesterVersion) 'tools/Pester.psd1'
    if (-not (Test-Path -LiteralPath $manifest)) { throw "Pester $PesterVersion was restored but $manifest does not exist." }
    $manifest
}

function Invoke-DotnetTest {
    $projects = @(Get-ChildItem -Path (Join-Path $RepoRoot 'tests') -Recurse -Filter '*.Tests.csproj' -File |
            Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' } | Sort-Object FullName)
    if (-not $projects) {
        $r = New-RunnerResult 'dotnet test'
        $r.Crashed = 'no tests/**/*.Tests.csproj project found'
        return $r
    }
    foreach ($project in $projects) {
        $name = $project.BaseName
        $log = Join-Path $ResultsDir "$name.log"
        $r = New-RunnerResult "dotnet test $name" $log
        $trx = Join-Path $ResultsDir "$name.trx"
        Remove-Item -LiteralPath $trx -Force -ErrorAction SilentlyContinue
        Write-Step "dotnet test $(Resolve-RelativePath $project.FullName) (output: $(Resolve-RelativePath $log))"
        # A test that hangs stops the run after 5 minutes (no single test comes near it) and the log names it,
        # instead of holding CI until its own limit.
        & dotnet test $project.FullName -c $Configuration @(Get-DotnetCommonArgument) `
            --logger "trx;LogFileName=$name.trx" --results-directory $ResultsDir `
            --blame-hang-timeout 5m --blame-hang-dump-type none *> $log
        $exit = $LASTEXITCODE
        if (-not (Test-Path -LiteralPath $trx)) { $r.Crashed = "exit code $exit and no results file $trx (see $log)"; $r; continue }
        Read-TrxResult -Path $trx -Into $r
        $r.Suites.Add([pscustomobject]@{ Name = $name; Passed = $r.Passed; Failed = $r.Failed; Skipped = $r.Skipped })
        if ($exit -ne 0 -and $r.Failed -eq 0) { $r.Crashed = "exit code $exit although no test failed" }
        $r
    }
}

function Read-TrxResult([string]$Path, $Into) {
    [xml]$doc = Get-Content -LiteralPath $Path -Raw
    $ns = [System.Xml.XmlNamespaceManager]::new($doc.NameTable)
    $ns.AddNamespace('t', $doc.DocumentElement.NamespaceURI)
    $counters = $doc.SelectSingleNode('//t:ResultSummary/t:Counters', $ns)
    $Into.Passed = [int]$counters.passed
    $Into.Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    $Into.Skipped = [int]$counters.notExecuted + [int]$counters.inconclusive
    foreach ($result in $doc.SelectNodes("//t:UnitTestResult[@outcome!='Passed' and @outcome!='NotExecuted']", $ns)) {
        $message = $result.SelectSingleNode('t:Output/t:ErrorInfo/t:Message', $ns)
        $text = if ($message) { ($message.InnerText -split "\r?\n" | Where-Object { $_.Trim() } | Select-Object -First 3) -join ' | ' } else { $result.outcome }
        $Into.Failures.Add("$($result.testName): $text")
    }
}

function Invoke-PesterTest([string]$PesterManifest) {
    Write-Step "Pester over tests/Pester in a fresh pwsh (output: $(Resolve-RelativePath (Join-Path $ResultsDir 'pester-output.log')))"
    Invoke-PesterRunner -PesterManifest $PesterManifest -TestPath (Join-Path $RepoRoot 'tests/Pester') -ResultDirectory $ResultsDir
}

# Programs the Pester suites run, and the Debian package of each. No test may skip for want of one, so a
# missing program is installed (as root: apt-get update once, then install), or the run fails saying what
# to install.
$TestPrograms = [ordered]@{
    promtool = 'prometheus'   # validates Export-ResourceMetrics output (promtool check metrics)
    chromium = 'chromium'     # renders Export-ResourceReport headless and reads its DOM
    'redis-server' = 'redis-server'   # the shared-budget (Redis) store's tests start their own servers
}

function Install-TestProgram {
    $missing = @($TestPrograms.Keys | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) })
    if (-not $missing) { return }
    $packages = @($missing | ForEach-Object { $TestPrograms[$_] })
    $isRoot = $IsLinux -and (& id -u) -eq '0'
    if (-not $isRoot -or -not (Get-Command apt-get -CommandType Application -ErrorAction Ignore)) {
        throw "The tests need $($missing -join ', '). Install them first, e.g. on Debian: sudo apt-get install $($packages -join ' ')"
    }
    Write-Step "Installing $($packages -join ', ') for $($missing -join ', ') (apt-get)"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    $log = Join-Path $ResultsDir 'install-test-programs.log'
    Invoke-Native 'apt-get update' 'apt-get' @('update', '-qq') -Log $log
    Invoke-Native 'apt-get install' 'apt-get' (@('install', '-y', '-qq', '--no-install-recommends') + $packages) -Log $log
}

function Invoke-Test {
    $results = [System.Collections.Generic.List[object]]::new()
    try {
        Install-TestProgram
        $null = New-Item -ItemType Directory -Force -Path $ResultsDir
        $pester = Get-PesterManifest
        Invoke-Build (Join-Path $ResultsDir 'build.log')
        foreach ($r in Invoke-DotnetTest) { $results.Add($r) }
        $results.Add((Invoke-PesterTest $pester))
    }
    catch {
        # The build or a restore failed: report it as a failure so the closing line still tells the truth.
        Write-Host "ERROR: $($_.Exception.Message)" -ForegroundColor Red
        $r = New-RunnerResult 'build'
        $r.Crashed = $_.Exception.Message -split "`n" | Select-Object -First 1
        $results.Add($r)
    }
    $failed = Write-TestSummary $results
    if ($failed) { 1 } else { 0 }
}

#endregion

#region Package, Demo, Bench

function Invoke-Package {
    Invoke-Build
    $packageDir = Join-Path $ArtifactsRoot 'package'
    if (Test-Path -LiteralPath $packageDir) { Remove-Item -LiteralPath $packageDir -Recurse -Force }
    $null = New-Item -ItemType Directory -Force -Path $packageDir
    # PSResourceGet keeps its repository list per user: a unique name never clashes with a parallel build,
    # and the finally block removes it whatever happens.
    $repository = "AgentFlowBuild-$([guid]::NewGuid().ToString('N'))"
    Write-Step "Publishing $ModuleDir to $packageDir (temporary repository $repository)"
    Register-PSResourceRepository -Name $repository -Uri $packageDir -Trusted
    try { Publish-PSResource -Path $ModuleDir -Repository $repository }
    finally { Unregister-PSResourceRepository -Name $repository }
    $nupkg = @(Get-ChildItem -LiteralPath $packageDir -Filter '*.nupkg')
    if (-not $nupkg) { throw "Publish-PSResource wrote no .nupkg into $packageDir." }
    foreach ($p in $nupkg) { Write-Host "    $($p.FullName)" }
}

function Invoke-Script([string]$What, [string]$RelativePath, [string[]]$Arguments = @(), [switch]$Built) {
    $path = Join-Path $RepoRoot $RelativePath
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) { throw "$What needs $RelativePath, which does not exist yet." }
    if (-not $Built) { Invoke-Build }
    Write-Step "Running $RelativePath $($Arguments -join ' ')"
    $exit = Invoke-ChildScript $path $Arguments
    if ($exit -ne 0) { throw "$RelativePath failed (exit code $exit)." }
}

function Invoke-Mutation {
    $testDir = Join-Path $RepoRoot 'tests/AgentFlow.Resources.Core.Tests'
    $output = Join-Path $ArtifactsRoot 'mutation'
    $arguments = @('tool', 'run', 'dotnet-stryker', '--', '--config-file', (Join-Path $testDir 'stryker-config.json'), '--output', $output)
    foreach ($glob in $Mutate) { $arguments += @('--mutate', $glob) }
    Write-Step "Stryker.NET over the engine (reports in $output)"
    # The suite reads it to run its model-based tests lighter (a quarter of the sequences, one thread): Stryker
    # runs the suite once per mutant. The Redis-backed classes are left out by the config's test-case-filter.
    $env:AGENTFLOW_MUTATION_RUN = '1'
    Push-Location $testDir
    # Stryker reads the projects' references from their default obj folders (not the artifacts path Build uses):
    # restore them first, or a package added since the last plain restore fails its compilation of the mutants.
    try { Invoke-Native 'Restoring for Stryker' 'dotnet' @('restore', '-nologo'); Invoke-Native 'The mutation run' 'dotnet' $arguments }
    finally { Pop-Location; Remove-Item env:AGENTFLOW_MUTATION_RUN -ErrorAction SilentlyContinue }
}

# The hourly-runbook pattern: a first run from nothing saves its state, a second process resumes from it.
function Invoke-Demo {
    $runbook = 'examples/Invoke-ArtifactBudgetRunbook.ps1'
    $demoRoot = Join-Path $ArtifactsRoot 'demo'
    # The work folder and its overflow folder live in the demo folder: each Demo starts from nothing.
    if (Test-Path -LiteralPath $demoRoot) { Remove-Item -LiteralPath $demoRoot -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $demoRoot
    $shared = @('-WorkRoot', (Join-Path $demoRoot 'work'), '-SnapshotPath', (Join-Path $demoRoot 'artifact-budget.snapshot.json'),
        '-ReportFolder', $demoRoot, '-StepPause', '150')
    Invoke-Script 'The Demo task' $runbook ($shared + @('-Seed', '42'))
    Invoke-Script 'The Demo task' $runbook ($shared + @('-Seed', '43')) -Built
}

#endregion

try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Help' { Invoke-Help }
        'Test' { exit (Invoke-Test) }
        'Package' { Invoke-Package }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Script 'The Bench task' 'tests/Benchmarks/Invoke-Benchmarks.ps1' $(if ($Quick) { @('-Quick') } else { @() }) }
        'Mutate' { Invoke-Mutation }
    }
    Write-Host "build.ps1 $Task succeeded." -ForegroundColor Green
}
catch {
    # One readable message instead of PowerShell's error record; -Verbose adds where it came from.
    Write-Host "build.ps1 $Task failed: $($_.Exception.Message)" -ForegroundColor Red
    Write-Verbose $_.ScriptStackTrace
    exit 1
}
