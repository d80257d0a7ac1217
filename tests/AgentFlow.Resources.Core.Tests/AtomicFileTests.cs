using System;
using System.IO;
using AgentFlow.Resources.Files;
using Xunit;

namespace AgentFlow.Resources.Core.Tests
{
    public sealed class AtomicFileTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "atomic-" + Guid.NewGuid().ToString("N"));

        public AtomicFileTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        [Fact]
        public void Creates_and_replaces_a_file_leaving_nothing_else_in_the_folder()
        {
            string path = Path.Combine(_folder, "limits.yaml");
            AtomicFile.WriteAllText(path, "first\n");
            AtomicFile.WriteAllText(path, "second ü\n");
            Assert.Equal("second ü\n", File.ReadAllText(path));
            Assert.Equal(new byte[] { 0x73 }, File.ReadAllBytes(path)[..1]);
            Assert.Equal(new[] { path }, Directory.GetFiles(_folder));
        }

        [Fact]
        public void Leaves_the_old_file_and_no_temporary_file_when_the_writer_fails()
        {
            string path = Path.Combine(_folder, "limits.json");
            File.WriteAllText(path, "old");
            Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
            {
                stream.WriteByte(1);
                throw new InvalidOperationException("the writer failed");
            }));
            Assert.Equal("old", File.ReadAllText(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(_folder));
        }

        [Fact]
        public void Says_which_folder_is_missing()
        {
            string folder = Path.Combine(_folder, "missing");
            var error = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(Path.Combine(folder, "x.json"), "{}"));
            Assert.Equal($"The folder '{folder}' does not exist.", error.Message);
        }
    }
}
