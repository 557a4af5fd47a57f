using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PopInfo.Contracts.Registry;
using PopInfo.Domain.Records;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Exchange.Departments;

/// <summary>The rules of departments and subscriptions; every broken rule is reported with its field.</summary>
public sealed partial class EntitlementRules(RegionCatalogue regions, IOptions<ExchangeOptions> options)
{
    public const int MinPurposeLength = 10;

    [GeneratedRegex("^[a-z][a-z0-9-]{1,30}$")]
    private static partial Regex CodePattern();

    public List<RuleViolation> Check(CreateDepartmentRequest r)
    {
        var violations = new List<RuleViolation>();
        if (string.IsNullOrWhiteSpace(r.Code))
        {
            violations.Add(new("code", "required", "code is required."));
        }
        else if (!CodePattern().IsMatch(r.Code))
        {
            violations.Add(new("code", "department.code", "code is 2 to 31 characters: a lower-case letter, then lower-case letters, digits or '-'."));
        }

        Text(violations, "name", r.Name, required: true, 100);
        Text(violations, "contact", r.Contact, required: true, 200);
        Webhook(violations, r.WebhookUrl);
        Inbound(violations, r.InboundKinds);
        return violations;
    }

    public List<RuleViolation> Check(UpdateDepartmentRequest r)
    {
        var violations = new List<RuleViolation>();
        if (r.ExpectedVersion is null)
        {
            violations.Add(new("expectedVersion", "required", "expectedVersion is required: the version you read."));
        }

        Text(violations, "name", r.Name, required: false, 100);
        Text(violations, "contact", r.Contact, required: false, 200);
        if (!string.IsNullOrEmpty(r.WebhookUrl))
        {
            Webhook(violations, r.WebhookUrl);
        }

        Inbound(violations, r.InboundKinds);
        if (r.Status is not null and not DepartmentStatus.Active and not DepartmentStatus.Suspended)
        {
            violations.Add(new("status", "department.status", "status is 'active' or 'suspended'."));
        }

        return violations;
    }

    public List<RuleViolation> Check(SubscriptionRequest r, bool update)
    {
        var violations = new List<RuleViolation>();
        if (update && r.ExpectedVersion is null)
        {
            violations.Add(new("expectedVersion", "required", "expectedVersion is required: the version you read."));
        }

        List(violations, "changeTypes", r.ChangeTypes, t => ChangeTypes.All.Contains(t), "subscription.change-type",
            $"each change type is one of: {string.Join(", ", ChangeTypes.All)}.");
        List(violations, "regions", r.Regions, regions.Contains, "subscription.region",
            "each region is a Wuxi region code at any level (city, district, street or community).");
        List(violations, "fields", r.Fields, PersonFields.All.Contains, "subscription.field",
            $"each field is one of: {string.Join(", ", PersonFields.All)} (personId is always sent).");
        // The purpose is prose, kept in the audit trail: it may run over several lines.
        if (TextViolations.Of("purpose", r.Purpose, multiLine: true) is { } poisoned)
        {
            violations.Add(poisoned);
        }
        else if (string.IsNullOrWhiteSpace(r.Purpose) || r.Purpose.Trim().Length < MinPurposeLength)
        {
            violations.Add(new("purpose", "subscription.purpose", $"purpose states why the department needs these data, at least {MinPurposeLength} characters."));
        }
        else if (r.Purpose.Length > 500)
        {
            violations.Add(new("purpose", "length", "purpose is at most 500 characters."));
        }

        return violations;
    }

    private static void List(List<RuleViolation> violations, string field, IReadOnlyList<string>? values, Func<string, bool> known, string rule, string message)
    {
        if (values is null || values.Count == 0)
        {
            violations.Add(new(field, "required", $"{field} needs at least one value."));
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null || !known(values[i]))
            {
                violations.Add(new($"{field}[{i}]", rule, message));
            }
        }

        if (values.Distinct(StringComparer.Ordinal).Count() != values.Count)
        {
            violations.Add(new(field, "unique", $"{field} lists a value twice."));
        }
    }

    private static void Text(List<RuleViolation> violations, string field, string? value, bool required, int max)
    {
        if (TextViolations.Of(field, value) is { } poisoned)
        {
            violations.Add(poisoned);
        }
        else if (value is null ? required : string.IsNullOrWhiteSpace(value))
        {
            violations.Add(new(field, "required", $"{field} is required."));
        }
        else if (value is not null && value.Length > max)
        {
            violations.Add(new(field, "length", $"{field} is at most {max} characters."));
        }
    }

    private void Webhook(List<RuleViolation> violations, string? url)
    {
        if (url is null)
        {
            return;
        }

        if (TextViolations.Of("webhookUrl", url) is { } poisoned)
        {
            violations.Add(poisoned);
            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            violations.Add(new("webhookUrl", "webhook.url", "webhookUrl is an absolute https URL."));
            return;
        }

        var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
        if (uri.Scheme == Uri.UriSchemeHttp && !(loopback && options.Value.Webhooks.AllowHttpToLoopback))
        {
            violations.Add(new("webhookUrl", "webhook.https", "webhookUrl must use https (plain http only to a loopback address)."));
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            violations.Add(new("webhookUrl", "webhook.url", "webhookUrl must not carry a user name or password."));
        }
    }

    private static void Inbound(List<RuleViolation> violations, IReadOnlyList<string>? kinds)
    {
        if (kinds is null)
        {
            return;
        }

        for (var i = 0; i < kinds.Count; i++)
        {
            if (!InboundKinds.All.Contains(kinds[i]))
            {
                violations.Add(new($"inboundKinds[{i}]", "department.inbound-kind", $"each inbound kind is one of: {string.Join(", ", InboundKinds.All)}."));
            }
        }
    }
}
