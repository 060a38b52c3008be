namespace Handoff.Core.Organisations;

/// <summary>The roles an organisation plays in the handoff.</summary>
public enum OrganisationKind
{
    /// <summary>强制隔离戒毒所, public-security or judicial.</summary>
    Centre,

    /// <summary>社区戒毒社区康复工作站/办公室 of a 乡镇/街道.</summary>
    CommunityOffice,

    /// <summary>The local 派出所.</summary>
    PoliceStation,

    /// <summary>The deciding 公安机关.</summary>
    DecisionAuthority,

    /// <summary>禁毒委/禁毒办 at county, city or province level, or a 戒毒管理局; its scope is its region prefix.</summary>
    Supervisor,
}
