using PopInfo.Collection.Forms;

namespace PopInfo.Collection.Paper;

/// <summary>
/// The words printed on paper, Chinese first and English after, as the desk page says them (Desk/desk-text.js): the form types'
/// and the states' names. Kept here rather than on <see cref="FormType"/> because only the printed pages need the English.
/// </summary>
public static class PaperText
{
    private static readonly Dictionary<string, string> FormTypesInEnglish = new(StringComparer.Ordinal)
    {
        [FormTypes.Birth.Code] = "Birth",
        [FormTypes.Death.Code] = "Death",
        [FormTypes.MoveIn.Code] = "Move in",
        [FormTypes.MoveOut.Code] = "Move out",
        [FormTypes.MoveWithinCity.Code] = "Move within the city",
        [FormTypes.MigrantArrival.Code] = "Migrant arrival",
        [FormTypes.MigrantDeparture.Code] = "Migrant departure",
        [FormTypes.Correction.Code] = "Correction",
        [FormTypes.HouseholdChange.Code] = "Household change",
    };

    /// <summary>A form type's name in Chinese and English; an unknown code (a type retired since) is printed as it is stored.</summary>
    public static (string Zh, string En) FormType(string code) =>
        FormTypes.Find(code) is { } type && FormTypesInEnglish.TryGetValue(code, out var english) ? (type.ChineseName, english) : (code, code);

    /// <summary>Whether every form type has its English name (a unit test holds this as types are added).</summary>
    public static bool CoversEveryFormType => FormTypes.All.All(t => FormTypesInEnglish.ContainsKey(t.Code));

    /// <summary>A form's state as the desk shows it.</summary>
    public static (string Zh, string En) State(string state) => state switch
    {
        FormStates.Draft => ("草稿", "draft"),
        FormStates.Submitted => ("等待登记", "pending"),
        FormStates.Accepted => ("已登记", "accepted"),
        FormStates.Rejected => ("被退回", "rejected"),
        FormStates.Withdrawn => ("已撤回", "withdrawn"),
        _ => (state, state),
    };
}
