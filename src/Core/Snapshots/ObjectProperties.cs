using System;

namespace AgentFlow.Resources
{
    /// <summary>The properties one object of a snapshot must have: each exactly once, no others.</summary>
    internal sealed class ObjectProperties
    {
        private readonly SnapshotReader _reader;
        private readonly string _path;
        private readonly string[] _names;
        private readonly bool[] _seen;

        public ObjectProperties(SnapshotReader reader, string path, params string[] names)
        {
            _reader = reader;
            _path = path;
            _names = names;
            _seen = new bool[names.Length];
        }

        /// <summary>"limits.maxStateSize": a property's place, for messages.</summary>
        public string PathOf(string name) => _path + "." + name;

        public void Mark(string name, long position)
        {
            int index = Array.IndexOf(_names, name);
            if (index < 0)
            {
                throw _reader.Problem(SnapshotProblem.InvalidContent, $"\"{_path}\" has an unknown property \"{name}\" (at byte {position}); it has {List()}.");
            }

            if (_seen[index])
            {
                throw _reader.Problem(SnapshotProblem.InvalidContent, $"\"{PathOf(name)}\" appears twice (at byte {position}).");
            }

            _seen[index] = true;
        }

        public void EnsureComplete()
        {
            for (int i = 0; i < _names.Length; i++)
            {
                if (!_seen[i])
                {
                    throw _reader.Problem(SnapshotProblem.InvalidContent, $"\"{_path}\" lacks \"{_names[i]}\"; it has {List()}.");
                }
            }
        }

        private string List() => "\"" + string.Join("\", \"", _names) + "\"";
    }
}
