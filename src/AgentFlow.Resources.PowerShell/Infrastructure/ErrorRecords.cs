using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AgentFlow.Resources.Configuration;
using AgentFlow.Resources.Isolation;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>The stable error IDs of the module (docs/design/module-surface.md).</summary>
    public static class ErrorIds
    {
        public const string StateSizeLimitExceeded = nameof(StateSizeLimitExceeded);
        public const string ValueSizeLimitExceeded = nameof(ValueSizeLimitExceeded);
        public const string CacheEntriesLimitExceeded = nameof(CacheEntriesLimitExceeded);
        public const string AllocationNotFound = nameof(AllocationNotFound);
        public const string NoCurrentMonitor = nameof(NoCurrentMonitor);
        public const string MonitorNotFound = nameof(MonitorNotFound);
        public const string MonitorNameInUse = nameof(MonitorNameInUse);
        public const string InvalidResourceLimits = nameof(InvalidResourceLimits);
        public const string NotSupportedByFastMonitor = nameof(NotSupportedByFastMonitor);
        public const string SizeRequiredForFastMonitor = nameof(SizeRequiredForFastMonitor);
        public const string InvalidAllocationArgument = nameof(InvalidAllocationArgument);
        public const string UnknownLimitsKey = nameof(UnknownLimitsKey);
        public const string InvalidLimitsFile = nameof(InvalidLimitsFile);
        public const string UnsupportedLimitsFile = nameof(UnsupportedLimitsFile);
        public const string LimitsFileReadError = nameof(LimitsFileReadError);
        public const string LimitsFileWriteError = nameof(LimitsFileWriteError);
        public const string NoClobber = nameof(NoClobber);
        public const string FileReadOnly = nameof(FileReadOnly);
        public const string RequiresPowerShell7 = nameof(RequiresPowerShell7);
        public const string DependencyLoadFailed = nameof(DependencyLoadFailed);
        public const string SyncFolderNotFound = nameof(SyncFolderNotFound);
        public const string InvalidKeyPattern = nameof(InvalidKeyPattern);
        public const string FileNotFound = nameof(FileNotFound);
        public const string ExportFailed = nameof(ExportFailed);
        public const string InvalidHistorySettings = nameof(InvalidHistorySettings);
        public const string RedisUnavailable = nameof(RedisUnavailable);
        public const string RedisAuthenticationFailed = nameof(RedisAuthenticationFailed);
        public const string SharedLimitsMismatch = nameof(SharedLimitsMismatch);
        public const string SharedBudgetDeleted = nameof(SharedBudgetDeleted);
        public const string RedisCommandRefused = nameof(RedisCommandRefused);
        public const string InvalidRedisConfiguration = nameof(InvalidRedisConfiguration);
        public const string InvalidStateSnapshot = nameof(InvalidStateSnapshot);
        public const string SnapshotWriteFailed = nameof(SnapshotWriteFailed);
        public const string SnapshotReadFailed = nameof(SnapshotReadFailed);
        public const string SnapshotsNotSupported = nameof(SnapshotsNotSupported);
        public const string NotAFileSystemPath = nameof(NotAFileSystemPath);
    }

    /// <summary>
    /// Builds every error record the cmdlets write. Written through a cmdlet, PowerShell makes the
    /// FullyQualifiedErrorId <c>&lt;ErrorId&gt;,&lt;cmdlet class&gt;</c>. Keys in messages are shown through
    /// <see cref="Wording.Key"/>; the record's target keeps the whole key.
    /// </summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord LimitExceeded(StateMonitor monitor, string key, long size, AllocationResult result)
        {
            (string errorId, string detail, string action) = LimitDetail(result.RejectedResource, result.AttemptedValue, result.Limit);
            var exception = new InvalidOperationException(
                $"Cannot record '{Wording.Key(key)}' ({ByteSize.Format(size)}) in monitor '{monitor.Name}': {detail}. Nothing was changed.");
            return Create(exception, errorId, ErrorCategory.LimitsExceeded, key, action);
        }

        /// <summary>Which limit rejects an allocation, in words: the error ID, what was exceeded, and what to do.</summary>
        public static (string ErrorId, string Detail, string Action) LimitDetail(LimitedResource resource, long attempted, long limit) =>
            resource switch
            {
                LimitedResource.ValueSize => (
                    ErrorIds.ValueSizeLimitExceeded,
                    $"the value is larger than MaxValueSize ({ByteSize.Format(limit)})",
                    "Split the value into smaller parts, or use limits with -EnableStreaming (or a larger -MaxValueSize)."),
                LimitedResource.CacheEntries => (
                    ErrorIds.CacheEntriesLimitExceeded,
                    $"{attempted} entries would exceed MaxCacheEntries ({limit})",
                    "Remove entries (Remove-Allocation, Invoke-ResourceCleanup), unpin some, or raise -MaxCacheEntries."),
                _ => (
                    ErrorIds.StateSizeLimitExceeded,
                    $"{ByteSize.Format(attempted)} would exceed MaxStateSize ({ByteSize.Format(limit)})",
                    "Free space (Invoke-ResourceCleanup, Remove-Allocation), unpin entries, turn on -AutoCleanup, or raise -MaxStateSize."),
            };

        public static ErrorRecord AllocationNotFound(StateMonitor monitor, string key) =>
            Create(
                new ItemNotFoundException($"Monitor '{monitor.Name}' has no allocation with the key '{Wording.Key(key)}'. Keys are case-sensitive."),
                ErrorIds.AllocationNotFound,
                ErrorCategory.ObjectNotFound,
                key,
                "Run Get-Allocation to list the keys.");

        /// <param name="registeredNames">The monitors that exist in the process: with some, this runspace just has none selected.</param>
        public static ErrorRecord NoCurrentMonitor(IReadOnlyList<string> registeredNames)
        {
            // The current monitor is per runspace: a ForEach-Object -Parallel script block, a thread job or any new
            // runspace starts without one, though every registered name still works there.
            string message = registeredNames.Count == 0
                ? "There is no current state monitor in this runspace. Run New-StateMonitor (or Select-StateMonitor) first, or pass -Monitor <name>."
                : "There is no current state monitor in this runspace. The current monitor is kept per runspace, so a ForEach-Object -Parallel "
                  + "script block, a thread job or any new runspace starts without one: pass -Monitor <name> (names work in every runspace), "
                  + $"for example -Monitor '{registeredNames[0]}', or run Select-StateMonitor there. Registered: {string.Join(", ", registeredNames)}.";
            return Create(
                new InvalidOperationException(message),
                ErrorIds.NoCurrentMonitor,
                ErrorCategory.ObjectNotFound,
                null,
                registeredNames.Count == 0 ? "Run New-StateMonitor to create a monitor; it becomes the current one." : "Pass -Monitor <name>.");
        }

        /// <summary>A monitor object whose registration was removed (Remove-StateMonitor) or replaced (New-StateMonitor -Force).</summary>
        public static ErrorRecord MonitorRetired(StateMonitor monitor) =>
            MonitorNotFound(
                monitor.Name,
                $"The state monitor object '{monitor.Name}' was removed (Remove-StateMonitor) or replaced (New-StateMonitor -Force), so it can no longer be used; nothing was changed. "
                + "Use the monitor registered now: -Monitor <name>, or Get-StateMonitor.");

        public static ErrorRecord MonitorNotFound(string name, string? detail = null) =>
            Create(
                new ItemNotFoundException(detail ?? $"No state monitor named '{name}' is registered."),
                ErrorIds.MonitorNotFound,
                ErrorCategory.ObjectNotFound,
                name,
                "Run Get-StateMonitor to list the monitors, or New-StateMonitor to create one.");

        public static ErrorRecord MonitorNameInUse(string name) =>
            Create(
                new InvalidOperationException($"A state monitor named '{name}' already exists. Use another -Name, or -Force to replace it."),
                ErrorIds.MonitorNameInUse,
                ErrorCategory.ResourceExists,
                name,
                "Use another -Name, or add -Force to replace the existing monitor.");

        public static ErrorRecord InvalidResourceLimits(IReadOnlyList<string> problems, object? target) =>
            Create(
                new ArgumentException("The resource limits are invalid: " + string.Join(" ", problems)),
                ErrorIds.InvalidResourceLimits,
                ErrorCategory.InvalidArgument,
                target,
                "Correct the values named above; Test-ResourceLimits -Detailed lists every problem.");

        public static ErrorRecord NotSupportedByFastMonitor(StateMonitor monitor, string operation) =>
            Create(
                new NotSupportedException($"Monitor '{monitor.Name}' is a fast monitor: it keeps no per-key data, so it cannot {operation}."),
                ErrorIds.NotSupportedByFastMonitor,
                ErrorCategory.InvalidOperation,
                monitor,
                "Create the monitor without -Fast to use LRU order, pins and cleanup.");

        public static ErrorRecord SizeRequiredForFastMonitor(StateMonitor monitor, string key) =>
            Create(
                new ArgumentException($"Monitor '{monitor.Name}' is a fast monitor: it does not know the size of '{Wording.Key(key)}', so Remove-Allocation needs -Size."),
                ErrorIds.SizeRequiredForFastMonitor,
                ErrorCategory.InvalidArgument,
                key,
                "Pass -Size with the size that was recorded.");

        /// <summary>The engine's refusal of an argument, with its message as a plain sentence (no "(Parameter 'key')" suffix).</summary>
        public static ErrorRecord InvalidAllocationArgument(ArgumentException exception, object? target) =>
            Create(new ArgumentException(PlainMessage(exception), exception), ErrorIds.InvalidAllocationArgument, ErrorCategory.InvalidArgument, target, null);

        /// <summary>A key the engine would refuse (<see cref="AllocationKey.Problem"/>), caught before any engine call.</summary>
        public static ErrorRecord InvalidKey(string problem, string? key) =>
            Create(new ArgumentException(problem), ErrorIds.InvalidAllocationArgument, ErrorCategory.InvalidArgument, key, null);

        public static ErrorRecord InvalidKeyPattern(string pattern, Exception reason) =>
            Create(
                new ArgumentException($"'{Wording.Key(pattern)}' is not a valid wildcard pattern: {reason.Message} Escape the wildcard characters * ? [ ] with a backtick (`[), or use -LiteralKey to match the key exactly.", reason),
                ErrorIds.InvalidKeyPattern,
                ErrorCategory.InvalidArgument,
                pattern,
                "Use -LiteralKey, or escape the pattern with [WildcardPattern]::Escape().");

        public static ErrorRecord FileNotFound(System.IO.FileSystemInfo file) =>
            Create(
                new System.IO.FileNotFoundException($"The file '{Wording.Key(file.FullName)}' does not exist, so it has no length to record. Nothing was changed.", file.FullName),
                ErrorIds.FileNotFound,
                ErrorCategory.ObjectNotFound,
                file,
                "Check the path; Get-ChildItem -File passes only files that exist.");

        /// <summary>A monitor deserialized from another process (Start-Job, Invoke-Command): only a property bag of the original.</summary>
        public static string DeserializedMonitorMessage(string? name) =>
            $"The state monitor{(name == null ? string.Empty : $" '{name}'")} is a deserialized copy from another process (Start-Job, Invoke-Command, Import-Clixml): "
            + "monitors do not cross process boundaries, so it holds no live state. In that process, use the monitor there; to move its state, "
            + "use Export-StateMonitor and Import-StateMonitor; to share one budget between processes, use a shared (Redis) monitor.";

        // ArgumentException.Message appends the parameter name ("(Parameter 'key')" on .NET, "Parameter name: key"
        // on .NET Framework) and ArgumentOutOfRangeException the actual value: keep only the sentence itself.
        private static string PlainMessage(ArgumentException exception)
        {
            string message = exception.Message;
            if (exception.ParamName != null)
            {
                string suffix = new ArgumentException(string.Empty, exception.ParamName).Message;
                int at = message.IndexOf(suffix, StringComparison.Ordinal);
                if (at > 0)
                {
                    message = message.Substring(0, at);
                }
            }

            return message.TrimEnd();
        }

        public static ErrorRecord UnknownLimitsKey(string path, LimitsProblem problem) =>
            Create(
                new InvalidDataException($"'{path}' line {problem.Line}: {problem.Message}"),
                ErrorIds.UnknownLimitsKey,
                ErrorCategory.InvalidData,
                problem.Key,
                $"Use '{problem.Suggestion}' or another limit name: {string.Join(", ", LimitsDocument.KeyNames)} (or the New-ResourceLimits parameter names, in any case).");

        public static ErrorRecord InvalidResourceLimits(string path, IEnumerable<LimitsProblem> problems) =>
            Create(
                new InvalidDataException($"The resource limits in '{path}' are invalid:" + string.Concat(problems.Select(p => "\n  " + p))),
                ErrorIds.InvalidResourceLimits,
                ErrorCategory.InvalidData,
                path,
                "Correct the values on the lines named above.");

        public static ErrorRecord InvalidLimitsFile(string path, string format, IEnumerable<LimitsProblem> problems) =>
            Create(
                new InvalidDataException($"'{path}' is not a {format} limits file: " + string.Join(" ", problems.Select(p => p.ToString()))),
                ErrorIds.InvalidLimitsFile,
                ErrorCategory.InvalidData,
                path,
                "Write the limits as a mapping of limit names to values, under resource_limits: or workflow: resource_limits:, or at the top of the file.");

        public static ErrorRecord UnsupportedLimitsFile(string path, string reason) =>
            Create(
                new ArgumentException($"Cannot use '{path}' as a limits file: {reason}"),
                ErrorIds.UnsupportedLimitsFile,
                ErrorCategory.InvalidArgument,
                path,
                $"Use a file system path ending in {LimitsFileFormats.Accepted}.");

        public static ErrorRecord LimitsFileReadError(string path, Exception exception) =>
            Create(new IOException($"Cannot read '{path}': {exception.Message}", exception), ErrorIds.LimitsFileReadError, ErrorCategory.ReadError, path, null);

        public static ErrorRecord LimitsFileWriteError(string path, Exception exception) =>
            Create(new IOException($"Cannot write '{path}': {exception.Message} The file was not changed.", exception), ErrorIds.LimitsFileWriteError, ErrorCategory.WriteError, path, null);

        public static ErrorRecord NoClobber(string path) =>
            Create(
                new IOException($"The file '{path}' already exists, and -NoClobber was given: it was not changed."),
                ErrorIds.NoClobber,
                ErrorCategory.ResourceExists,
                path,
                "Leave out -NoClobber to replace the file, or write to another path.");

        public static ErrorRecord FileReadOnly(string path) =>
            Create(
                new UnauthorizedAccessException($"The file '{path}' is read-only: it was not changed."),
                ErrorIds.FileReadOnly,
                ErrorCategory.PermissionDenied,
                path,
                "Add -Force to replace a read-only file.");

        public static ErrorRecord IsolatedComponent(IsolatedComponentException exception) =>
            exception.Failure == IsolatedComponentFailure.NotSupported
                ? Create(exception, ErrorIds.RequiresPowerShell7, ErrorCategory.NotImplemented, exception.Component,
                    "Run the command in PowerShell 7 (pwsh). The rest of the module, JSON and .psd1 limits files included, works in Windows PowerShell 5.1 too.")
                : Create(exception, ErrorIds.DependencyLoadFailed, ErrorCategory.ResourceUnavailable, exception.Component,
                    "Reinstall the module: its dependencies folder is incomplete.");

        public static ErrorRecord SyncFolderNotFound(string path, string resolvedPath) =>
            Create(
                new ItemNotFoundException($"Cannot sync '{path}': the folder '{resolvedPath}' does not exist. Sync-Allocation -Path takes a folder of the file system. Nothing was changed."),
                ErrorIds.SyncFolderNotFound,
                ErrorCategory.ObjectNotFound,
                path,
                "Pass an existing folder; Remove-Allocation removes the entries of a folder that no longer exists.");

        public static ErrorRecord ExportFailed(Exception exception, string path) =>
            Create(
                new IOException($"Cannot write '{path}': {exception.Message} Nothing was written there.", exception),
                ErrorIds.ExportFailed,
                ErrorCategory.WriteError,
                path,
                "Check that the folder exists and that you may write to it.");

        public static ErrorRecord InvalidHistorySettings(ArgumentException exception, object? target) =>
            Create(exception, ErrorIds.InvalidHistorySettings, ErrorCategory.InvalidArgument, target, "Use -HistoryInterval of at least 1 millisecond and -HistoryLength from 0 to 1000000.");

        /// <summary>A shared (Redis) store failed; the message names the server and never a password.</summary>
        public static ErrorRecord SharedStore(SharedStoreException exception, object? target) =>
            exception.Failure switch
            {
                SharedStoreFailure.AuthenticationFailed => Create(exception, ErrorIds.RedisAuthenticationFailed, ErrorCategory.AuthenticationError, target,
                    "Pass the ACL user and password with -Credential (Get-Credential), or check the server's ACL."),
                SharedStoreFailure.LimitsMismatch => Create(exception, ErrorIds.SharedLimitsMismatch, ErrorCategory.InvalidOperation, target,
                    "Omit -Limits and -MaxAlerts to attach with the stored ones, or add -Force to replace them for every process attached."),
                SharedStoreFailure.BudgetDeleted => Create(exception, ErrorIds.SharedBudgetDeleted, ErrorCategory.ResourceUnavailable, target,
                    "Run New-StateMonitor -Redis again to create the budget anew."),
                SharedStoreFailure.CommandRefused => Create(exception, ErrorIds.RedisCommandRefused, ErrorCategory.PermissionDenied, target,
                    "Allow the user EVALSHA, EVAL, SCRIPT LOAD and the budget's keys (for example '~agentflow:*') in the server's ACL."),
                _ => Create(exception, ErrorIds.RedisUnavailable, ErrorCategory.ConnectionError, target,
                    "Check that the Redis server runs and is reachable at the configured endpoints; the configuration's connectTimeout and syncTimeout bound the wait."),
            };

        /// <summary>The -Redis configuration string could not be read.</summary>
        public static ErrorRecord InvalidRedisConfiguration(ArgumentException exception, object? target) =>
            Create(exception, ErrorIds.InvalidRedisConfiguration, ErrorCategory.InvalidArgument, target,
                "Give StackExchange.Redis's configuration form, such as 'localhost:6379' or 'redis1:6379,redis2:6379,ssl=true', and the password with -Credential.");
        public static ErrorRecord InvalidStateSnapshot(InvalidSnapshotException exception) =>
            Create(
                exception,
                ErrorIds.InvalidStateSnapshot,
                ErrorCategory.InvalidData,
                exception.Path,
                "Nothing was imported. Use a file written by Export-StateMonitor and not changed since (it carries a SHA-256 checksum of its content), or export the monitor again.");

        public static ErrorRecord InvalidStateSnapshot(string path, string detail) =>
            InvalidStateSnapshot(new InvalidSnapshotException(path, SnapshotProblem.InvalidContent, detail));

        public static ErrorRecord SnapshotWriteFailed(string path, Exception exception) =>
            Create(
                new IOException($"Cannot write the state snapshot '{path}': {exception.Message} Any existing file is unchanged.", exception),
                ErrorIds.SnapshotWriteFailed,
                ErrorCategory.WriteError,
                path,
                "Check that the folder exists and can be written to.");

        public static ErrorRecord SnapshotReadFailed(string path, Exception exception) =>
            Create(
                new IOException($"Cannot read the state snapshot '{path}': {exception.Message}", exception),
                ErrorIds.SnapshotReadFailed,
                ErrorCategory.ReadError,
                path,
                "Check that the path is a file you can read.");

        public static ErrorRecord SnapshotsNotSupported(StateMonitor monitor) =>
            Create(
                new NotSupportedException($"The {monitor.Store.Kind} store of monitor '{monitor.Name}' cannot export its state to a file."),
                ErrorIds.SnapshotsNotSupported,
                ErrorCategory.InvalidOperation,
                monitor,
                null);

        public static ErrorRecord SnapshotsRequirePowerShell7(Exception exception) =>
            Create(
                new NotSupportedException($"State snapshots need PowerShell 7 or later, whose .NET includes System.Text.Json; this host could not load it ({exception.Message}).", exception),
                ErrorIds.RequiresPowerShell7,
                ErrorCategory.NotImplemented,
                null,
                "Run the command in PowerShell 7 (pwsh). Everything else in the module works in Windows PowerShell 5.1.");

        public static ErrorRecord NotAFileSystemPath(string path, string provider) =>
            Create(
                new ArgumentException($"The path '{path}' is on the {provider} provider; a state snapshot is a file, so give a file system path."),
                ErrorIds.NotAFileSystemPath,
                ErrorCategory.InvalidArgument,
                path,
                null);

        private static ErrorRecord Create(Exception exception, string errorId, ErrorCategory category, object? target, string? recommendedAction)
        {
            var record = new ErrorRecord(exception, errorId, category, target);
            if (recommendedAction != null)
            {
                record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = recommendedAction };
            }

            return record;
        }
    }
}
