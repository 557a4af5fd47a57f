using PopInfo.Domain.Codes;

namespace PopInfo.SyntheticCity.Generation;

/// <summary>
/// Builds the members of one household from its template: who they are to the head (GB/T 4761),
/// their sex, age, surname and marital status. Surnames pass down the father's line (a child takes
/// the mother's in about 8 % of families); spouses and children-in-law bring their own.
/// </summary>
internal sealed class HouseholdComposer(Kinship kinship)
{
    // Most registers name the husband as head; in about one couple in eight it is the wife.
    private const int WifeIsHeadPerMille = 120;
    private const int SonPerMille = 530;
    private const int MothersSurnamePerMille = 80;

    // The usual difference of a husband's and his wife's age, to turn a template's husbands' ages into wives'.
    private const int HusbandOlderBy = 2;
    private const int GrandchildMaxAge = 25;

    private readonly List<Draft> _members = new(8);
    private Weighted<string> _surnames = Surnames.National;
    private CityRandom _random = null!;

    public IReadOnlyList<Draft> Members => _members;

    /// <summary>Composes a family household; <see cref="Members"/> holds the result, head first.</summary>
    public void Family(CityRandom random, HouseholdTemplate template, Weighted<string> surnames)
    {
        Reset(random, surnames);
        switch (template)
        {
            case HouseholdTemplate.YoungSingle:
                Single(Age(20, 34), male: Chance(740));
                break;
            case HouseholdTemplate.MiddleAgedSingle:
                Single(Age(35, 59), male: Chance(680));
                break;
            case HouseholdTemplate.ElderlyAlone:
                Single(Age(60, 100), male: Chance(350));
                break;
            case HouseholdTemplate.YoungCouple:
                AddCouple(Age(22, 34));
                break;
            case HouseholdTemplate.MiddleAgedCouple:
                AddCouple(Age(35, 52));
                break;
            case HouseholdTemplate.OlderCouple:
                AddCouple(Age(52, 92));
                break;
            case HouseholdTemplate.SingleParent:
                SingleParentWith(Age(28, 58), children: 1);
                break;
            case HouseholdTemplate.AdultChildWithParent:
                HeadWithWidowedParent(Age(30, 62), married: false);
                break;
            case HouseholdTemplate.CoupleWithChild:
                CoupleWithChildren(24, 60, count: 1, maxAge: 35);
                break;
            case HouseholdTemplate.CoupleWithParent:
                AddCouple(Age(28, 55));
                WidowedParentOfHead();
                break;
            case HouseholdTemplate.SingleParentTwoChildren:
                SingleParentWith(Age(30, 55), children: 2);
                break;
            case HouseholdTemplate.CoupleWithTwoChildren:
                CoupleWithChildren(28, 56, count: 2, maxAge: 32);
                break;
            case HouseholdTemplate.CoupleChildAndParent:
            {
                CoupleWithChildren(28, 52, count: 1, maxAge: 25);
                WidowedParentOfHead();
                break;
            }

            case HouseholdTemplate.OlderCoupleMarriedChild:
                MarriedChildWithFamily(AddCouple(Age(48, 75)), grandchildren: 0);
                break;
            case HouseholdTemplate.CoupleChildAndBothParents:
            {
                CoupleWithChildren(27, 48, count: 1, maxAge: 20);
                BothParentsOfHead();
                break;
            }

            case HouseholdTemplate.ThreeGenerations:
                MarriedChildWithFamily(AddCouple(Age(48, 75)), grandchildren: 1);
                break;
            case HouseholdTemplate.CoupleWithThreeChildren:
                CoupleWithChildren(30, 55, count: 3, maxAge: 30);
                break;
            case HouseholdTemplate.ThreeGenerationsTwoGrandchildren:
                MarriedChildWithFamily(AddCouple(Age(50, 78)), grandchildren: 2);
                break;
            case HouseholdTemplate.CoupleTwoChildrenBothParents:
            {
                CoupleWithChildren(30, 48, count: 2, maxAge: 20);
                BothParentsOfHead();
                break;
            }

            case HouseholdTemplate.ThreeGenerationsLarge:
            {
                var couple = AddCouple(Age(52, 78));
                MarriedChildWithFamily(couple, grandchildren: Chance(750) ? 2 : 3);
                Children(couple, count: 1, maxAge: 40, minAge: 16);
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(template), template, "Unknown household template.");
        }
    }

