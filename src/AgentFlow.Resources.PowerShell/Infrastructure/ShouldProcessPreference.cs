using System.Management.Automation;

namespace AgentFlow.Resources.PowerShell.Infrastructure
{
    /// <summary>
    /// Whether a command's ShouldProcess call would show anything (-WhatIf, -Confirm, a prompt under $ConfirmPreference,
    /// or -Verbose), read once per command. A command whose description costs work per pipeline object (Add-Allocation
    /// plans its evictions) asks only then; otherwise ShouldProcess would answer yes without a word.
    /// </summary>
    internal static class ShouldProcessPreference
    {
        public static bool IsInEffect(PSCmdlet cmdlet, ConfirmImpact impact)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            bool whatIf = bound.TryGetValue("WhatIf", out object? w) ? IsOn(w) : LanguagePrimitives.IsTrue(cmdlet.GetVariableValue("WhatIfPreference"));
            bool confirm = bound.TryGetValue("Confirm", out object? c)
                ? IsOn(c)
                : cmdlet.GetVariableValue("ConfirmPreference") is ConfirmImpact preference && preference != ConfirmImpact.None && preference <= impact;
            bool verbose = bound.TryGetValue("Verbose", out object? v)
                ? IsOn(v)
                : cmdlet.GetVariableValue("VerbosePreference") is ActionPreference action && action != ActionPreference.SilentlyContinue && action != ActionPreference.Ignore;
            return whatIf || confirm || verbose;
        }

        private static bool IsOn(object? value) => value is SwitchParameter switchParameter ? switchParameter.IsPresent : LanguagePrimitives.IsTrue(value);
    }
}
