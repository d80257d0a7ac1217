using System;
using System.IO;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Replaces a file so that a crash (even kill -9) at any moment leaves either the old file or the new one,
    /// never a torn one: the content goes to a temporary file in the same folder, is flushed to disk, and only
    /// then is renamed over the target (a rename within one folder is atomic).
    /// </summary>
    public static class AtomicFile
    {
        /// <summary>
        /// Writes <paramref name="path"/> with <paramref name="write"/>. With <paramref name="noClobber"/> an
        /// existing file is never replaced, not even one created while the content was being written.
        /// </summary>
        /// <exception cref="IOException">With <paramref name="noClobber"/>, the file exists; or the folder cannot be written.</exception>
        public static void Write(string path, bool noClobber, Action<Stream> write)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            if (write == null)
            {
                throw new ArgumentNullException(nameof(write));
            }

            string target = Path.GetFullPath(path);
            string folder = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' is not a file path.", nameof(path));
            if (noClobber && File.Exists(target))
            {
                throw new IOException($"The file '{target}' already exists.");
            }

            // Hidden, unique, and in the target's folder: the rename stays on one file system.
            string temporary = Path.Combine(folder, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
                {
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }

                MoveIntoPlace(temporary, target, noClobber);
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }
        }

        private static void MoveIntoPlace(string temporary, string target, bool noClobber)
        {
            if (noClobber)
            {
                // File.Move never overwrites: a file created meanwhile makes it fail instead.
                File.Move(temporary, target);
                return;
            }

            if (File.Exists(target))
            {
                File.Replace(temporary, target, null);
                return;
            }

            try
            {
                File.Move(temporary, target);
            }
            catch (IOException) when (File.Exists(target))
            {
                // Another writer created the target in between: replace it like any existing file.
                File.Replace(temporary, target, null);
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
