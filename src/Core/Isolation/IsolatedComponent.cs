using System;
using System.IO;
using System.Reflection;
using System.Threading;

namespace AgentFlow.Resources.Isolation
{
    /// <summary>
    /// A component of the module that depends on third-party assemblies (YamlDotNet, later StackExchange.Redis),
    /// loaded into an AssemblyLoadContext of its own the first time <see cref="Instance"/> is read, so that another
    /// version of those assemblies in the session (from another module, or loaded by hand) never conflicts with
    /// ours, and a session that never uses the component loads none of them.
    /// </summary>
    /// <remarks>
    /// The component is a folder (<c>&lt;module&gt;/dependencies/&lt;Name&gt;</c>) holding a bridge assembly, which
    /// implements <typeparamref name="TContract"/> (an interface in Core), and the bridge's private dependencies.
    /// Every assembly of the folder is loaded into the new context before the bridge's type is touched: the runtime
    /// looks in a context's own assemblies first, so the bridge binds to our copies even when the default context
    /// already has another version. Anything else (Core, which defines the contract, and the framework) is not in
    /// the folder, so it resolves from the default context and is shared: the bridge's object can be used through
    /// <typeparamref name="TContract"/>. The context is created through reflection because the module targets
    /// netstandard2.0, where AssemblyLoadContext does not exist; on .NET Framework (Windows PowerShell 5.1) there is
    /// no such type, and <see cref="Instance"/> throws <see cref="IsolatedComponentException"/> with
    /// <see cref="IsolatedComponentFailure.NotSupported"/>.
    /// </remarks>
    /// <typeparam name="TContract">The interface (defined in Core) that the bridge type implements.</typeparam>
    public sealed class IsolatedComponent<TContract>
        where TContract : class
    {
        private readonly string _assemblyFileName;
        private readonly string _typeName;
        private readonly Type? _loadContextType;
        private readonly Lazy<TContract> _instance;

        /// <summary>Describes a component; nothing is loaded until <see cref="Instance"/> is read.</summary>
        /// <param name="name">The component's name; the load context is named <c>AgentFlow.Resources.&lt;name&gt;</c>.</param>
        /// <param name="directory">The folder with the bridge assembly and its dependencies.</param>
        /// <param name="assemblyFileName">The bridge assembly's file name, such as <c>AgentFlow.Resources.Yaml.dll</c>.</param>
        /// <param name="typeName">The full name of the bridge type that implements <typeparamref name="TContract"/> (public, parameterless constructor).</param>
        public IsolatedComponent(string name, string directory, string assemblyFileName, string typeName)
            : this(name, directory, assemblyFileName, typeName, FindLoadContextType())
        {
        }

        // The load context type is a parameter so that tests can play a runtime without one (Windows PowerShell).
        internal IsolatedComponent(string name, string directory, string assemblyFileName, string typeName, Type? loadContextType)
        {
            Name = name;
            Directory = directory;
            _assemblyFileName = assemblyFileName;
            _typeName = typeName;
            _loadContextType = loadContextType;
            // A failure is remembered: a missing file or an old runtime does not fix itself within a session.
            _instance = new Lazy<TContract>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>True when this runtime has AssemblyLoadContext (.NET Core, PowerShell 7); false on .NET Framework.</summary>
        public static bool IsSupported => FindLoadContextType() != null;

        /// <summary>The component's name.</summary>
        public string Name { get; }

        /// <summary>The folder the component is loaded from.</summary>
        public string Directory { get; }

        /// <summary>The name of the load context the component's assemblies go into.</summary>
        public string LoadContextName => "AgentFlow.Resources." + Name;

        /// <summary>True once the component has been loaded.</summary>
        public bool IsLoaded => _instance.IsValueCreated;

        /// <summary>The bridge object; loads the component on first use (thread-safe, once).</summary>
        /// <exception cref="IsolatedComponentException">The runtime has no AssemblyLoadContext, or the component's files are missing or broken.</exception>
        public TContract Instance => _instance.Value;

        private static Type? FindLoadContextType() =>
            typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext", throwOnError: false);

        private TContract Load()
        {
            if (_loadContextType == null)
            {
                throw new IsolatedComponentException(IsolatedComponentFailure.NotSupported, Name,
                    $"The {Name} feature needs PowerShell 7 or later: it loads its dependencies into an isolated AssemblyLoadContext, which Windows PowerShell 5.1 (.NET Framework) does not have.");
            }

            string bridgePath = Path.Combine(Directory, _assemblyFileName);
            if (!File.Exists(bridgePath))
            {
                throw new IsolatedComponentException(IsolatedComponentFailure.LoadFailed, Name,
                    $"The {Name} feature cannot be loaded: '{bridgePath}' is missing. Reinstall the module.");
            }

            try
            {
                object context = Activator.CreateInstance(_loadContextType, LoadContextName, false)!;
                MethodInfo loadFromPath = _loadContextType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!;
                string shared = typeof(TContract).Assembly.GetName().Name!;
                Assembly? bridge = null;
                foreach (string file in System.IO.Directory.GetFiles(Directory, "*.dll"))
                {
                    // The assembly that defines the contract must come from the default context, or the bridge's
                    // type would implement a different TContract than ours.
                    if (string.Equals(AssemblyName.GetAssemblyName(file).Name, shared, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    var assembly = (Assembly)loadFromPath.Invoke(context, new object[] { file })!;
                    if (string.Equals(Path.GetFileName(file), _assemblyFileName, StringComparison.OrdinalIgnoreCase))
                    {
                        bridge = assembly;
                    }
                }

                // Resolve the bridge's references now, through the new context: a dependency missing from the
                // folder fails here, as a load failure, not later in the middle of the feature's first call.
                MethodInfo loadFromName = _loadContextType.GetMethod("LoadFromAssemblyName", new[] { typeof(AssemblyName) })!;
                foreach (AssemblyName reference in bridge!.GetReferencedAssemblies())
                {
                    loadFromName.Invoke(context, new object[] { reference });
                }

                Type type = bridge.GetType(_typeName, throwOnError: true)!;
                if (Activator.CreateInstance(type) is TContract instance)
                {
                    return instance;
                }

                throw new IsolatedComponentException(IsolatedComponentFailure.LoadFailed, Name,
                    $"The {Name} feature cannot be loaded: {_typeName} in '{bridgePath}' does not implement {typeof(TContract).FullName}. Reinstall the module.");
            }
            catch (Exception e) when (!(e is IsolatedComponentException))
            {
                Exception cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                throw new IsolatedComponentException(IsolatedComponentFailure.LoadFailed, Name,
                    $"The {Name} feature cannot be loaded from '{Directory}': {cause.Message} Reinstall the module.", cause);
            }
        }
    }
}
