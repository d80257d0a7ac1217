using System;
using System.Collections.Generic;
using System.Management.Automation;

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
    }

    /// <summary>
    /// Builds every error record the cmdlets write. Written through a cmdlet, PowerShell makes the
    /// FullyQualifiedErrorId <c>&lt;ErrorId&gt;,&lt;cmdlet class&gt;</c>.
    /// </summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord LimitExceeded(StateMonitor monitor, string key, long size, AllocationResult result)
        {
            string errorId;
            string detail;
            string action;
            switch (result.RejectedResource)
            {
                case LimitedResource.ValueSize:
                    errorId = ErrorIds.ValueSizeLimitExceeded;
                    detail = $"the value is larger than MaxValueSize ({ByteSize.Format(result.Limit)})";
                    action = "Split the value into smaller parts, or use limits with -EnableStreaming (or a larger -MaxValueSize).";
                    break;
                case LimitedResource.CacheEntries:
                    errorId = ErrorIds.CacheEntriesLimitExceeded;
                    detail = $"{result.AttemptedValue} entries would exceed MaxCacheEntries ({result.Limit})";
                    action = "Remove entries (Remove-Allocation, Invoke-ResourceCleanup), unpin some, or raise -MaxCacheEntries.";
                    break;
                default:
                    errorId = ErrorIds.StateSizeLimitExceeded;
                    detail = $"{ByteSize.Format(result.AttemptedValue)} would exceed MaxStateSize ({ByteSize.Format(result.Limit)})";
                    action = "Free space (Invoke-ResourceCleanup, Remove-Allocation), unpin entries, turn on -AutoCleanup, or raise -MaxStateSize.";
                    break;
            }

            var exception = new InvalidOperationException(
                $"Cannot record '{key}' ({ByteSize.Format(size)}) in monitor '{monitor.Name}': {detail}. Nothing was changed.");
            return Create(exception, errorId, ErrorCategory.LimitsExceeded, key, action);
        }

        public static ErrorRecord AllocationNotFound(StateMonitor monitor, string key) =>
            Create(
                new ItemNotFoundException($"Monitor '{monitor.Name}' has no allocation with the key '{key}'. Keys are case-sensitive."),
                ErrorIds.AllocationNotFound,
                ErrorCategory.ObjectNotFound,
                key,
                "Run Get-Allocation to list the keys.");

        public static ErrorRecord NoCurrentMonitor() =>
            Create(
                new InvalidOperationException("There is no current state monitor in this session. Run New-StateMonitor (or Select-StateMonitor) first, or pass -Monitor."),
                ErrorIds.NoCurrentMonitor,
                ErrorCategory.ObjectNotFound,
                null,
                "Run New-StateMonitor to create a monitor; it becomes the current one.");

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
                new ArgumentException($"Monitor '{monitor.Name}' is a fast monitor: it does not know the size of '{key}', so Remove-Allocation needs -Size."),
                ErrorIds.SizeRequiredForFastMonitor,
                ErrorCategory.InvalidArgument,
                key,
                "Pass -Size with the size that was recorded.");

        public static ErrorRecord InvalidAllocationArgument(ArgumentException exception, object? target) =>
            Create(exception, ErrorIds.InvalidAllocationArgument, ErrorCategory.InvalidArgument, target, null);

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
