namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// Given names by sex and by generation. Parents of the 1940s–70s favoured characters such as
/// 建 国 华 (men) and 秀 英 兰 (women) and often a single character; since the 1990s 浩 宇 轩 and
/// 欣 怡 涵 dominate and one-character names have become rare. Names repeat as they do in life.
/// </summary>
internal static class GivenNames
{
    private static readonly string[] MaleOlder = Characters("建国明华志文军伟平德永海金林俊福荣兴忠成庆宝新正富良春光学根生元祥东法洪云强峰刚仁义勇辉");
    private static readonly string[] MaleModern = Characters("浩宇轩子梓博俊睿一辰泽晨铭然昊杰涛磊鑫鹏皓宸宁文嘉航逸翔昕凯乐霖瑞天思致景煜阳奕诚恒");
    private static readonly string[] FemaleOlder = Characters("秀英兰玉桂芳珍凤华美丽红萍梅琴云霞菊敏静娟燕芬彩素月春金琳洁玲芹娣妹琪");
    private static readonly string[] FemaleModern = Characters("欣怡梓涵诗雨子可馨佳思语悦琪萱彤嘉一依若晨雅婷琳颖妍静慧婉心梦瑶艺晓文欢倩钰");

    /// <summary>A given name of one or two characters for someone of this sex born in this year.</summary>
    public static string Pick(CityRandom random, bool male, int birthYear)
    {
        // 1980–1995 births mix both fashions; before and after, one dominates.
        var modern = birthYear >= 1996 || (birthYear >= 1980 && random.Next(2) == 0);
        var pool = (male, modern) switch
        {
            (true, true) => MaleModern,
            (true, false) => MaleOlder,
            (false, true) => FemaleModern,
            (false, false) => FemaleOlder,
        };

        var singlePerMille = birthYear < 1970 ? 300 : birthYear < 1990 ? 200 : birthYear < 2000 ? 120 : 70;
        if (random.PerMille(singlePerMille))
        {
            return pool[random.Next(pool.Length)];
        }

        var first = random.Next(pool.Length);
        var second = random.Next(pool.Length);
        // Doubled characters (婷婷, 丽丽) are common for girls and rare for boys.
        if (second == first && (male || random.Next(2) == 0))
        {
            second = (first + 1) % pool.Length;
        }

        return string.Concat(pool[first], pool[second]);
    }

    private static string[] Characters(string text)
    {
        var characters = new string[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            characters[i] = text[i].ToString();
        }

        return characters;
    }
}
