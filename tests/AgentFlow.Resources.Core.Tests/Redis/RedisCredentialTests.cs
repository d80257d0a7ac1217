using System;
using System.Diagnostics;
using System.Threading;
using AgentFlow.Resources.Redis;
using Xunit;
using static AgentFlow.Resources.Core.Tests.TestSupport;

namespace AgentFlow.Resources.Core.Tests
{
    /// <summary>A server whose password changes while a budget is attached: each test starts its own redis-server.</summary>
    public sealed class RedisCredentialTests
    {
        [Fact]
        public void A_password_changed_on_the_server_while_attached_is_reported_as_an_authentication_failure()
        {
            const string First = "first-Secret-7f3a", Second = "second-Secret-91c2";
            using RedisServer server = RedisServer.Start("--requirepass " + First);
            var options = new RedisStoreOptions($"{server.Configuration},password={First},syncTimeout=2000,connectTimeout=2000", "credential-change")
            {
                Limits = Limits(state: 1000, value: 500),
            };
            var monitor = new StateMonitor(new RedisStoreProvider().Open(options));
            Assert.True(monitor.RecordAllocation("a", 100));

            // The password changes and the connections drop (as after a restart): the client must log in again, with
            // the old password.
            Assert.Equal("+OK", server.AuthenticatedCommand(First, "CONFIG", "SET", "requirepass", Second));
            Assert.StartsWith(":", server.AuthenticatedCommand(Second, "CLIENT", "KILL", "TYPE", "normal"), StringComparison.Ordinal);

            // The first calls after the drop may meet the closed socket itself (Unavailable); once the client has tried
            // to log in again, every call must say why it cannot: the credential.
            SharedStoreException failure = FailureOnceSettled(() => monitor.RecordAllocation("b", 100));
            Assert.Equal(SharedStoreFailure.AuthenticationFailed, failure.Failure);
            Assert.Contains("refused the user name or password", failure.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(First, failure.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Second, failure.ToString(), StringComparison.Ordinal);
            Assert.Equal(SharedStoreFailure.AuthenticationFailed, Assert.Throws<SharedStoreException>(() => monitor.CurrentSize).Failure);

            // Nothing was recorded by the refused calls: with the password back, the budget holds what it held.
            Assert.Equal("+OK", server.AuthenticatedCommand(Second, "CONFIG", "SET", "requirepass", First));
            SpinUntil(() => Succeeds(() => monitor.CurrentSize));
            Assert.Equal(100, monitor.CurrentSize);
            Assert.Equal(new[] { "a" }, monitor.GetLruKeys(10));

            // Its server is stopped with the test: collected now, the monitor leaves the process-wide meter's list.
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        // Calls until a failure other than Unavailable, for at most 20 seconds.
        private static SharedStoreException FailureOnceSettled(Action call)
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                SharedStoreException e = Assert.Throws<SharedStoreException>(call);
                if (e.Failure != SharedStoreFailure.Unavailable || watch.Elapsed > TimeSpan.FromSeconds(20))
                {
                    return e;
                }

                Thread.Sleep(100);
            }
        }

        private static bool Succeeds(Func<long> read)
        {
            try
            {
                read();
                return true;
            }
            catch (SharedStoreException)
            {
                return false;
            }
        }

        private static void SpinUntil(Func<bool> condition) =>
            Assert.True(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(20)), "the budget did not answer again within 20 s");
    }
}
