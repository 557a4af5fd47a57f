using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PopInfo.ServiceDefaults.Problems;

/// <summary>
/// Route values and query parameters are free text that reaches SQL (a person looked up by identity number,
/// an account by user name, a department by code) and audit entries before any validator sees it. They are
/// checked here, once for every service, against the free-text rule; a poisoned one is answered 400 naming
/// the parameter and the rule, before the endpoint runs. Bodies are checked by each service's own rules,
/// which know which fields are free text and which may run over several lines.
/// </summary>
public static class RequestTextGuard
{
    public static IApplicationBuilder UseRequestTextGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var violations = Check(context.Request);
        if (violations.Count == 0)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = Problem.Validation(violations),
        });
    });

    /// <summary>The violations of the request's route values (by parameter name) and query parameters (by name; a poisoned name as <c>query</c>).</summary>
    public static List<RuleViolation> Check(HttpRequest request)
    {
        var violations = new List<RuleViolation>();
        foreach (var (name, value) in request.RouteValues)
        {
            TextViolations.AddTo(violations, (name, value as string));
        }

        foreach (var (name, values) in request.Query)
        {
            if (!TextViolations.AddTo(violations, ("query", name)))
            {
                continue;
            }

            foreach (var value in values)
            {
                TextViolations.AddTo(violations, (name, value));
            }
        }

        return violations;
    }
}
