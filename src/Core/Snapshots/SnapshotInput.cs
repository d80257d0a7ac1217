using System;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Feeds a <see cref="Utf8JsonReader"/> from a stream in blocks (the file is never held whole) and hashes the
    /// bytes of one marked range on the way: the reader checks the checksum without a second pass.
    /// </summary>
    internal sealed class SnapshotInput : IDisposable
    {
        private const int InitialBufferSize = 64 * 1024;

        private readonly Stream _stream;
        private readonly string _source;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private byte[] _buffer = new byte[InitialBufferSize];
        private int _length;
        private long _offset;
        private bool _endOfStream;
        private bool _hashing;
        private int _hashStart;

        public SnapshotInput(Stream stream, string source)
        {
            _stream = stream;
            _source = source;
        }

        /// <summary>A reader over the first block; move it with <see cref="Next"/>.</summary>
        public Utf8JsonReader Start()
        {
            Fill();
            if (_length == 0)
            {
                throw new InvalidSnapshotException(_source, SnapshotProblem.Truncated, "the file is empty.");
            }

            return new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, 0, _length), isFinalBlock: false, default(JsonReaderState));
        }

        /// <summary>Moves to the next token, reading more of the stream when needed; a stream that ends first is a truncated file.</summary>
        public void Next(ref Utf8JsonReader reader)
        {
            while (!reader.Read())
            {
                Refill(ref reader);
            }
        }

        /// <summary>The absolute position of the current token in the stream (for messages).</summary>
        public long PositionOf(ref Utf8JsonReader reader) => _offset + reader.TokenStartIndex;

        /// <summary>Starts hashing at the current token (a start of an object or array).</summary>
        public void StartHashing(ref Utf8JsonReader reader)
        {
            _hashing = true;
            _hashStart = (int)reader.TokenStartIndex;
        }

        /// <summary>Stops hashing after the current token and returns the hash of the range.</summary>
        public byte[] StopHashing(ref Utf8JsonReader reader)
        {
            int end = (int)reader.BytesConsumed;
            _hash.AppendData(_buffer, _hashStart, end - _hashStart);
            _hashing = false;
            return _hash.GetHashAndReset();
        }

        /// <summary>True when nothing but whitespace follows the current token.</summary>
        public bool OnlyWhitespaceFollows(ref Utf8JsonReader reader)
        {
            int from = (int)reader.BytesConsumed;
            while (true)
            {
                for (int i = from; i < _length; i++)
                {
                    byte b = _buffer[i];
                    if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r' && b != (byte)'\n')
                    {
                        return false;
                    }
                }

                if (_endOfStream)
                {
                    return true;
                }

                _offset += _length;
                _length = 0;
                from = 0;
                Fill();
                if (_length == 0)
                {
                    return true;
                }
            }
        }

        public void Dispose() => _hash.Dispose();

        private void Refill(ref Utf8JsonReader reader)
        {
            if (_endOfStream)
            {
                throw new InvalidSnapshotException(_source, SnapshotProblem.Truncated, $"the file ends after {_offset + _length} bytes, before the snapshot is complete.");
            }

            int consumed = (int)reader.BytesConsumed;
            if (_hashing)
            {
                _hash.AppendData(_buffer, _hashStart, consumed - _hashStart);
                _hashStart = 0;
            }

            int left = _length - consumed;
            if (consumed == 0 && left == _buffer.Length)
            {
                // One token larger than the buffer (a very long key): make room for it.
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            else
            {
                Buffer.BlockCopy(_buffer, consumed, _buffer, 0, left);
            }

            _offset += consumed;
            _length = left;
            Fill();
            reader = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, 0, _length), isFinalBlock: false, reader.CurrentState);
        }

        private void Fill()
        {
            while (_length < _buffer.Length && !_endOfStream)
            {
                int read = _stream.Read(_buffer, _length, _buffer.Length - _length);
                if (read == 0)
                {
                    _endOfStream = true;
                }

                _length += read;
            }
        }
    }
}