    /// <summary>Composes a collective household (集体户): unrelated people, the first registered as head.</summary>
    public void Collective(CityRandom random, CollectiveKind kind, int size, Weighted<string> surnames)
    {
        Reset(random, surnames);
        for (var i = 0; i < size; i++)
        {
            var (age, male) = kind switch
            {
                CollectiveKind.Dormitory => (Age(18, 50), Chance(680)),
                CollectiveKind.Students => (Age(18, 24), Chance(500)),
                _ => (Age(70, 100), Chance(380)),
            };
            Add(i == 0 ? Role.Head : Role.Housemate,
                i == 0 ? FamilyRelationshipCodes.Head : FamilyRelationshipCodes.NonRelative,
                male, age, Surname(), SingleMaritalStatus(age, male));
        }
    }

    private void Reset(CityRandom random, Weighted<string> surnames)
    {
        _members.Clear();
        _random = random;
        _surnames = surnames;
    }

    private void Single(int age, bool male) =>
        Add(Role.Head, FamilyRelationshipCodes.Head, male, age, Surname(), SingleMaritalStatus(age, male));

    /// <summary>Head and spouse; returns what their children inherit from them.</summary>
    private Couple AddCouple(int husbandAge) =>
        AddCouple(Math.Max(husbandAge, Kinship.MinHusbandAge), Kinship.PartnerAge(_random, personIsMale: true, husbandAge));

    /// <summary>
    /// A couple (the husband's age about <paramref name="husbandMin"/>–<paramref name="husbandMax"/>) and
    /// their children: the mother's and the first child's ages are drawn together, the husband's from the
    /// wife's, so that young couples have children as rarely as young women give birth.
    /// </summary>
    private void CoupleWithChildren(int husbandMin, int husbandMax, int count, int maxAge)
    {
        var (wifeAge, first) = kinship.MotherAndChildAge(_random, husbandMin - HusbandOlderBy, husbandMax - HusbandOlderBy, 0, maxAge);
        var husbandAge = Math.Max(Kinship.PartnerAge(_random, personIsMale: false, wifeAge), first + Kinship.MinMotherAgeAtBirth);
        Children(AddCouple(husbandAge, wifeAge), first, count);
    }

    private Couple AddCouple(int husbandAge, int wifeAge)
    {
        var husband = Surname();
        var wife = Surname();
        if (Chance(WifeIsHeadPerMille))
        {
            Add(Role.Head, FamilyRelationshipCodes.Head, false, wifeAge, wife, MarriedStatus(wifeAge));
            Add(Role.Spouse, FamilyRelationshipCodes.Spouse, true, husbandAge, husband, MarriedStatus(husbandAge));
        }
        else
        {
            Add(Role.Head, FamilyRelationshipCodes.Head, true, husbandAge, husband, MarriedStatus(husbandAge));
            Add(Role.Spouse, FamilyRelationshipCodes.Spouse, false, wifeAge, wife, MarriedStatus(wifeAge));
        }

        return new Couple(wifeAge, husbandAge, husband, wife, HeadIsMale: _members[0].Male);
    }

    private void Children(Couple couple, int count, int maxAge, int minAge = 0)
    {
        var first = kinship.ChildAge(_random, Math.Min(couple.MotherAge, couple.FatherAge), minAge, maxAge);
        if (first >= 0)
        {
            Children(couple, first, count);
        }
    }

    private void Children(Couple couple, int first, int count)
    {
        var youngerParent = Math.Min(couple.MotherAge, couple.FatherAge);
        var surname = Chance(MothersSurnamePerMille) ? couple.MotherSurname : couple.FatherSurname;
        var age = first;
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                age = Kinship.SiblingAge(_random, youngerParent, age);
            }

