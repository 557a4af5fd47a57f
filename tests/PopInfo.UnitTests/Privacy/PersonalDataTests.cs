using PopInfo.ServiceDefaults;

namespace PopInfo.UnitTests.Privacy;

public sealed class PersonalDataTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5101/api/v1/persons/by-id-number/32020519860101004X", "http://127.0.0.1:5101/api/v1/persons/by-id-number/{idNumber}")]
    [InlineData("http://127.0.0.1:5101/api/v1/persons/by-id-number/320205860101004/history", "http://127.0.0.1:5101/api/v1/persons/by-id-number/{idNumber}/history")]
    [InlineData("http://127.0.0.1:5101/api/v1/persons?name=%E7%8E%8B&idNumber=320205198601010049", "http://127.0.0.1:5101/api/v1/persons")]
    [InlineData("http://127.0.0.1:5101/api/v1/changes/12345", "http://127.0.0.1:5101/api/v1/changes/12345")]
    public void Uris_lose_identity_numbers_and_queries(string uri, string expected) =>
        Assert.Equal(expected, PersonalData.RedactUri(new Uri(uri)));
}
