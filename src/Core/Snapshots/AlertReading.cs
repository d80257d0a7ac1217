using System;
using System.Collections.Generic;

namespace AgentFlow.Resources
{
    /// <summary>One queued alert's properties as read; <see cref="ToAlert"/> checks that its type has exactly them.</summary>
    internal sealed class AlertReading
    {
        private static readonly string[] Common = { SnapshotFormat.AlertType, SnapshotFormat.Timestamp, SnapshotFormat.AlertMonitorName };

        private readonly SnapshotReader _reader;
        private readonly string _path;
        private readonly Dictionary<string, object?> _values;

        public AlertReading(SnapshotReader reader, string path, Dictionary<string, object?> values)
        {
            _reader = reader;
            _path = path;
            _values = values;
        }

        public ResourceAlert ToAlert()
        {
            string typeName = (string)Required(SnapshotFormat.AlertType)!;
            if (!Enum.TryParse(typeName, false, out AlertType type) || !Enum.IsDefined(typeof(AlertType), type) || char.IsDigit(typeName[0]))
            {
                throw _reader.Problem(SnapshotProblem.InvalidContent, $"\"{_path}.{SnapshotFormat.AlertType}\" is '{typeName}'; it must be one of {string.Join(", ", Enum.GetNames(typeof(AlertType)))}.");
            }

            var timestamp = (DateTime)Required(SnapshotFormat.Timestamp)!;
            var monitor = (string)Required(SnapshotFormat.AlertMonitorName)!;
            switch (type)
            {
                case AlertType.ApproachingLimit:
                    Only(type, SnapshotFormat.Resource, SnapshotFormat.Percentage, SnapshotFormat.Current, SnapshotFormat.Limit);
                    return new ApproachingLimitAlert(monitor, timestamp, (LimitedResource)Required(SnapshotFormat.Resource)!, (double)Required(SnapshotFormat.Percentage)!,
                        (long)Required(SnapshotFormat.Current)!, (long)Required(SnapshotFormat.Limit)!);
                case AlertType.LimitExceeded:
                    Only(type, SnapshotFormat.Resource, SnapshotFormat.Current, SnapshotFormat.Limit, SnapshotFormat.Key);
                    return new LimitExceededAlert(monitor, timestamp, (LimitedResource)Required(SnapshotFormat.Resource)!, (long)Required(SnapshotFormat.Current)!,
                        (long)Required(SnapshotFormat.Limit)!, (string?)Required(SnapshotFormat.Key));
                case AlertType.CleanupTriggered:
                    Only(type, SnapshotFormat.Freed, SnapshotFormat.EntriesRemoved, SnapshotFormat.Automatic);
                    return new CleanupTriggeredAlert(monitor, timestamp, (long)Required(SnapshotFormat.Freed)!, (int)Required(SnapshotFormat.EntriesRemoved)!,
                        (bool)Required(SnapshotFormat.Automatic)!);
                case AlertType.PredictedExhaustion:
                    Only(type, SnapshotFormat.GrowthRate, SnapshotFormat.TimeToThreshold, SnapshotFormat.Horizon, SnapshotFormat.Current, SnapshotFormat.ThresholdBytes);
                    return new PredictedExhaustionAlert(monitor, timestamp, (double)Required(SnapshotFormat.GrowthRate)!, (TimeSpan)Required(SnapshotFormat.TimeToThreshold)!,
                        (TimeSpan)Required(SnapshotFormat.Horizon)!, (long)Required(SnapshotFormat.Current)!, (long)Required(SnapshotFormat.ThresholdBytes)!);
                default:
                    Only(type, SnapshotFormat.Reason);
                    return new CleanupFailedAlert(monitor, timestamp, (string)Required(SnapshotFormat.Reason)!);
            }
        }

        private object? Required(string name)
        {
            if (!_values.TryGetValue(name, out object? value))
            {
                throw _reader.Problem(SnapshotProblem.InvalidContent, $"\"{_path}\" lacks \"{name}\".");
            }

            return value;
        }

        /// <summary>Every property present belongs to the common ones or to <paramref name="specific"/>.</summary>
        private void Only(AlertType type, params string[] specific)
        {
            foreach (string name in _values.Keys)
            {
                if (Array.IndexOf(Common, name) < 0 && Array.IndexOf(specific, name) < 0)
                {
                    throw _reader.Problem(SnapshotProblem.InvalidContent, $"\"{_path}\" is a {type} alert, which has no \"{name}\"; it has \"{string.Join("\", \"", Common)}\", \"{string.Join("\", \"", specific)}\".");
                }
            }
        }
    }
}
