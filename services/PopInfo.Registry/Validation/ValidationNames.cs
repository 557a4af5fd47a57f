using System.Text.Json;
using FluentValidation;
using FluentValidation.Internal;

namespace PopInfo.Registry.Validation;

/// <summary>Makes FluentValidation name fields as the JSON does ("migrant.arrivalDate", not "Migrant.ArrivalDate").</summary>
public static class ValidationNames
{
    public static void UseCamelCase() =>
        ValidatorOptions.Global.PropertyNameResolver = (_, member, expression) =>
        {
            var path = expression is not null ? PropertyChain.FromExpression(expression).ToString() : member?.Name;
            return path is null ? null : string.Join('.', path.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
        };
}
