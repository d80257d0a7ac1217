using System;
using System.IO;
using System.Runtime.Loader;
using AgentFlow.Resources.Configuration;
using AgentFlow.Resources.Isolation;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    public sealed class IsolatedComponentTests : IDisposable
    {
        private const string Bridge = "AgentFlow.Resources.Yaml.dll";
        private const string BridgeType = "AgentFlow.Resources.Yaml.YamlConfigFormat";
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "isolated-" + Guid.NewGuid().ToString("N"));

        public IsolatedComponentTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        // The bridge and YamlDotNet from the test's own output folder (the test references the bridge project),
        // and a copy of Core, which the loader must leave out so that the contract type stays the default context's.
        private void CopyComponent()
        {
            string output = AppContext.BaseDirectory;
            File.Copy(Path.Combine(output, Bridge), Path.Combine(_folder, Bridge));
            File.Copy(Path.Combine(output, "YamlDotNet.dll"), Path.Combine(_folder, "YamlDotNet.dll"));
            File.Copy(Path.Combine(output, "AgentFlow.Resources.Core.dll"), Path.Combine(_folder, "AgentFlow.Resources.Core.dll"));
        }

        [Fact]
        public void Loads_the_bridge_and_its_dependencies_into_a_named_context_of_their_own_on_first_use()
        {
            CopyComponent();
            var component = new IsolatedComponent<IConfigFormat>("YamlTest", _folder, Bridge, BridgeType);
            Assert.False(component.IsLoaded);

            IConfigFormat format = component.Instance;

            Assert.True(component.IsLoaded);
            Assert.Same(format, component.Instance);
            AssemblyLoadContext context = AssemblyLoadContext.GetLoadContext(format.GetType().Assembly)!;
            Assert.Equal("AgentFlow.Resources.YamlTest", context.Name);
            Assert.Equal(new[] { "AgentFlow.Resources.Yaml", "YamlDotNet" }, System.Linq.Enumerable.OrderBy(System.Linq.Enumerable.Select(context.Assemblies, a => a.GetName().Name!), n => n));
            // The test's own YamlDotNet (default context) is another assembly than the component's.
            Assert.NotSame(typeof(YamlDotNet.Core.Parser).Assembly, System.Linq.Enumerable.Single(context.Assemblies, a => a.GetName().Name == "YamlDotNet"));
            Assert.Equal(10L, ((ConfigScalar)((ConfigMapping)format.Read("a: 10")).Entries[0].Value).Value);
        }

        [Fact]
        public void Says_the_feature_needs_PowerShell_7_on_a_runtime_without_load_contexts()
        {
            CopyComponent();
            var component = new IsolatedComponent<IConfigFormat>("Yaml", _folder, Bridge, BridgeType, loadContextType: null);
            var error = Assert.Throws<IsolatedComponentException>(() => component.Instance);
            Assert.Equal(IsolatedComponentFailure.NotSupported, error.Failure);
            Assert.Equal("Yaml", error.Component);
            Assert.StartsWith("The Yaml feature needs PowerShell 7 or later", error.Message);
            Assert.Same(error, Assert.Throws<IsolatedComponentException>(() => component.Instance));
        }

        [Fact]
        public void Fails_to_load_when_the_bridge_is_missing()
        {
            var component = new IsolatedComponent<IConfigFormat>("Yaml", _folder, Bridge, BridgeType);
            var error = Assert.Throws<IsolatedComponentException>(() => component.Instance);
            Assert.Equal(IsolatedComponentFailure.LoadFailed, error.Failure);
            Assert.Equal($"The Yaml feature cannot be loaded: '{Path.Combine(_folder, Bridge)}' is missing. Reinstall the module.", error.Message);
        }

        // A dependency missing from the folder is tested through the module (tests/Pester/LimitsFiles.Tests.ps1):
        // here the test host's default context has YamlDotNet, which the bridge would fall back to.

        [Fact]
        public void Fails_to_load_when_the_type_does_not_implement_the_contract()
        {
            CopyComponent();
            var component = new IsolatedComponent<IDisposable>("YamlWrongContract", _folder, Bridge, BridgeType);
            var error = Assert.Throws<IsolatedComponentException>(() => component.Instance);
            Assert.Equal(IsolatedComponentFailure.LoadFailed, error.Failure);
            Assert.Contains("does not implement System.IDisposable", error.Message);
        }
    }
}
