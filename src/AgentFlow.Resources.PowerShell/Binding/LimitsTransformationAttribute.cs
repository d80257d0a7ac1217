using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using AgentFlow.Resources.Configuration;

namespace AgentFlow.Resources.PowerShell.Binding
{
    /// <summary>
    /// Binds <c>-Limits</c> from <see cref="ResourceLimits"/>, from a hashtable of limit names (the keys of a limits
    /// file: <c>@{ max_state_size = '50MB'; Preset = 'MemoryConstrained' }</c>), or from a limits object read back
    /// with Import-Clixml or ConvertFrom-Json, so the usual PowerShell round trips work. Unknown keys and values of
    /// the wrong kind fail binding with every problem listed; limits that merely fail validation are bound, and the
    /// command reports them (InvalidResourceLimits) or, for Test-ResourceLimits, tests them.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class LimitsTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : inputData;
            ConfigNode document;
            bool serialized = false;
            switch (value)
            {
                case null:
                case ResourceLimits _:
                    // null is left to [ValidateNotNull], which names the parameter.
                    return value;
                case string _:
                    // Left to PowerShell's type conversion, which fails without throwing while PowerShell looks for
                    // the parameter a positional argument belongs to: '$limits | Export-ResourceLimits ./l.yaml'
                    // then binds the path to -Path instead of failing on -Limits.
                    return inputData;
                case IDictionary dictionary:
                    document = FromDictionary(dictionary);
                    break;
                case PSObject properties:
                    document = FromProperties(properties);
                    serialized = true;
                    break;
                default:
                    throw new ArgumentTransformationMetadataException(
                        $"Cannot use a {value.GetType().Name} as limits. Pass limits from New-ResourceLimits or Import-ResourceLimits, a hashtable of limit names " +
                        "such as @{ max_state_size = '50MB'; max_cache_entries = 500 }, or limits read back with Import-Clixml or ConvertFrom-Json. " +
                        "To read limits from a file, use Import-ResourceLimits.");
            }

            // Limits that went through ConvertTo-Json or Export-Clixml carry the read-only figures too (CleanupThresholdBytes, ...).
            LimitsReadResult result = LimitsDocument.Read(document, ignoreDerivedProperties: true);
            if (result.Problems.Count > 0 || result.Limits == null)
            {
                var problems = new List<string>();
                foreach (LimitsProblem problem in result.Problems)
                {
                    problems.Add(problem.Message);
                }

                throw new ArgumentTransformationMetadataException(
                    $"Cannot use the {(serialized ? "object" : "hashtable")} as limits: {string.Join(" ", problems)} " +
                    $"The limit names are {string.Join(", ", LimitsDocument.KeyNames)} (or the New-ResourceLimits parameter names).");
            }

            return result.Limits;
        }

        private static ConfigMapping FromDictionary(IDictionary dictionary)
        {
            var entries = new List<ConfigEntry>();
            foreach (DictionaryEntry entry in dictionary)
            {
                entries.Add(new ConfigEntry(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, 0, FromValue(entry.Value)));
            }

            return new ConfigMapping(0, entries);
        }

        private static ConfigMapping FromProperties(PSObject properties)
        {
            var entries = new List<ConfigEntry>();
            foreach (PSPropertyInfo property in properties.Properties)
            {
                entries.Add(new ConfigEntry(property.Name, 0, FromValue(property.Value)));
            }

            return new ConfigMapping(0, entries);
        }

        private static ConfigNode FromValue(object? value)
        {
            object? unwrapped = value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : value;
            switch (unwrapped)
            {
                case IDictionary dictionary:
                    return FromDictionary(dictionary);
                case PSObject properties:
                    return FromProperties(properties);
                case string _:
                    return new ConfigScalar(0, unwrapped);
                case IEnumerable items:
                    var nodes = new List<ConfigNode>();
                    foreach (object? item in items)
                    {
                        nodes.Add(FromValue(item));
                    }

                    return new ConfigSequence(0, nodes);
                case SwitchParameter switchParameter:
                    return new ConfigScalar(0, switchParameter.IsPresent);
                default:
                    return new ConfigScalar(0, unwrapped);
            }
        }
    }
}
