using System;
using System.Globalization;

namespace AgentFlow.Resources.Redis
{
    /// <summary>
    /// Alerts as the shared queue holds them: one line of '|'-separated fields, the caller's time first, then the
    /// type and its numbers (a key, which may contain '|', always last). The script only records numbers; the
    /// messages are written here, in the same words as the in-process stores, so an alert raised by one host reads
    /// the same when another host drains it.
    /// </summary>
    internal static class AlertRecords
    {
        public static ResourceAlert Decode(string record, string monitorName)
        {
            string[] head = record.Split('|', 3);
            var time = new DateTime(long.Parse(head[0], CultureInfo.InvariantCulture), DateTimeKind.Utc);
            string rest = head.Length > 2 ? head[2] : string.Empty;
            switch (head[1])
            {
                case "A":
                {
                    string[] f = rest.Split('|');
                    long current = Reply.Long(f[1]);
                    long limit = Reply.Long(f[2]);
                    return new ApproachingLimitAlert(monitorName, time, Resource(f[0]), (double)current / limit, current, limit);
                }

                case "L":
                {
                    string[] f = rest.Split('|', 4);
                    return new LimitExceededAlert(monitorName, time, Resource(f[0]), Reply.Long(f[1]), Reply.Long(f[2]), f[3]);
                }

                case "T":
                {
                    string[] f = rest.Split('|');
                    return new CleanupTriggeredAlert(monitorName, time, Reply.Long(f[0]), (int)Reply.Long(f[1]), f[2] == "1");
                }

                case "P":
                {
                    string[] f = rest.Split('|');
                    return new PredictedExhaustionAlert(
                        monitorName, time, double.Parse(f[0], NumberStyles.Float, CultureInfo.InvariantCulture), new TimeSpan(Reply.Long(f[1])), new TimeSpan(Reply.Long(f[2])), Reply.Long(f[3]), Reply.Long(f[4]));
                }

                default:
                    return new CleanupFailedAlert(monitorName, time, CleanupFailure(rest));
            }
        }

        /// <summary>
        /// The record of an alert the script did not raise (one restored from a snapshot, or published by the monitor):
        /// numbers where the type has them, the message otherwise.
        /// </summary>
        public static string Encode(ResourceAlert alert)
        {
            string time = alert.Timestamp.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);
            return alert switch
            {
                ApproachingLimitAlert a => $"{time}|A|{Code(a.Resource)}|{N(a.Current)}|{N(a.Limit)}",
                LimitExceededAlert l => $"{time}|L|{Code(l.Resource)}|{N(l.Current)}|{N(l.Limit)}|{l.Key}",
                CleanupTriggeredAlert t => $"{time}|T|{N(t.Freed)}|{N(t.EntriesRemoved)}|{(t.Automatic ? "1" : "0")}",
                PredictedExhaustionAlert p =>
                    $"{time}|P|{p.GrowthRate.ToString("R", CultureInfo.InvariantCulture)}|{N(p.TimeToThreshold.Ticks)}|{N(p.Horizon.Ticks)}|{N(p.Current)}|{N(p.ThresholdBytes)}",
                _ => $"{time}|F|R|{alert.Message}",
            };
        }

        // The script's codes: A (admission: no room even after evicting every unpinned entry), M (a cleanup run stopped
        // above its target), U (automatic cleanup held above its target), X (a fast budget cannot clean up), R (a message
        // restored from a snapshot, kept as it was).
        private static string CleanupFailure(string rest)
        {
            string[] f = rest.Split('|');
            switch (f[0])
            {
                case "A":
                    return CleanupFailureReasons.CannotMakeRoom(
                        rest.Split('|', 8)[7], Reply.Long(f[1]), Reply.Long(f[2]), Reply.Long(f[3]), Reply.Long(f[4]), Reply.Long(f[5]), Reply.Long(f[6]));
                case "M":
                    return CleanupFailureReasons.CleanupStopped(
                        double.Parse(f[5], NumberStyles.Float, CultureInfo.InvariantCulture), Reply.Long(f[1]), Reply.Long(f[2]), Reply.Long(f[3]), Reply.Long(f[4]));
                case "U":
                    return CleanupFailureReasons.AutomaticCleanupStopped(
                        Reply.Long(f[1]), Reply.Long(f[2]), Reply.Long(f[3]), Reply.Long(f[4]), Reply.Long(f[5]), Reply.Long(f[6]));
                case "X":
                    return CleanupFailureReasons.FastMonitorCannotClean;
                default:
                    return rest.Length > 2 ? rest.Substring(2) : rest;
            }
        }

        private static LimitedResource Resource(string code) => code switch
        {
            "S" => LimitedResource.StateSize,
            "V" => LimitedResource.ValueSize,
            _ => LimitedResource.CacheEntries,
        };

        public static string Code(LimitedResource resource) => resource switch
        {
            LimitedResource.StateSize => "S",
            LimitedResource.ValueSize => "V",
            _ => "E",
        };

        /// <summary>The type letters of the script's records for a drain filter.</summary>
        public static string Letters(System.Collections.Generic.IReadOnlyCollection<AlertType>? types)
        {
            if (types == null || types.Count == 0)
            {
                return string.Empty;
            }

            var letters = new System.Text.StringBuilder();
            foreach (AlertType type in types)
            {
                letters.Append(type switch
                {
                    AlertType.ApproachingLimit => 'A',
                    AlertType.LimitExceeded => 'L',
                    AlertType.CleanupTriggered => 'T',
                    AlertType.CleanupFailed => 'F',
                    AlertType.PredictedExhaustion => 'P',
                    _ => throw new ArgumentOutOfRangeException(nameof(types), type, "Not an alert type."),
                });
            }

            return letters.ToString();
        }

        private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
