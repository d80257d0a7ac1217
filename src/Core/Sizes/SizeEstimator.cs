using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace AgentFlow.Resources
{
    /// <summary>
    /// Estimates the payload of objects in bytes, by fixed rules (docs/design/steps.md), and sums what it measured.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item><c>null</c>: 0.</item>
    /// <item>Primitives by their size: bool, byte, sbyte 1; char, short, ushort 2; int, uint, float 4; long, ulong, double,
    /// DateTime, TimeSpan, IntPtr, UIntPtr 8; decimal, Guid, DateTimeOffset 16; an enum as its underlying type.</item>
    /// <item>A string: 2 bytes a char (UTF-16).</item>
    /// <item>An array of those primitives: length × element size, without walking it.</item>
    /// <item><see cref="FileInfo"/>: its Length (0 when it does not exist); <see cref="DirectoryInfo"/>: the lengths of
    /// its files, recursively; <see cref="Stream"/>: its Length (0 when it cannot seek).</item>
    /// <item>A dictionary: the sum of its keys and values; any other collection: the sum of its items.</item>
    /// <item>Any other object: the sum of its public instance property values (a getter that throws counts 0).
    /// Reflection metadata (types, members, assemblies) and delegates count 0: they are code, not data.</item>
    /// </list>
    /// Each object (each reference-type instance) is counted once per estimator: a reference cycle or an object
    /// referenced twice is not walked again. Values nested deeper than <see cref="MaxDepth"/> levels below the
    /// object measured are not counted, which keeps the estimate finite on any graph.
    /// A subclass can measure wrapper objects its own way through <see cref="Unwrap"/> and <see cref="GetPropertyValues"/>.
    /// Not thread-safe: one estimator per measurement.
    /// </remarks>
    public class SizeEstimator
    {
        /// <summary>How many levels below the object measured are walked; deeper values count 0.</summary>
        public const int MaxDepth = 64;

        private static readonly ConcurrentDictionary<Type, PropertyInfo[]> s_properties = new ConcurrentDictionary<Type, PropertyInfo[]>();

        private readonly HashSet<object> _seen = new HashSet<object>(ReferenceComparer.Instance);

        /// <summary>How many objects were measured with <see cref="Add"/>.</summary>
        public long Count { get; private set; }

        /// <summary>The estimated bytes of everything measured so far, each object counted once.</summary>
        public long Size { get; private set; }

        /// <summary>The estimate of one object with the default rules.</summary>
        public static long Estimate(object? value) => new SizeEstimator().Add(value);

        /// <summary>
        /// Measures one more object and adds it to <see cref="Size"/>. Returns its own estimate: what it adds beyond the
        /// objects this estimator has already counted.
        /// </summary>
        public long Add(object? value)
        {
            long size = Measure(value, 0);
            Count++;
            Size = Saturating.Add(Size, size);
            return size;
        }

        /// <summary>What was measured so far.</summary>
        public SizeMeasurement ToMeasurement() => new SizeMeasurement(Count, Size);

        /// <summary>The byte size of a value of this type when it is one of the fixed-size primitives, else false.</summary>
        public static bool TryGetFixedSize(Type type, out int size)
        {
            if (type == null)
            {
                throw new ArgumentNullException(nameof(type));
            }

            if (type.IsEnum)
            {
                type = Enum.GetUnderlyingType(type);
            }

            switch (Type.GetTypeCode(type))
            {
                case TypeCode.Boolean:
                case TypeCode.Byte:
                case TypeCode.SByte:
                    size = 1;
                    return true;
                case TypeCode.Char:
                case TypeCode.Int16:
                case TypeCode.UInt16:
                    size = 2;
                    return true;
                case TypeCode.Int32:
                case TypeCode.UInt32:
                case TypeCode.Single:
                    size = 4;
                    return true;
                case TypeCode.Int64:
                case TypeCode.UInt64:
                case TypeCode.Double:
                case TypeCode.DateTime:
                    size = 8;
                    return true;
                case TypeCode.Decimal:
                    size = 16;
                    return true;
            }

            if (type == typeof(Guid) || type == typeof(DateTimeOffset))
            {
                size = 16;
                return true;
            }

            if (type == typeof(TimeSpan) || type == typeof(IntPtr) || type == typeof(UIntPtr))
            {
                size = 8;
                return true;
            }

            size = 0;
            return false;
        }

        /// <summary>
        /// The object to measure in place of <paramref name="value"/>: a wrapper's payload, or the value itself (the default).
        /// </summary>
        protected virtual object? Unwrap(object value) => value;

        /// <summary>
        /// The values that make up an object no other rule covers: by default its public instance properties.
        /// </summary>
        protected virtual IEnumerable<object?> GetPropertyValues(object value)
        {
            foreach (PropertyInfo property in PropertiesOf(value.GetType()))
            {
                object? propertyValue;
                try
                {
                    propertyValue = property.GetValue(value);
                }
                catch (Exception)
                {
                    // A getter that throws (a disposed object, a state it refuses) has no value to count.
                    continue;
                }

                yield return propertyValue;
            }
        }

        private long Measure(object? value, int depth)
        {
            if (value == null || depth > MaxDepth)
            {
                return 0;
            }

            value = Unwrap(value);
            if (value == null)
            {
                return 0;
            }

            Type type = value.GetType();
            if (TryGetFixedSize(type, out int fixedSize))
            {
                return fixedSize;
            }

            // Each instance once: shared references and cycles add nothing the second time. Structs have no identity.
            if (!type.IsValueType && !_seen.Add(value))
            {
                return 0;
            }

            switch (value)
            {
                case string text:
                    return 2L * text.Length;
                case Array array when TryGetFixedSize(type.GetElementType()!, out int elementSize):
                    return array.LongLength * elementSize;
                case FileInfo file:
                    return file.Exists ? file.Length : 0;
                case DirectoryInfo directory:
                    return MeasureDirectory(directory);
                case Stream stream:
                    return MeasureStream(stream);
                case Type _:
                case MemberInfo _:
                case Assembly _:
                case Module _:
                case Delegate _:
                    return 0;
                case IDictionary dictionary:
                    return MeasureDictionary(dictionary, depth);
                case IEnumerable items:
                    return MeasureItems(items, depth);
                default:
                    return MeasureProperties(value, depth);
            }
        }

        private long MeasureDictionary(IDictionary dictionary, int depth)
        {
            long total = 0;
            try
            {
                IDictionaryEnumerator entries = dictionary.GetEnumerator();
                while (entries.MoveNext())
                {
                    total = Saturating.Add(total, Measure(entries.Key, depth + 1));
                    total = Saturating.Add(total, Measure(entries.Value, depth + 1));
                }
            }
            catch (InvalidOperationException)
            {
                // Changed while it was measured (another thread): what was counted stands.
            }

            return total;
        }

        private long MeasureItems(IEnumerable items, int depth)
        {
            long total = 0;
            try
            {
                foreach (object? item in items)
                {
                    total = Saturating.Add(total, Measure(item, depth + 1));
                }
            }
            catch (InvalidOperationException)
            {
                // Changed while it was measured (another thread): what was counted stands.
            }

            return total;
        }

        private long MeasureProperties(object value, int depth)
        {
            long total = 0;
            foreach (object? propertyValue in GetPropertyValues(value))
            {
                total = Saturating.Add(total, Measure(propertyValue, depth + 1));
            }

            return total;
        }

        private static long MeasureDirectory(DirectoryInfo directory)
        {
            if (!directory.Exists)
            {
                return 0;
            }

            long total = 0;
            try
            {
                foreach (FileInfo file in directory.EnumerateFiles("*", SearchOption.AllDirectories))
                {
                    total = Saturating.Add(total, file.Length);
                }
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                // A folder that vanished or cannot be read mid-walk: the files counted so far stand.
            }

            return total;
        }

        private static long MeasureStream(Stream stream)
        {
            try
            {
                return stream.CanSeek ? stream.Length : 0;
            }
            catch (ObjectDisposedException)
            {
                return 0;
            }
        }

        private static PropertyInfo[] PropertiesOf(Type type) =>
            s_properties.GetOrAdd(type, t => Array.FindAll(
                t.GetProperties(BindingFlags.Public | BindingFlags.Instance),
                p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetGetMethod() != null));

        private sealed class ReferenceComparer : IEqualityComparer<object>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();

            public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

            public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
        }
    }
}
