using System.Text.Json.Nodes;

namespace PopInfo.IntegrationTests.Exchange;

/// <summary>
/// The paging binder (AfterPaging, OffsetPaging, bound with [AsParameters]) leaves the OpenAPI documents as the plain
/// parameters did: the same names, in the query, with the same types and defaults.
/// </summary>
public sealed class PagingOpenApiTests(ExchangeFixture fixture) : IClassFixture<ExchangeFixture>
{
    private const string After = """{"name":"after","in":"query","schema":{"type":"integer","format":"int64","default":0}}""";
    private const string Limit = """{"name":"limit","in":"query","schema":{"type":"integer","format":"int32","default":100}}""";

    [Fact]
    public async Task The_feeds_describe_after_and_limit_in_the_query_with_their_defaults()
    {
        using var exchange = fixture.Exchange.CreateClient();

        Assert.Equal([After, Limit], await QueryParametersAsync(exchange, "/swagger/exchange/swagger.json", "/api/v1/feed"));
        Assert.Equal([After, Limit], await QueryParametersAsync(fixture.Registry, "/swagger/registry/swagger.json", "/api/v1/changes"));
    }

    [Fact]
    public async Task The_quality_list_describes_offset_and_limit_as_optional_numbers()
    {
        Assert.Equal(
            [
                """{"name":"community","in":"query","schema":{"type":"string"}}""",
                """{"name":"rule","in":"query","schema":{"type":"string"}}""",
                """{"name":"offset","in":"query","schema":{"type":"integer","format":"int32"}}""",
                """{"name":"limit","in":"query","schema":{"type":"integer","format":"int32"}}""",
            ],
            await QueryParametersAsync(fixture.Registry, "/swagger/registry/swagger.json", "/api/v1/quality/issues"));
    }

    private static async Task<List<string>> QueryParametersAsync(HttpClient client, string document, string path)
    {
        var openApi = JsonNode.Parse(await client.GetStringAsync(document))!;
        return [.. openApi["paths"]![path]!["get"]!["parameters"]!.AsArray().Where(p => (string?)p!["in"] == "query").Select(p => p!.ToJsonString())];
    }
}
