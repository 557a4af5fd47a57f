using PopInfo.AuditVerify;

return await AuditVerifyCommand.RunAsync(args, Console.Out, CancellationToken.None);
