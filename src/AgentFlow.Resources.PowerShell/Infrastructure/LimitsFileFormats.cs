using System;
using System.IO;
using AgentFlow.Resources.Configuration;
using AgentFlow.Resources.Isolation;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>The formats of limits files, chosen by extension: .yaml/.yml, .json, .psd1.</summary>
    internal static class LimitsFileFormats
    {
        /// <summary>The extensions, for messages.</summary>
        public const string Accepted = ".yaml or .yml (YAML), .json (JSON), .psd1 (PowerShell data file)";

        /// <summary>The format for <paramref name="path"/>'s extension; null for any other extension.</summary>
        /// <exception cref="IsolatedComponentException">YAML is needed and its isolated component cannot be loaded.</exception>
        public static IConfigFormat? ForPath(string path)
        {
            switch (Path.GetExtension(path).ToUpperInvariant())
            {
                case ".YAML":
                case ".YML":
                    // Loads YamlDotNet, in its own load context, the first time a YAML file is read or written.
                    return ModuleDependencies.Yaml.Instance;
                case ".JSON":
                    return JsonConfigFormat.Instance;
                case ".PSD1":
                    return PowerShellDataFileFormat.Instance;
                default:
                    return null;
            }
        }
    }
}
