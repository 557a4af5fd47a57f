namespace PopInfo.SyntheticCity.Generation;

/// <summary>What the generator needs to know about one of Wuxi's districts and county-level cities.</summary>
/// <param name="Code">The GB/T 2260 code in force now.</param>
/// <param name="AddressPrefix">How addresses there begin: county-level cities drop "无锡市".</param>
/// <param name="PopulationWeight">Residents per 10,000 of the city, after the 2020 census.</param>
/// <param name="MigrantFactorPerMille">How much likelier than average a household there is to be migrant, ×1000.</param>
/// <param name="Roads">Road names of the district, for addresses.</param>
internal sealed record DistrictProfile(
    string Code, string AddressPrefix, int PopulationWeight, int MigrantFactorPerMille, string[] Roads);

/// <summary>
/// Wuxi's seven county-level units with their 2020 census populations (江阴 1.78 M, 宜兴 1.29 M,
/// 梁溪 0.96 M, 惠山 0.90 M, 锡山 0.88 M, 滨湖 0.59 M plus the economic development zone it holds, 0.34 M,
/// 新吴 0.72 M). Industrial 新吴, 锡山 and 惠山 hold more migrants than old 梁溪 and rural 宜兴.
/// </summary>
internal static class Districts
{
    public static IReadOnlyList<DistrictProfile> All { get; } =
    [
        new("320205", "江苏省无锡市锡山区", 1182, 1200, Roads("锡沪路 东亭路 友谊路 锡山大道 团结路 云林路 芙蓉大道 安镇大道 联福路 春笋路 东北塘路 羊尖路")),
        new("320206", "江苏省无锡市惠山区", 1205, 1200, Roads("惠山大道 钱皋路 堰桥路 长安路 政和大道 洛社路 天授路 阳山路 玉祁路 前洲路 西漳路 盛岸西路")),
        new("320211", "江苏省无锡市滨湖区", 1250, 900, Roads("湖滨路 蠡湖大道 太湖大道 梁溪路 青祁路 隐秀路 震泽路 高浪路 建筑路 梅梁路 雪浪路 五湖大道 华庄路")),
        new("320213", "江苏省无锡市梁溪区", 1291, 800, Roads("人民中路 中山路 解放南路 学前街 崇宁路 县前街 五爱路 广益路 清扬路 运河东路 通扬路 金城路 北大街 南长街 健康路 凤翔路 盛岸路 会岸路 吴桥路 兴源路")),
        new("320214", "江苏省无锡市新吴区", 965, 1500, Roads("长江路 旺庄路 珠江路 锡兴路 新华路 春申路 香楠路 菱湖大道 硕放路 鸿山路 梅村路 江溪路 汉江路 泰山路")),
        new("320281", "江苏省江阴市", 2385, 1000, Roads("澄江路 虹桥路 人民东路 寿山路 暨阳路 滨江路 长山大道 延陵路 朝阳路 芙蓉大道 澄杨路 青果路 周庄路 华士路")),
        new("320282", "江苏省宜兴市", 1723, 700, Roads("阳羡路 荆溪路 宜城路 东山路 丁山路 蜀山路 团氿路 解放东路 人民南路 氿滨大道 和桥路 官林路 张渚路")),
    ];

    public static DistrictProfile Get(string code) =>
        All.FirstOrDefault(d => d.Code == code) ?? throw new InvalidOperationException($"District {code} has no profile.");

    private static string[] Roads(string names) => names.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
