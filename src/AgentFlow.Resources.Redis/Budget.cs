using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace AgentFlow.Resources.Redis
{
    /// <summary>
    /// One shared budget in Redis: its keys under one hash-tagged prefix (<c>agentflow:{name}:...</c>, one cluster
    /// slot) and its operations, each one call of the operation's script (<see cref="BudgetScripts"/>) by SHA (EVALSHA),
    /// with the script sent again (EVAL, which also caches it) when the server answers NOSCRIPT after a restart or
    /// SCRIPT FLUSH.
    /// </summary>
    internal sealed class Budget
    {
        private readonly RedisKey[] _keys;

        // The server's clock minus ours, in microseconds, so that a call's deadline is given in the server's clock.
        private long _serverClockOffset;

        public Budget(Connection connection, string prefix, string name)
        {
            Connection = connection;
            Database = connection.Multiplexer.GetDatabase();
            // Monitor names are case-insensitive, so the budget's keys use the name in lower case.
            string root = prefix + ":{" + name.ToLowerInvariant() + "}:";
            Prefix = root;
            Meta = root + "meta";
            Counters = root + "counters";
            Entries = root + "entries";
            Lru = root + "lru";
            Pinned = root + "pinned";
            Alerts = root + "alerts";
            _keys = new[] { Meta, Counters, Entries, Lru, Pinned, Alerts };
        }

        public Connection Connection { get; }

        public IDatabase Database { get; }

        /// <summary>The hash-tagged prefix every key of the budget starts with.</summary>
        public string Prefix { get; }

        public RedisKey Meta { get; }

        public RedisKey Counters { get; }

        public RedisKey Entries { get; }

        public RedisKey Lru { get; }

        public RedisKey Pinned { get; }

        public RedisKey Alerts { get; }

        /// <summary>Every key of the budget.</summary>
        public RedisKey[] AllKeys => (RedisKey[])_keys.Clone();

        /// <summary>Runs one operation's script atomically; <paramref name="arguments"/> follow the operation and the time.</summary>
        public RedisResult Run(string operation, params RedisValue[] arguments)
        {
            BudgetScript script = BudgetScripts.For(operation);
            RedisValue[] values = Values(operation, arguments);
            return Call(() =>
            {
                try
                {
                    return Wait(Database.ScriptEvaluateAsync(script.Sha, _keys, values));
                }
                catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
                {
                    return Wait(Database.ScriptEvaluateAsync(script.Text, _keys, values));
                }
            }, operation);
        }

        /// <summary>
        /// Runs one operation per argument list, pipelined: every call is sent before any reply is awaited. Calls that
        /// found the script missing (NOSCRIPT: they changed nothing) are sent again with EVAL, in order.
        /// </summary>
        public RedisResult[] RunMany(string operation, RedisValue[][] arguments)
        {
            BudgetScript script = BudgetScripts.For(operation);
            return Call(() =>
            {
                var calls = new Task<RedisResult>[arguments.Length];
                var values = new RedisValue[arguments.Length][];
                for (int i = 0; i < calls.Length; i++)
                {
                    values[i] = Values(operation, arguments[i]);
                    calls[i] = Database.ScriptEvaluateAsync(script.Sha, _keys, values[i]);
                }

                var replies = new RedisResult[calls.Length];
                for (int i = 0; i < calls.Length; i++)
                {
                    try
                    {
                        // Each wait starts after the call was sent, so it never gives up before the call's deadline.
                        replies[i] = Wait(calls[i]);
                    }
                    catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
                    {
                        replies[i] = null!;
                    }
                }

                for (int i = 0; i < replies.Length; i++)
                {
                    replies[i] ??= Wait(Database.ScriptEvaluateAsync(script.Text, _keys, values[i]));
                }

                return replies;
            }, operation);
        }

        /// <summary>Sends a plain command (a read of one key, or a delete) and waits for its reply, with the same failure translation.</summary>
        public T Call<T>(Func<IDatabase, Task<T>> command, string doing) => Call(() => Wait(command(Database)), doing);

        /// <summary>Sends two plain commands at once and waits for both replies: one round trip, the same failure translation.</summary>
        public (T1 First, T2 Second) Call<T1, T2>(Func<IDatabase, Task<T1>> first, Func<IDatabase, Task<T2>> second, string doing) =>
            Call(() =>
            {
                Task<T1> one = first(Database);
                Task<T2> two = second(Database);
                T1 firstReply;
                try
                {
                    firstReply = Wait(one);
                }
                catch
                {
                    _ = two.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                    throw;
                }

                return (firstReply, Wait(two));
            }, doing);

        /// <summary>Runs a command with the failure translation: the client's exceptions become <see cref="SharedStoreException"/>s.</summary>
        public T Call<T>(Func<T> command, string doing)
        {
            try
            {
                return command();
            }
            catch (Exception e)
            {
                if (e is RedisConnectionException)
                {
                    Connection.CheckLoginInBackground();
                }

                throw RedisConnections.Translate(e, Connection.Secrets, Connection.Server, Describe(doing), Connection.LoginRefused);
            }
        }

        /// <summary>
        /// Waits for one reply, at most the configuration's syncTimeout. Every call waits here (single calls, the pipelined
        /// run's replies, the scripts' loading), so every wait is bounded and fails the same way. Single calls go here rather than
        /// the client's synchronous methods: those block on a monitor at once, so a reply that comes a few microseconds
        /// after the floor's pays a whole thread wake-up (measured: a replace 75-91 µs synchronously, 62-70 µs through
        /// the task, on the same connection; docs/performance.md). Waiting on the task spins briefly before it blocks.
        /// Like the synchronous call, it holds the calling thread until the reply has been read by the client's reader;
        /// the client's own documentation says the two are alike in that (a caller on a starved thread pool waits on both).
        /// </summary>
        private T Wait<T>(Task<T> reply)
        {
            if (!reply.IsCompleted)
            {
                bool answered;
                try
                {
                    answered = reply.Wait(Connection.Multiplexer.TimeoutMilliseconds);
                }
                catch (AggregateException)
                {
                    answered = true; // faulted: GetResult below throws the client's own exception, not the aggregate
                }

                if (!answered)
                {
                    // The client fails the call itself later (asyncTimeout); observe that so it is not reported as unobserved.
                    _ = reply.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                    string waited = Connection.Multiplexer.TimeoutMilliseconds.ToString(CultureInfo.InvariantCulture);

                    // As the client's synchronous call reports it: a call that waited for a connection that never came
                    // failed for want of a connection (which starts the check of the credential), not on a slow server.
                    throw Connection.Multiplexer.IsConnected
                        ? new TimeoutException("No reply within syncTimeout (" + waited + " ms).")
                        : new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "No connection became available within syncTimeout (" + waited + " ms).");
                }
            }

            return reply.GetAwaiter().GetResult();
        }

        /// <summary>Loads every operation's script on every primary, so the first operation already runs by SHA, and reads the server's clock.</summary>
        public void LoadScript()
        {
            Call(() =>
            {
                RedisResult[] time = (RedisResult[])Wait(Database.ExecuteAsync("TIME"))!;
                long serverClock = ((long)time[0] * 1_000_000) + (long)time[1];
                _serverClockOffset = serverClock - UnixMicroseconds();
                foreach (IServer server in Connection.Multiplexer.GetServers())
                {
                    if (server.IsConnected && !server.IsReplica)
                    {
                        // All sent before any reply is awaited: one round trip, not one per operation.
                        Wait(Task.WhenAll(BudgetScripts.All.Select(script => server.ScriptLoadAsync(script.Text))));
                    }
                }

                return true;
            }, "load");
        }

        // The script's arguments: the operation, the caller's time, the deadline, then the operation's own.
        private RedisValue[] Values(string operation, RedisValue[] arguments)
        {
            var values = new RedisValue[arguments.Length + 3];
            values[0] = operation;
            values[1] = DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture);
            values[2] = Deadline();
            Array.Copy(arguments, 0, values, 3, arguments.Length);
            return values;
        }

        private static long UnixMicroseconds() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;

        // When the caller gives up (the client's synchronous timeout), in the server's clock: the script refuses to
        // run after it, so a call reported as failed never changes the state later.
        private string Deadline() =>
            (UnixMicroseconds() + _serverClockOffset + ((long)Connection.Multiplexer.TimeoutMilliseconds * 1000)).ToString(CultureInfo.InvariantCulture);

        private static string Describe(string operation) => operation switch
        {
            "add" or "fadd" => "record an allocation in",
            "remove" or "fremove" => "remove an allocation from",
            "touch" => "record an access in",
            "pin" => "pin or unpin in",
            "cleanup" or "fcleanup" => "clean up",
            "plan" => "plan a cleanup of",
            "drain" => "drain the alerts of",
            "attach" => "attach to",
            _ => operation.Contains(' ', StringComparison.Ordinal) ? operation : "read",
        };
    }
}
