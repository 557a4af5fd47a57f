namespace PopInfo.Domain.Codes;

/// <summary>One code of a national code list, with the Chinese name the standard prints and an English name for logs and docs.</summary>
public sealed record CodeEntry(string Code, string ChineseName, string EnglishName);
