using System;

namespace AgentFlow.Resources
{
    /// <summary>Copies of alerts with another monitor name: restored alerts belong to the monitor they are restored into.</summary>
    internal static class AlertCopy
    {
        public static ResourceAlert WithMonitorName(ResourceAlert alert, string monitorName)
        {
            switch (alert)
            {
                case ApproachingLimitAlert a:
                    return new ApproachingLimitAlert(monitorName, a.Timestamp, a.Resource, a.Percentage, a.Current, a.Limit);
                case LimitExceededAlert a:
                    return new LimitExceededAlert(monitorName, a.Timestamp, a.Resource, a.Current, a.Limit, a.Key);
                case CleanupTriggeredAlert a:
                    return new CleanupTriggeredAlert(monitorName, a.Timestamp, a.Freed, a.EntriesRemoved, a.Automatic);
                case CleanupFailedAlert a:
                    return new CleanupFailedAlert(monitorName, a.Timestamp, a.Reason);
                case PredictedExhaustionAlert a:
                    return new PredictedExhaustionAlert(monitorName, a.Timestamp, a.GrowthRate, a.TimeToThreshold, a.Horizon, a.Current, a.ThresholdBytes);
                default:
                    throw new ArgumentException($"Unknown kind of alert: {alert?.GetType().Name ?? "null"}.", nameof(alert));
            }
        }
    }
}
