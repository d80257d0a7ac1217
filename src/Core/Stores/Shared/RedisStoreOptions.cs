using System;
using System.Net;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Where and how to attach to a budget shared through Redis: the server, the credential, the budget's name and,
    /// for a budget that does not exist yet, its limits.
    /// </summary>
    public sealed class RedisStoreOptions
    {
        /// <summary>The default first part of every key: <c>agentflow:{name}:...</c>.</summary>
        public const string DefaultKeyPrefix = "agentflow";

        /// <summary>Describes a budget; nothing is contacted until a store is opened.</summary>
        /// <param name="configuration">A StackExchange.Redis configuration string (<c>host:port</c>, several endpoints, <c>ssl=true</c>, <c>user=</c>, timeouts).</param>
        /// <param name="name">The budget's (and the monitor's) name; case-insensitive, like monitor names.</param>
        public RedisStoreOptions(string configuration, string name)
        {
            if (string.IsNullOrWhiteSpace(configuration))
            {
                throw new ArgumentException("A Redis configuration is required, such as 'localhost:6379' or 'redis1:6379,redis2:6379,ssl=true'.", nameof(configuration));
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("A shared budget needs a name that every process attaching to it uses.", nameof(name));
            }

            Configuration = configuration;
            Name = name;
        }

        /// <summary>The StackExchange.Redis configuration string.</summary>
        public string Configuration { get; }

        /// <summary>The budget's name.</summary>
        public string Name { get; }

        /// <summary>The ACL user and password; overrides <c>user=</c> and <c>password=</c> in the configuration. Never shown.</summary>
        public NetworkCredential? Credential { get; set; }

        /// <summary>The limits of a new budget; null attaches with the stored limits (or the defaults for a new budget).</summary>
        public ResourceLimits? Limits { get; set; }

        /// <summary>How many alerts the shared queue keeps; null attaches with the stored bound (or the default).</summary>
        public int? MaxAlerts { get; set; }

        /// <summary>Counters only (the fast variant): no per-key data.</summary>
        public bool Fast { get; set; }

        /// <summary>Replace the stored limits and alert bound with <see cref="Limits"/> and <see cref="MaxAlerts"/> for every process.</summary>
        public bool Force { get; set; }

        /// <summary>The first part of every key (default <c>agentflow</c>): an ACL rule such as <c>~agentflow:*</c> covers them all.</summary>
        public string KeyPrefix { get; set; } = DefaultKeyPrefix;

        /// <summary>The configuration without any <c>password=</c> option: what messages and prompts may show.</summary>
        public string DisplayConfiguration
        {
            get
            {
                string[] parts = Configuration.Split(',');
                var shown = new System.Collections.Generic.List<string>(parts.Length);
                foreach (string part in parts)
                {
                    shown.Add(part.TrimStart().StartsWith("password=", StringComparison.OrdinalIgnoreCase) ? "password=***" : part);
                }

                return string.Join(",", shown);
            }
        }

        /// <summary>The name and the configuration, never a password.</summary>
        public override string ToString() => $"{Name} on {DisplayConfiguration}";
    }
}
