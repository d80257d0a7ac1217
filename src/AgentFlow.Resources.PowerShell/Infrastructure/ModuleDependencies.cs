using System.IO;
using AgentFlow.Resources.Configuration;
using AgentFlow.Resources.Isolation;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// The module's isolated components: third-party dependencies that load into an AssemblyLoadContext of their
    /// own, from <c>&lt;module&gt;/dependencies/&lt;name&gt;</c>, the first time they are used
    /// (docs/design/isolated-dependencies.md). Add a component as one more property here and one more entry in
    /// build.ps1's $IsolatedComponents.
    /// </summary>
    internal static class ModuleDependencies
    {
        /// <summary>The folder of the module's isolated components, beside the cmdlet assembly.</summary>
        public static string Root { get; } =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleDependencies).Assembly.Location) ?? string.Empty, "dependencies");

        /// <summary>YAML limits files: YamlDotNet behind <see cref="IConfigFormat"/>.</summary>
        public static IsolatedComponent<IConfigFormat> Yaml { get; } =
            new IsolatedComponent<IConfigFormat>("Yaml", Path.Combine(Root, "Yaml"), "AgentFlow.Resources.Yaml.dll", "AgentFlow.Resources.Yaml.YamlConfigFormat");

        /// <summary>Budgets shared through Redis: StackExchange.Redis behind <see cref="IRedisStoreProvider"/>.</summary>
        public static IsolatedComponent<IRedisStoreProvider> Redis { get; } =
            new IsolatedComponent<IRedisStoreProvider>("Redis", Path.Combine(Root, "Redis"), "AgentFlow.Resources.Redis.dll", "AgentFlow.Resources.Redis.RedisStoreProvider");
    }
}
