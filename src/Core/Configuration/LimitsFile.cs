using System.Collections.Generic;
using System.IO;
using AgentFlow.Resources.Files;

namespace AgentFlow.Resources.Configuration
{
    /// <summary>Limits files: <see cref="LimitsDocument"/> read from and written to disk in a given format.</summary>
    public static class LimitsFile
    {
        /// <summary>
        /// Reads limits from the file; a document that is not well-formed is an <see cref="LimitsProblemKind.InvalidStructure"/>
        /// problem at the line of the syntax error.
        /// </summary>
        /// <exception cref="IOException">The file cannot be read.</exception>
        public static LimitsReadResult Read(string path, IConfigFormat format)
        {
            string text = File.ReadAllText(path);
            ConfigNode root;
            try
            {
                root = format.Read(text);
            }
            catch (ConfigSyntaxException e)
            {
                return new LimitsReadResult(null, new[] { new LimitsProblem(LimitsProblemKind.InvalidStructure, e.Line, e.Problem) },
                    new Dictionary<string, int>(), new HashSet<string>(), 0);
            }

            return LimitsDocument.Read(root);
        }

        /// <summary>Writes <paramref name="limits"/> to the file atomically (<see cref="AtomicFile"/>).</summary>
        public static void Write(string path, ResourceLimits limits, IConfigFormat format) =>
            AtomicFile.WriteAllText(path, format.Write(LimitsDocument.Write(limits)));
    }
}
