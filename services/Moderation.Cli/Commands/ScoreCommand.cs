using System.CommandLine;
using System.Globalization;
using Moderation.Spam;

namespace Moderation.Cli.Commands;

/// <summary>`moderation score`: one comment, its probability and its reasons.</summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var body = new Option<string>("--body") { Description = "The comment text.", Required = true };
        var author = new Option<string?>("--author") { Description = "Author name." };
        var url = new Option<string?>("--url") { Description = "Author URL (the form's website field)." };
        var email = new Option<string?>("--email") { Description = "Author e-mail." };
        var elapsed = new Option<int?>("--elapsed-ms") { Description = "Milliseconds from showing the form to submitting it." }.AtLeast(0);
        var model = ModelOption();
        var command = new Command("score", "Score one comment and show why.") { body, author, url, email, elapsed, model };
        command.SetAction(r =>
        {
            var spamModel = LoadModel(r.GetValue(model));
            var score = spamModel.Score(new SpamModelInput(r.GetRequiredValue(body), r.GetValue(author), r.GetValue(url), r.GetValue(email), r.GetValue(elapsed)));
            var o = r.InvocationConfiguration.Output;
            o.WriteLine($"probability: {score.Probability.ToString("0.000", CultureInfo.InvariantCulture)}");
            o.WriteLine($"model: {score.ModelVersion}");
            o.WriteLine($"reason: {score.Reason}");
            o.WriteLine("contributions (log-odds, + towards spam):");
            foreach (var c in score.Contributions)
                o.WriteLine($"  {c.Weight.ToString("+0.000;-0.000", CultureInfo.InvariantCulture),8}  {(c.IsText ? $"'{c.Feature}'" : c.Feature)}");
            return 0;
        });
        return command;
    }

    public static Option<string?> ModelOption() => new("--model") { Description = "Model file (.zip). Default: the model built into this version." };

    public static SpamModel LoadModel(string? path) => path is null ? SpamModel.LoadDefault() : SpamModel.Load(path);
}
