namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// Occupations as free text, for people 16 and over: students while studying, 退休 after retirement age
/// (60 for men, 55 for women, as most retired before the 2025 reform), and otherwise a job that fits the education —
/// Wuxi is a manufacturing city, so factory and technical work dominate.
/// </summary>
internal static class Occupations
{
    public const string Student = "学生";
    public const string Retired = "退休";
    private const string Homemaker = "家务";

    private static readonly Weighted<string> College = Weighted.Of(
        ("工程师", 120), ("软件工程师", 80), ("教师", 70), ("医生", 35), ("护士", 35), ("会计", 50), ("公务员", 35),
        ("企业管理人员", 70), ("销售经理", 40), ("设计师", 30), ("研究人员", 15), ("金融从业人员", 30), ("律师", 8),
        ("技术员", 80), ("人力资源专员", 20), ("市场专员", 30), ("项目经理", 35), ("质量工程师", 30), ("行政文员", 40),
        ("个体经营", 25), ("自由职业", 15), ("无业", 15));

    private static readonly Weighted<string> Secondary = Weighted.Of(
        ("技术工人", 140), ("机械操作工", 100), ("电工", 40), ("销售人员", 90), ("行政文员", 40), ("个体经营", 80),
        ("厨师", 40), ("司机", 50), ("仓库管理员", 30), ("质检员", 40), ("店员", 50), ("美容美发师", 20),
        ("保险代理人", 15), ("物业管理员", 20), ("快递员", 30), ("护工", 10), ("家务", 25), ("无业", 30));

    private static readonly Weighted<string> Basic = Weighted.Of(
        ("制造业工人", 220), ("建筑工人", 90), ("快递员", 40), ("外卖骑手", 40), ("保洁员", 40), ("保安", 40),
        ("服务员", 50), ("装修工", 30), ("个体经营", 60), ("家政服务员", 25), ("搬运工", 15), ("纺织工人", 40),
        ("农民", 40), ("家务", 40), ("无业", 40));

    public static string? For(CityRandom random, int age, bool male, string? education, bool studying, bool village)
    {
        if (age < 16)
        {
            return null;
        }

        if (studying || age < 18)
        {
            return Student;
        }

        var retirementAge = male ? 60 : 55;
        if (age >= retirementAge)
        {
            // Some keep working a few years past retirement age; villagers farm on.
            if (age < retirementAge + 5 && random.PerMille(200))
            {
                return (Education.IsCollege(education) ? College : Secondary).Sample(random);
            }

            return village && random.PerMille(350) ? "农民" : Retired;
        }

        if (village && random.PerMille(age >= 45 ? 250 : 60))
        {
            return "农民";
        }

        var job = (Education.IsCollege(education) ? College : Education.IsBasic(education) ? Basic : Secondary).Sample(random);
        // 家务 (homemaker) is what the register says of women who keep house; men in that case are recorded as 无业.
        return male && job == Homemaker ? "无业" : job;
    }
}
