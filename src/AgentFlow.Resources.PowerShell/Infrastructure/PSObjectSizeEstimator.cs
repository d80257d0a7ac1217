using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// The engine's <see cref="SizeEstimator"/> rules, with PowerShell's objects: a PSObject is measured as the object it
    /// wraps (its instance members, such as the PSPath notes of a file, are not payload), a custom object
    /// (<c>[pscustomobject]</c>, Select-Object output) as the sum of its note property values, and other PowerShell
    /// engine objects (script blocks, commands, modules, session state, error records) count 0: they reach into the
    /// whole session, which is not the step's data.
    /// </summary>
    internal sealed class PSObjectSizeEstimator : SizeEstimator
    {
        private static readonly System.Reflection.Assembly s_engine = typeof(PSObject).Assembly;

        protected override object? Unwrap(object value)
        {
            while (value is PSObject wrapper)
            {
                object inner = wrapper.BaseObject;
                if (inner is PSCustomObject)
                {
                    // Every custom object wraps the same PSCustomObject instance: the wrapper is the object.
                    return wrapper;
                }

                value = inner;
            }

            return value.GetType().Assembly == s_engine && !(value is IEnumerable) ? null : value;
        }

        protected override IEnumerable<object?> GetPropertyValues(object value)
        {
            if (!(value is PSObject custom))
            {
                return base.GetPropertyValues(value);
            }

            var values = new List<object?>();
            foreach (PSPropertyInfo property in custom.Properties.Match("*", PSMemberTypes.NoteProperty))
            {
                values.Add(property.Value);
            }

            return values;
        }
    }
}