            var son = Chance(SonPerMille);
            Add(Role.Child, son ? FamilyRelationshipCodes.Son : FamilyRelationshipCodes.Daughter, son, age, surname, ChildMaritalStatus(age));
        }
    }

    private void SingleParentWith(int parentAge, int children)
    {
        var male = !Chance(700);
        var surname = Surname();
        Add(Role.Head, FamilyRelationshipCodes.Head, male, parentAge, surname, SingleParentMaritalStatus());
        var age = kinship.ChildAge(_random, parentAge, 0, 30);
        for (var i = 0; i < children && age >= 0; i++)
        {
            if (i > 0)
            {
                age = Kinship.SiblingAge(_random, parentAge, age);
            }

            var son = Chance(SonPerMille);
            // A mother alone passes on the father's surname as often as not; either is plausible.
            Add(Role.Child, son ? FamilyRelationshipCodes.Son : FamilyRelationshipCodes.Daughter, son, age,
                male || Chance(500) ? surname : Surname(), ChildMaritalStatus(age));
        }
    }

    private void HeadWithWidowedParent(int headAge, bool married)
    {
        var male = Chance(520);
        var surname = Surname();
        Add(Role.Head, FamilyRelationshipCodes.Head, male, headAge, surname, married ? MarriedStatus(headAge) : SingleMaritalStatus(headAge, male));
        ParentOf(headAge, surname);
    }

    private void WidowedParentOfHead()
    {
        var head = _members[0];
        ParentOf(head.Age, head.Surname);
    }

    private void ParentOf(int childAge, string childSurname)
    {
        var mother = Chance(680);
        var age = Math.Min(Kinship.MotherAge(_random, childAge) + (mother ? 0 : 2), 100);
        Add(Role.ParentOfHead, mother ? FamilyRelationshipCodes.Mother : FamilyRelationshipCodes.Father, !mother, age,
            mother ? Surname() : childSurname, WidowedStatus());
    }

    private void BothParentsOfHead()
    {
        var head = _members[0];
        var motherAge = Math.Min(Kinship.MotherAge(_random, head.Age), 100);
        var fatherAge = Kinship.PartnerAge(_random, personIsMale: false, motherAge);
        fatherAge = Math.Max(fatherAge, head.Age + 20);
        Add(Role.ParentOfHead, FamilyRelationshipCodes.Father, true, fatherAge, head.Surname, MarriedStatus(fatherAge));
        Add(Role.ParentOfHead, FamilyRelationshipCodes.Mother, false, motherAge, Surname(), MarriedStatus(motherAge));
    }

    /// <summary>A married son (with his wife) or daughter (with her husband) and their children: 20/38/41/42 or 30/28/43/44.</summary>
    private void MarriedChildWithFamily(Couple couple, int grandchildren)
    {
        var youngerParent = Math.Min(couple.MotherAge, couple.FatherAge);
        var son = Chance(700);
        var minAge = son ? Kinship.MinHusbandAge : Kinship.MinWifeAge;
        int childAge, inLawAge;
        if (grandchildren == 0)
        {
            childAge = kinship.ChildAge(_random, youngerParent, minAge, 50);
            inLawAge = childAge < 0 ? -1 : Kinship.PartnerAge(_random, son, childAge);
        }
        else
        {
            (childAge, inLawAge) = kinship.MarriedChildAges(_random, youngerParent, minAge, 50, son, GrandchildMaxAge);
        }

        if (childAge < 0)
        {
            return;
        }

        var childSurname = Chance(MothersSurnamePerMille) ? couple.MotherSurname : couple.FatherSurname;
        var inLawSurname = Surname();
        Add(Role.Child, son ? FamilyRelationshipCodes.Son : FamilyRelationshipCodes.Daughter, son, childAge, childSurname, MarriedStatus(childAge));
        Add(Role.ChildInLaw, son ? "38" : "28", !son, inLawAge, inLawSurname, MarriedStatus(inLawAge));

        var motherAge = son ? inLawAge : childAge;
        var fatherAge = son ? childAge : inLawAge;
        var grandchildSurname = son ? childSurname : inLawSurname;
        var age = kinship.ChildAge(_random, Math.Min(motherAge, fatherAge), 0, GrandchildMaxAge);
        for (var i = 0; i < grandchildren && age >= 0; i++)
        {
            if (i > 0)
            {
                age = Kinship.SiblingAge(_random, Math.Min(motherAge, fatherAge), age);
            }

            var boy = Chance(SonPerMille);
            // 41/42 孙子/孙女 through a son, 43/44 外孙子/外孙女 through a daughter.
            var code = (son, boy) switch { (true, true) => "41", (true, false) => "42", (false, true) => "43", _ => "44" };
            Add(Role.Grandchild, code, boy, age, grandchildSurname, ChildMaritalStatus(age));
        }
    }

    private void Add(Role role, string relationship, bool male, int age, string surname, string marital) =>
        _members.Add(new Draft { Role = role, Relationship = relationship, Male = male, Age = age, Surname = surname, MaritalStatus = marital });

    private int Age(int min, int max) => kinship.Pyramid(_random, min, max);

    private bool Chance(int perMille) => _random.PerMille(perMille);

    private string Surname() => _surnames.Sample(_random);

    // Spouses are married (20); some say which marriage it is (21 first, 22 remarried).
    private string MarriedStatus(int age)
    {
        var roll = _random.Next(100);
        return roll < 6 ? MaritalStatusCodes.FirstMarriage : roll < 12 && age >= 30 ? MaritalStatusCodes.Remarried : MaritalStatusCodes.Married;
    }

    private string ChildMaritalStatus(int age) =>
        age < Kinship.MinWifeAge ? MaritalStatusCodes.Unmarried
        : age >= 28 && Chance(80) ? MaritalStatusCodes.Divorced
        : MaritalStatusCodes.Unmarried;

    private string SingleParentMaritalStatus()
    {
        var roll = _random.Next(100);
        return roll < 60 ? MaritalStatusCodes.Divorced : roll < 85 ? MaritalStatusCodes.Widowed : roll < 90 ? MaritalStatusCodes.Unmarried : MaritalStatusCodes.Married;
    }

    private string WidowedStatus()
    {
        var roll = _random.Next(100);
        return roll < 85 ? MaritalStatusCodes.Widowed : roll < 93 ? MaritalStatusCodes.Divorced : MaritalStatusCodes.Married;
    }

    // Someone living without a partner: young people are mostly unmarried; in middle age many are married
    // with the spouse elsewhere (a migrant's family at home), divorced or widowed; the old mostly widowed.
    private string SingleMaritalStatus(int age, bool male)
    {
        var minimum = male ? Kinship.MinHusbandAge : Kinship.MinWifeAge;
        if (age < minimum)
        {
            return MaritalStatusCodes.Unmarried;
        }

        var roll = _random.Next(100);
        return age switch
        {
            < 28 => roll < 93 ? MaritalStatusCodes.Unmarried : roll < 97 ? MaritalStatusCodes.Married : MaritalStatusCodes.Divorced,
            < 40 => roll < 60 ? MaritalStatusCodes.Unmarried : roll < 80 ? MaritalStatusCodes.Married : roll < 97 ? MaritalStatusCodes.Divorced : MaritalStatusCodes.Widowed,
            < 60 => roll < 15 ? MaritalStatusCodes.Unmarried : roll < 50 ? MaritalStatusCodes.Married : roll < 85 ? MaritalStatusCodes.Divorced : MaritalStatusCodes.Widowed,
            _ => roll < 4 ? MaritalStatusCodes.Unmarried : roll < 16 ? MaritalStatusCodes.Married : roll < 28 ? MaritalStatusCodes.Divorced : MaritalStatusCodes.Widowed,
        };
    }
}

/// <summary>The parents of a household's children: ages and surnames.</summary>
internal readonly record struct Couple(int MotherAge, int FatherAge, string FatherSurname, string MotherSurname, bool HeadIsMale);
