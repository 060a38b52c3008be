namespace Handoff.Soak;

/// <summary>A receiving office with its police station and deciding organ, from the sample directory, and the region a person it
/// serves is registered in. Cases are spread over several provinces so the index's partitions and the supervisor ladders vary.</summary>
public sealed record Parties(string Office, string Police, string Authority, string Region)
{
    public static readonly IReadOnlyList<Parties> All =
    [
        new("pingyuan-dazhe-office", "pingyuan-dazhe-police", "meizhou-psb", "441426"),
        new("shixing-taiping-office", "shixing-taiping-police", "shaoguan-psb", "440222"),
        new("renhua-office", "renhua-police", "shaoguan-psb", "440224"),
        new("yuancheng-puqian-office", "yuancheng-puqian-police", "meizhou-psb", "441602"),
        new("dongyuan-dengta-office", "dongyuan-dengta-police", "meizhou-psb", "441625"),
        new("nanming-office", "nanming-police", "guiyang-psb", "520102"),
        new("kuiwen-office", "kuiwen-police", "weifang-psb", "370705"),
        new("baiyunebo-office", "baiyunebo-police", "baotou-psb", "150206"),
    ];

    public static readonly IReadOnlyList<string> Centres = ["meizhou-centre", "shaoguan-centre"];
}
