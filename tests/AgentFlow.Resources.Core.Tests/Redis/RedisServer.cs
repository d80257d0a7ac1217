using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>
    /// A real redis-server (Debian's package, which build.ps1 Test installs when missing) on a free loopback port with
    /// a temporary directory, started for the tests that need it and stopped (directory and all) when disposed.
    /// </summary>
    public sealed class RedisServer : IDisposable
    {
        private readonly Process _process;

        private RedisServer(int port, string directory, Process process)
        {
            Port = port;
            Directory = directory;
            _process = process;
        }

        public int Port { get; }

        public string Directory { get; }

        public int ProcessId => _process.Id;

        /// <summary>The StackExchange.Redis configuration string of this server.</summary>
        public string Configuration => $"127.0.0.1:{Port}";

        /// <summary>Starts a server; <paramref name="extraArguments"/> are redis-server options such as "--appendonly yes".</summary>
        public static RedisServer Start(params string[] extraArguments)
        {
            string directory = Path.Combine(Path.GetTempPath(), "agentflow-redis-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(directory);
            int port = FreePort();
            var info = new ProcessStartInfo("redis-server")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string a in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", directory, "--save", "", "--daemonize", "no", "--logfile", Path.Combine(directory, "redis.log") })
            {
                info.ArgumentList.Add(a);
            }

            foreach (string a in extraArguments)
            {
                foreach (string part in a.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    info.ArgumentList.Add(part);
                }
            }

            Process process;
            try
            {
                process = Process.Start(info)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("redis-server is not installed: install Debian's package (apt-get install redis-server); build.ps1 Test does it when run as root.", e);
            }

            var server = new RedisServer(port, directory, process);
            server.WaitUntilReady();
            return server;
        }

        /// <summary>Starts the server again on the same port and directory (after <see cref="Kill"/>).</summary>
        public RedisServer Restart(params string[] extraArguments)
        {
            var info = _process.StartInfo;
            var process = Process.Start(info)!;
            var server = new RedisServer(Port, Directory, process);
            server.WaitUntilReady();
            return server;
        }

        /// <summary>Sends a raw command (no password) and returns the first line of the reply.</summary>
        public string Command(params string[] parts) => AuthenticatedCommand(null, parts);

        /// <summary>Logs in with <paramref name="password"/> (when not null), sends a raw command, returns the first line of its reply.</summary>
        public string AuthenticatedCommand(string? password, params string[] parts)
        {
            // Bounded: a command sent to a stopped server fails its test instead of hanging the run.
            using var client = new TcpClient { ReceiveTimeout = 30_000, SendTimeout = 30_000 };
            client.Connect(IPAddress.Loopback, Port);
            using NetworkStream stream = client.GetStream();
            if (password != null)
            {
                string login = Send(stream, new[] { "AUTH", password });
                if (login != "+OK")
                {
                    throw new InvalidOperationException("AUTH was refused: " + login);
                }
            }

            return Send(stream, parts);
        }

        private static string Send(NetworkStream stream, string[] parts)
        {
            var request = new StringBuilder("*" + parts.Length + "\r\n");
            foreach (string p in parts)
            {
                request.Append('$').Append(Encoding.UTF8.GetByteCount(p)).Append("\r\n").Append(p).Append("\r\n");
            }

            byte[] bytes = Encoding.UTF8.GetBytes(request.ToString());
            stream.Write(bytes, 0, bytes.Length);
            var reply = new StringBuilder();
            int b;
            while ((b = stream.ReadByte()) >= 0 && b != '\n')
            {
                reply.Append((char)b);
            }

            return reply.ToString().TrimEnd('\r');
        }

        public void Signal(string signal)
        {
            using Process kill = Process.Start("kill", new[] { "-" + signal, ProcessId.ToString() })!;
            kill.WaitForExit();
        }

        /// <summary>kill -9: no shutdown, no final save.</summary>
        public void Kill()
        {
            _process.Kill();
            _process.WaitForExit();
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    Signal("CONT");
                    _process.Kill();
                    _process.WaitForExit();
                }
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        private void WaitUntilReady()
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                try
                {
                    // A server started with --requirepass answers NOAUTH: it is up all the same.
                    string reply = Command("PING");
                    if (reply == "+PONG" || reply.StartsWith("-NOAUTH", StringComparison.Ordinal))
                    {
                        return;
                    }

                    if (DateTime.UtcNow > deadline)
                    {
                        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within 20 s (last reply: {reply}).");
                    }
                }
                catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
                {
                }
                catch (IOException) when (DateTime.UtcNow < deadline && !_process.HasExited)
                {
                }

                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"redis-server exited at start (code {_process.ExitCode}): {_process.StandardError.ReadToEnd()} {_process.StandardOutput.ReadToEnd()}");
                }

                Thread.Sleep(20);
            }
        }
    }
}
