using Npgsql;
using PopInfo.SyntheticCity.Cli;
using PopInfo.SyntheticCity.Loading;
using Spectre.Console;

var command = CommandLine.Parse(args);
if (command.Error is not null)
{
    AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(command.Error)}");
    AnsiConsole.MarkupLine("Run with [bold]help[/] for the options.");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C cancels the load (its transaction rolls back); a second one kills the process.
    e.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
};

try
{
    return command.Verb switch
    {
        Verb.Load => await Commands.LoadAsync(command.Settings!, cancel.Token),
        Verb.Stats => Commands.Stats(command.Settings!),
        _ => Help(),
    };
}
catch (CityLoadException ex)
{
    AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
    return 1;
}
catch (Exception ex) when (ex is NpgsqlException or Microsoft.Data.Sqlite.SqliteException or IOException)
{
    AnsiConsole.MarkupLine($"[red]database error:[/] {Markup.Escape(ex.Message)}");
    AnsiConsole.MarkupLine("The register is as it was: a load reaches it in one transaction at the end, or not at all.");
    return 1;
}
catch (OperationCanceledException)
{
    AnsiConsole.MarkupLine("[yellow]cancelled[/]: nothing was committed.");
    return 130;
}

static int Help()
{
    Console.WriteLine(Usage.Text);
    return 0;
}
