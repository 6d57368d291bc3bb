namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// The short words the config catalogs are written in, so each config fits on one readable line:
/// <c>Int("num.partitions", "1", AtLeast(1), ReadOnly)</c>.
/// </summary>
internal static class CatalogEntries
{
    public const ConfigUpdateMode ReadOnly = ConfigUpdateMode.ReadOnly;
    public const ConfigUpdateMode PerBroker = ConfigUpdateMode.PerBroker;
    public const ConfigUpdateMode ClusterWide = ConfigUpdateMode.ClusterWide;

    /// <summary>No rule beyond the type.</summary>
    public static readonly ConfigValidator? None = null;

    public static ConfigDefinition Bool(string name, string? defaultText, ConfigValidator? validator, ConfigUpdateMode mode) =>
        new(name, ConfigType.Boolean, defaultText, validator, mode);

    public static ConfigDefinition Str(string name, string? defaultText, ConfigValidator? validator, ConfigUpdateMode mode) =>
        new(name, ConfigType.String, defaultText, validator, mode);

    public static ConfigDefinition Int(string name, string? defaultText, ConfigValidator? validator, ConfigUpdateMode mode) =>
        new(name, ConfigType.Int, defaultText, validator, mode);

    public static ConfigDefinition Short(string name, string? defaultText, ConfigValidator? validator, ConfigUpdateMode mode) =>
        new(name, ConfigType.Short, defaultText, validator, mode);

    public static ConfigDefinition Long(string name, string? defaultText, ConfigValidator? validator, ConfigUpdateMode mode) =>
        new(name, ConfigType.Long, defaultText, validator, mode);

    public static ConfigDefinition Dbl(string name, string? defaultText, ConfigValidator? validator, ConfigUpdateMode mode) =>
        new(name, ConfigType.Double, defaultText, validator, mode);

    public static ConfigDefinition List(string name, string? defaultText, ConfigValidator? validator, ConfigUpdateMode mode) =>
        new(name, ConfigType.List, defaultText, validator, mode);

    public static ConfigDefinition Class(string name, string? defaultText, ConfigValidator? validator, ConfigUpdateMode mode) =>
        new(name, ConfigType.Class, defaultText, validator, mode);

    public static ConfigDefinition Pwd(string name, string? defaultText, ConfigValidator? validator, ConfigUpdateMode mode) =>
        new(name, ConfigType.Password, defaultText, validator, mode);

    /// <summary>Accepted like any config but undocumented; DescribeConfigs lists it only when set.</summary>
    public static ConfigDefinition Internal(ConfigDefinition definition) => definition with { IsInternal = true };
}
