namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// Surnames with weights in people per 10,000. The national table follows the Ministry of Public
/// Security's 2020 ranking (王 李 张 刘 陈 … each about 7 % down to well under 0.1 %); the local table
/// shifts weight towards the surnames that are frequent in southern Jiangsu (钱 顾 秦 华 浦 过 …),
/// because registered residents of Wuxi mostly descend from local families.
/// </summary>
internal static class Surnames
{
    public static Weighted<string> National { get; } = Parse(
        "王710 李700 张650 刘540 陈460 杨310 黄210 赵200 吴190 周190 徐150 孙150 马120 朱120 胡110 郭110 何100 高100 " +
        "林96 罗90 郑80 梁80 谢70 宋70 唐70 许60 韩60 冯60 邓60 曹60 彭50 曾50 肖50 田50 董50 袁50 潘40 于40 蒋40 " +
        "蔡40 余40 杜40 叶40 程40 苏30 魏30 吕30 丁30 任30 沈30 姚30 卢30 姜30 崔30 钟30 谭30 陆30 汪30 范30 金30 " +
        "石30 廖30 贾30 夏30 韦30 付30 方30 白20 邹20 孟20 熊20 秦20 邱20 江20 尹20 薛20 闫20 段20 雷20 侯20 龙20 " +
        "史20 陶20 黎20 贺20 顾20 毛20 郝20 龚20 邵20 万20 钱20 严20 覃20 武20 戴20 莫10 孔10 向10 汤10 常10 温10 " +
        "康10 施10 文10 牛10 樊10 葛10 邢10 安10 齐10 易10 乔10 伍10 庞10 颜10 倪10 庄10 聂10 章10 鲁10 岳10 翟10 " +
        "殷10 詹10 申10 欧10 耿10 关10 兰10 焦10 俞10 左10 柳10 甘10 祝10 包10 宁10 尚10 符10 舒10 阮10 柯10 纪10 " +
        "梅10 童10 凌10 毕10 单10 季10 裴10 霍10 涂10 成10 苗10 谷10 盛10 曲10 翁10 冉10 骆10 蓝10 路10 游10 辛10 " +
        "靳10 管10 柴10 蒙10 鲍10 华10 喻10 祁10 蒲10 房10 滕10 屈10 饶10 解10 牟10 艾10 尤10 阳10 时10 穆10 农10 " +
        "司10 卓5 古5 吉5 缪5 简5 车5 项5 连5 芦5 麦5 褚5 娄5 窦5 戚5 岑5 景5 党5 宫5 费5 卜5 冷5 晏5 席5 卫5 " +
        "米5 柏5 宗5 瞿5 桂5 全5 佟5 应5 臧5 闵5 苟5 邬5 边5 卞5 姬5 师5 和5 仇5 栾5 隋5 商5 刁5 沙5 荣5 巫5 寇5 " +
        "桑5 郎5 甄5 丛5 仲5 虞5 敖5 巩5 明5 佘5 池5 查5 麻5 苑5 迟5 邝5 欧阳4 诸葛1 司马1 上官1 东方1");

    public static Weighted<string> WuxiLocal { get; } = Parse(
        "王450 张420 陈400 朱260 周260 徐240 李220 吴220 钱180 顾180 沈170 陆170 蒋170 华160 秦150 杨150 孙150 刘150 " +
        "许120 邹110 薛100 黄100 胡100 高90 唐90 过80 浦80 尤70 荣70 缪70 惠60 谈60 堵50 邵60 姚60 汤60 殷50 包50 " +
        "曹60 丁60 马60 赵60 吕50 孔40 戴50 严50 金50 何50 郑50 冯50 范50 袁50 程40 龚40 倪40 潘40 夏40 任40 " +
        "费40 俞40 宋40 谢40 叶40 贾30 韩30 杜30 吉30 卞30 糜30 强30 芮30 尹30 季30 施30 储30 单30 葛30 邱30 " +
        "虞30 翁20 查20 盛20 郁20 陶20 魏20 姜20 卢20 林20 梁20 曾20 苏20 方20 庄20 蔡20 万20 史20 冷20 " +
        "嵇20 邢20 武20 毛20 汪20 柳20 承20 言20 邬20 宣20 钟10 欧阳2");

    private static Weighted<string> Parse(string table)
    {
        var entries = new List<(string, int)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in table.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var digits = token.AsSpan().IndexOfAnyInRange('0', '9');
            var name = token[..digits];
            // A name listed twice would silently get two weights: refuse the table instead.
            if (!seen.Add(name))
            {
                throw new InvalidOperationException($"Surname {name} is listed twice.");
            }

            entries.Add((name, int.Parse(token.AsSpan(digits), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new Weighted<string>(entries);
    }
}
