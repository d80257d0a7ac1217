using System;
using System.IO;
using System.Text;

namespace AgentFlow.Resources.Files
{
    /// <summary>
    /// Writes a file so that a crash (kill -9, power loss) at any moment leaves either the old file or the new one,
    /// never a torn one: the content goes to a temporary file in the same folder, is flushed to disk, and the
    /// temporary file is then renamed over the target.
    /// </summary>
    public static class AtomicFile
    {
        private static readonly Encoding Utf8NoBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark.</summary>
        public static void WriteAllText(string path, string text) =>
            Write(path, stream =>
            {
                byte[] bytes = Utf8NoBom.GetBytes(text);
                stream.Write(bytes, 0, bytes.Length);
            });

        /// <summary>Writes what <paramref name="write"/> puts into the stream (streaming writers need no whole copy in memory).</summary>
        /// <param name="path">The full path of the file to create or replace.</param>
        /// <param name="write">Writes the content; it must not close the stream.</param>
        /// <param name="noClobber">Never replace an existing file, not even one created while the content was written: an IOException instead.</param>
        public static void Write(string path, Action<Stream> write, bool noClobber = false)
        {
            string fullPath = Path.GetFullPath(path);
            string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' is not a file path.", nameof(path));
            // Same folder, so the rename stays on one file system and is atomic; hidden and unique, so parallel writers never collide.
            string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
            if (!System.IO.Directory.Exists(directory))
            {
                throw new DirectoryNotFoundException($"The folder '{directory}' does not exist.");
            }

            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
                {
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }

                if (noClobber)
                {
                    // File.Move never overwrites.
                    File.Move(temporary, fullPath);
                }
                else
                {
                    Replace(temporary, fullPath);
                }
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }
        }

        // netstandard2.0 has no File.Move(overwrite): File.Replace renames over an existing file (rename(2) on Unix,
        // ReplaceFile on Windows) and File.Move creates a new one.
        private static void Replace(string temporary, string target)
        {
            if (File.Exists(target))
            {
                File.Replace(temporary, target, destinationBackupFileName: null);
                return;
            }

            try
            {
                File.Move(temporary, target);
            }
            catch (IOException) when (File.Exists(target))
            {
                // Another writer created the target in between: replace it like any existing file.
                File.Replace(temporary, target, destinationBackupFileName: null);
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
