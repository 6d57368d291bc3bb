<#
.SYNOPSIS
  Builds, regenerates, tests and benchmarks KafkaSharp. Every step is a plain dotnet command, printed before it
  runs, so it can be done by hand without PowerShell.
.EXAMPLE
  ./build.ps1                 # build
  ./build.ps1 -Generate       # regenerate src/KafkaSharp.Protocol/Generated from protocol-gen/schemas
  ./build.ps1 -Test           # the README's test command
  ./build.ps1 -Interop        # the interop suite through every real client, printing the compatibility matrix
  ./build.ps1 -Bench          # BenchmarkDotNet micro-benchmarks (short job)
#>
[CmdletBinding()]
param(
    [switch] $Generate,
    [switch] $Test,
    [switch] $Interop,
    [switch] $Bench,
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Step([string] $Description, [string[]] $Command) {
    Write-Host "==> $Description" -ForegroundColor Cyan
    Write-Host "    $($Command -join ' ')"
    & $Command[0] $Command[1..($Command.Length - 1)]
    if ($LASTEXITCODE -ne 0) {
        throw "$Description failed with exit code $LASTEXITCODE"
    }
}

if ($Generate) {
    Invoke-Step 'Regenerate protocol messages' @('dotnet', 'run', '--project', 'protocol-gen', '-c', $Configuration)
}

Invoke-Step 'Build' @('dotnet', 'build', 'KafkaSharp.sln', '-c', $Configuration)

if ($Test) {
    Invoke-Step 'Test' @('dotnet', 'test', 'KafkaSharp.sln', '-c', $Configuration, '--no-build', '--blame-hang-timeout', '5m')
}

if ($Interop) {
    # Against a fresh KafkaSharp, or the cluster in $env:KAFKA_BOOTSTRAP; the matrix goes to interop/results/.
    Invoke-Step 'Interop npm clients' @('npm', 'ci', '--prefix', 'interop', '--no-audit', '--no-fund')
    Invoke-Step 'Interop suite' @('dotnet', 'run', '-c', $Configuration, '--no-build', '--project', 'interop/KafkaSharp.Interop')
}

if ($Bench) {
    Invoke-Step 'Benchmarks' @('dotnet', 'run', '-c', 'Release', '--project', 'tests/KafkaSharp.Benchmarks', '--', '--filter', '*', '--job', 'short')
}
