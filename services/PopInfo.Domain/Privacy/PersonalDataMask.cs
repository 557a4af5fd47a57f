using System.Text;

namespace PopInfo.Domain.Privacy;

/// <summary>
/// Masks personal data before it reaches logs, traces or support screens.
/// For identity numbers use <see cref="Identity.IdentityNumber.Mask"/>.
/// </summary>
public static class PersonalDataMask
{
    private const string FullyMasked = "***";

    // Digits are recognised with char.IsDigit, not only ASCII, so full-width digits are masked too.
    // A phone number with fewer digits than this would be mostly revealed by keeping 3 + 2 of them.
    private const int MinimumPhoneDigits = 7;

    /// <summary>
    /// Keeps the first character and replaces each further character by '*': "张三丰" becomes "张**".
    /// A one-character name becomes "*", since keeping it would keep all of it.
    /// </summary>
    public static string MaskName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return FullyMasked;
        }

        // Rare surnames outside the Basic Multilingual Plane (e.g. 𠮷) are two UTF-16 units: keep both or neither.
        var firstLength = char.IsSurrogatePair(name, 0) ? 2 : 1;
        var hidden = 0;
        foreach (var _ in name.AsSpan(firstLength).EnumerateRunes())
        {
            hidden++;
        }

        if (hidden == 0)
        {
            return "*";
        }

        return new StringBuilder(firstLength + hidden)
            .Append(name, 0, firstLength)
            .Append('*', hidden)
            .ToString();
    }

    /// <summary>
    /// Keeps the first three and the last two digits and replaces the digits between by '*':
    /// "13812345678" becomes "138******78". Separators such as spaces, '-' and '+' stay where they are.
    /// Fewer than seven digits become "***".
    /// </summary>
    public static string MaskPhone(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return FullyMasked;
        }

        var digits = 0;
        foreach (var c in phone)
        {
            if (char.IsDigit(c))
            {
                digits++;
            }
        }

        if (digits < MinimumPhoneDigits)
        {
            return FullyMasked;
        }

        return string.Create(phone.Length, (phone, digits), static (span, state) =>
        {
            var digitIndex = 0;
            for (var i = 0; i < state.phone.Length; i++)
            {
                var c = state.phone[i];
                if (!char.IsDigit(c))
                {
                    span[i] = c;
                    continue;
                }

                span[i] = digitIndex < 3 || digitIndex >= state.digits - 2 ? c : '*';
                digitIndex++;
            }
        });
    }
}
