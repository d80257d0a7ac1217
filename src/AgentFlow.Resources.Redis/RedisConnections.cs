using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace AgentFlow.Resources.Redis
{
    /// <summary>
    /// One connection (multiplexer) per server configuration and credential, shared by every budget of the process:
    /// StackExchange.Redis multiplexes all commands over it, and connecting costs a round trip or more. Translates the
    /// client's failures into <see cref="SharedStoreException"/> with messages that never contain a password.
    /// </summary>
    internal static class RedisConnections
    {
        private static readonly ConcurrentDictionary<string, Lazy<Connection>> s_connections = new ConcurrentDictionary<string, Lazy<Connection>>(StringComparer.Ordinal);

        /// <summary>The connection for <paramref name="options"/>, connecting on first use.</summary>
        public static Connection Get(RedisStoreOptions options)
        {
            ConfigurationOptions configuration = Parse(options.Configuration, options.Credential);
            string[] secrets = Secrets(configuration, options.Credential);
            string id = options.Configuration + "\n" + configuration.User + "\n" + configuration.Password;
            Lazy<Connection> lazy = s_connections.GetOrAdd(id, _ => new Lazy<Connection>(() => Connect(configuration, secrets)));
            try
            {
                Connection connection = lazy.Value;
                if (!connection.Multiplexer.IsConnected)
                {
                    // Lost since: StackExchange.Redis reconnects by itself; a command now fails fast and says so.
                    connection.Multiplexer.GetDatabase().Ping();
                }

                return connection;
            }
            catch (Exception e)
            {
                // A failed first connection is not kept: the next attempt connects again.
                s_connections.TryRemove(new KeyValuePair<string, Lazy<Connection>>(id, lazy));
                throw Translate(e, secrets, Describe(configuration), "connect to");
            }
        }

        /// <summary>
        /// Turns a client failure into <see cref="SharedStoreException"/>; <paramref name="doing"/> says what was being done.
        /// <paramref name="loginRefused"/>: the connection's last attempt to log in again was refused, so a call that finds
        /// no connection fails for that reason (the server's password changed while attached).
        /// </summary>
        public static Exception Translate(Exception e, string[] secrets, string server, string doing, bool loginRefused = false)
        {
            if (e is SharedStoreException || e is ArgumentException || e is InvalidOperationException && !(e is RedisException))
            {
                return e;
            }

            string detail = Scrub(Detail(e), secrets);
            if (IsAuthentication(e) || (loginRefused && e is RedisConnectionException))
            {
                return new SharedStoreException(SharedStoreFailure.AuthenticationFailed,
                    $"Redis at {server} refused the user name or password: cannot {doing} the shared budget. Check the credential (-Credential) and the server's ACL. ({detail})");
            }

            if (e is RedisServerException)
            {
                if (e.Message.StartsWith("AGENTFLOW_EXPIRED", StringComparison.Ordinal))
                {
                    return new SharedStoreException(SharedStoreFailure.Unavailable,
                        $"Redis at {server} ran the call to {doing} the shared budget only after its timeout, so it changed nothing. The server is overloaded or was stopped; try again.");
                }

                if (e.Message.StartsWith("AGENTFLOW_GONE", StringComparison.Ordinal))
                {
                    return new SharedStoreException(SharedStoreFailure.BudgetDeleted,
                        $"The shared budget's keys were deleted from Redis at {server}: cannot {doing} it. Run New-StateMonitor -Redis again to create it anew.");
                }

                return new SharedStoreException(SharedStoreFailure.CommandRefused,
                    $"Redis at {server} refused to {doing} the shared budget: {detail} Check that the user's ACL allows EVALSHA, EVAL and the budget's keys.");
            }

            return new SharedStoreException(SharedStoreFailure.Unavailable,
                $"Redis at {server} is unavailable: cannot {doing} the shared budget. {detail} The shared state is unchanged by a call that failed; commands work again once the server is back.");
        }

        /// <summary>The configuration's endpoints, without any password: what messages may show.</summary>
        public static string Describe(ConfigurationOptions configuration) =>
            string.Join(",", configuration.EndPoints.Select(e => e switch
            {
                DnsEndPoint dns => dns.Host + ":" + dns.Port,
                _ => e.ToString(),
            }));

        // The client's own words, shortened to what a user can act on: its connection and timeout messages go on
        // with advice about its own options and a long dump of counters.
        private static string Detail(Exception e) => e switch
        {
            RedisConnectionException c when c.FailureType == ConnectionFailureType.UnableToConnect || c.FailureType == ConnectionFailureType.UnableToResolvePhysicalConnection =>
                "No connection could be made (" + c.FailureType + ").",
            RedisConnectionException c => "The connection failed (" + c.FailureType + ").",
            TimeoutException => "It did not answer within the timeout (syncTimeout).",
            _ => e.Message,
        };

        internal static bool IsAuthentication(Exception e)
        {
            for (Exception? x = e; x != null; x = x.InnerException)
            {
                if (x is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure })
                {
                    return true;
                }

                if (x.Message.Contains("WRONGPASS", StringComparison.Ordinal) || x.Message.Contains("NOAUTH", StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        private static ConfigurationOptions Parse(string text, NetworkCredential? credential)
        {
            ConfigurationOptions configuration;
            try
            {
                configuration = ConfigurationOptions.Parse(text);
            }
            catch (ArgumentException e)
            {
                // The client's message quotes the faulty option; a password is only ever the value of password=.
                throw new ArgumentException("The Redis configuration is not valid: " + Scrub(e.Message, Secrets(null, credential)) +
                    " Use StackExchange.Redis's form, such as 'localhost:6379' or 'redis1:6379,redis2:6379,ssl=true,user=budget'.", nameof(text));
            }

            if (configuration.EndPoints.Count == 0)
            {
                throw new ArgumentException("The Redis configuration names no server: give at least one 'host:port'.", nameof(text));
            }

            if (credential != null)
            {
                if (!string.IsNullOrEmpty(credential.UserName))
                {
                    configuration.User = credential.UserName;
                }

                configuration.Password = credential.Password;
            }

            // Creation must fail clearly when the server is unreachable, not hand out a monitor that retries forever.
            configuration.AbortOnConnectFail = true;
            configuration.ClientName ??= "AgentFlow.Resources";
            return configuration;
        }

        private static Connection Connect(ConfigurationOptions configuration, string[] secrets) =>
            new Connection(ConnectionMultiplexer.Connect(configuration), configuration, Describe(configuration), secrets);

        private static string[] Secrets(ConfigurationOptions? configuration, NetworkCredential? credential)
        {
            var secrets = new List<string>();
            if (!string.IsNullOrEmpty(configuration?.Password))
            {
                secrets.Add(configuration!.Password!);
            }

            if (!string.IsNullOrEmpty(credential?.Password))
            {
                secrets.Add(credential!.Password);
            }

            return secrets.ToArray();
        }

        private static string Scrub(string text, string[] secrets)
        {
            foreach (string secret in secrets)
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }

            return text;
        }
    }

    /// <summary>A connected multiplexer, what messages call its server, and the secrets they must never show.</summary>
    internal sealed class Connection
    {
        private readonly ConfigurationOptions _configuration;

        // 1 from a login found refused until the connection is restored (or a login works again). StackExchange.Redis
        // reconnects in the background and does not report why a reconnection fails: a command only sees "no
        // connection", so a failed command starts a login of its own (CheckLoginInBackground) to find out.
        private int _loginRefused;
        private int _checkingLogin;

        public Connection(ConnectionMultiplexer multiplexer, ConfigurationOptions configuration, string server, string[] secrets)
        {
            Multiplexer = multiplexer;
            _configuration = configuration;
            Server = server;
            Secrets = secrets;
            multiplexer.ConnectionRestored += (_, _) => Volatile.Write(ref _loginRefused, 0);
        }

        public ConnectionMultiplexer Multiplexer { get; }

        public string Server { get; }

        public string[] Secrets { get; }

        /// <summary>A login of its own found the credential refused, and no connection has been restored since.</summary>
        public bool LoginRefused => Volatile.Read(ref _loginRefused) == 1;

        /// <summary>
        /// After a command found no connection: logs in once on a connection of its own, in the background (one check at
        /// a time, so a failing command never waits for it), and notes whether the server refused the credential. The
        /// next failing command then says so (the server's password changed while attached), not "unavailable".
        /// </summary>
        public void CheckLoginInBackground()
        {
            if (Interlocked.Exchange(ref _checkingLogin, 1) == 1)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    ConfigurationOptions check = _configuration.Clone();
                    check.AbortOnConnectFail = true;
                    check.ConnectRetry = 1;
                    using ConnectionMultiplexer login = await ConnectionMultiplexer.ConnectAsync(check).ConfigureAwait(false);
                    Volatile.Write(ref _loginRefused, 0);
                }
                catch (Exception e) when (RedisConnections.IsAuthentication(e))
                {
                    Volatile.Write(ref _loginRefused, 1);
                }
                catch (Exception)
                {
                    // Unreachable or stopped: nothing to learn about the credential.
                }
                finally
                {
                    Volatile.Write(ref _checkingLogin, 0);
                }
            });
        }

        public override string ToString() => Server;
    }
}
