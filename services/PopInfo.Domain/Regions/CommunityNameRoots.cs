namespace PopInfo.Domain.Regions;

/// <summary>
/// Two-character place-name words common in the Wuxi area, combined with 社区 or 村 to name
/// generated communities. There must be more words than the largest street has communities.
/// </summary>
internal static class CommunityNameRoots
{
    public static IReadOnlyList<string> Words { get; } =
    [
        "新华", "东风", "春晖", "清扬", "太湖", "锦绣", "花园", "青山", "龙塘", "梅园",
        "惠泉", "运河", "南湖", "北塘", "西园", "东林", "兴隆", "和平", "光明", "友谊",
        "胜利", "建设", "幸福", "振兴", "丰收", "长安", "永丰", "红星", "金桥", "银杏",
        "翠竹", "桃源", "荷塘", "柳溪", "石塘", "芙蓉", "紫薇", "丽新", "广丰", "湖滨",
        "山水", "泰康", "嘉乐", "怡康", "凤凰", "盛岸", "蓉湖", "锡惠",
    ];
}
