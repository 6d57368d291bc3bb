using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace KafkaSharp.ClientCompat;

/// <summary>
/// Makes Confluent.Kafka 2.15.1 (the only 2.x binding on the registry) work on Debian's librdkafka 2.0.2.
/// <list type="bullet">
/// <item>The native library: the redist package is not on the registry, and <c>Library.Load(path)</c> dlopens via
/// "libdl", which current glibc ships only as libdl.so.2; a DllImport resolver maps "librdkafka" to the system
/// file instead.</item>
/// <item>The binding calls functions 2.0.2 lacks on common paths: every consumed message asks
/// rd_kafka_message_leader_epoch (librdkafka 2.1), and topic-partition lists get/set leader epochs. The binding
/// keeps them in writable static delegate fields, replaced here by what an old broker-side answer would be: no
/// epoch (-1), and ConfigResource_add_config (2.2) by set_config, which 2.0.2 has.</item>
/// <item>Group admin calls read fields 2.0.2 does not have: a group's type (KIP-848, 2.4), authorized operations
/// (2.3) and a member's target assignment (2.4), and DescribeConsumerGroups always sets the include-authorized-
/// operations option (2.3). They answer as a broker without those features would: type Unknown, no operations, no
/// target assignment, and the option is ignored (the request asks for no operations, which is the default). The
/// group's coordinator is a Node whose rack (2.3) reads as none. ListConsumerGroups with MatchTypes would need 2.4: do not set it.</item>
/// </list>
/// Admin calls that need newer librdkafka (IncrementalAlterConfigs, DescribeCluster, DescribeTopics, ListOffsets)
/// still throw EntryPointNotFoundException: do not use them with this library.
/// </summary>
internal static class RdKafkaCompat
{
    public const string SystemLibrary = "/usr/lib/x86_64-linux-gnu/librdkafka.so.1";

    private static readonly Lazy<bool> s_installed = new(Install);

    public static void EnsureInstalled() => _ = s_installed.Value;

    private static bool Install()
    {
        NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, Resolve);
        NativeLibrary.SetDllImportResolver(typeof(RdKafkaCompat).Assembly, Resolve);

        // Loads the library and binds every delegate; the replacements must come after, or they are overwritten.
        _ = Library.Version;
        Type binding = typeof(Library).Assembly.GetType("Confluent.Kafka.Impl.Librdkafka", throwOnError: true)!;
        Replace(binding, "_message_leader_epoch", nameof(NoLeaderEpoch));
        Replace(binding, "_topic_partition_get_leader_epoch", nameof(NoLeaderEpoch));
        Replace(binding, "_topic_partition_set_leader_epoch", nameof(IgnoreLeaderEpoch));
        Replace(binding, "_ConsumerGroupListing_type", nameof(UnknownGroupType));
        Replace(binding, "_ConsumerGroupDescription_type", nameof(UnknownGroupType));
        Replace(binding, "_ConsumerGroupDescription_authorized_operations", nameof(NoAuthorizedOperations));
        Replace(binding, "_MemberDescription_target_assignment", nameof(NoTargetAssignment));
        Replace(binding, "_AdminOptions_set_include_authorized_operations", nameof(IgnoreAdminOption));
        Replace(binding, "_Node_rack", nameof(NoRack));
        FieldInfo setConfig = Field(binding, "_ConfigResource_set_config");
        Field(binding, "_ConfigResource_add_config").SetValue(null, Delegate.CreateDelegate(
            Field(binding, "_ConfigResource_add_config").FieldType, setConfig.GetValue(null)!, "Invoke"));
        return true;
    }

    private static int NoLeaderEpoch(IntPtr native) => -1;

    private static void IgnoreLeaderEpoch(IntPtr native, int epoch)
    {
    }

    private static ConsumerGroupType UnknownGroupType(IntPtr native) => ConsumerGroupType.Unknown;

    private static IntPtr NoAuthorizedOperations(IntPtr native, out UIntPtr count)
    {
        count = UIntPtr.Zero;
        return IntPtr.Zero;
    }

    private static IntPtr NoTargetAssignment(IntPtr native) => IntPtr.Zero;

    private static IntPtr NoRack(IntPtr node) => IntPtr.Zero;

    /// <summary>An rd_kafka_error_t* setter: null is success.</summary>
    private static IntPtr IgnoreAdminOption(IntPtr options, IntPtr value) => IntPtr.Zero;

    private static void Replace(Type binding, string fieldName, string methodName)
    {
        FieldInfo field = Field(binding, fieldName);
        MethodInfo method = typeof(RdKafkaCompat).GetMethod(methodName, BindingFlags.Static | BindingFlags.NonPublic)!;
        field.SetValue(null, Delegate.CreateDelegate(field.FieldType, method));
    }

    private static FieldInfo Field(Type binding, string name) =>
        binding.GetField(name, BindingFlags.Static | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException($"Confluent.Kafka's binding has no {name}: check RdKafkaCompat against this version.");

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName.Contains("rdkafka", StringComparison.Ordinal) ? NativeLibrary.Load(SystemLibrary) : IntPtr.Zero;
}
