namespace PopInfo.Sharing.Audit;

/// <summary>
/// The access audit could not store a request's rows (its batch's commit failed, or the writer has stopped): the request
/// must not answer with what it read (503, nothing sent).
/// </summary>
public sealed class AccessAuditUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
