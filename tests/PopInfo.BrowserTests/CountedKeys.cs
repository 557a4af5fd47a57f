using Microsoft.Playwright;

namespace PopInfo.BrowserTests;

/// <summary>
/// The keyboard, counting, for the desk's keystroke budget (values + 25): a typed character is one keystroke, a chord
/// (Control+Enter) one per key.
/// </summary>
internal sealed class CountedKeys(IKeyboard keyboard)
{
    public int Strokes { get; private set; }

    public int Typed { get; private set; }

    public List<string> Log { get; } = [];

    public async Task TypeAsync(string text)
    {
        await keyboard.TypeAsync(text);
        Strokes += text.Length;
        Typed += text.Length;
        Log.Add($"[{text.Length} chars]");
    }

    public async Task PressAsync(string key)
    {
        await keyboard.PressAsync(key);
        Strokes += key.Split('+').Length;
        Log.Add(key);
    }

    /// <summary>Tab until the field has the focus (each Tab counted); fails after 20.</summary>
    public async Task TabToAsync(ILocator field)
    {
        for (var i = 0; i < 20; i++)
        {
            await PressAsync("Tab");
            if (await field.EvaluateAsync<bool>("node => node === document.activeElement"))
            {
                return;
            }
        }

        Assert.Fail("20 Tabs did not reach " + field);
    }
}
