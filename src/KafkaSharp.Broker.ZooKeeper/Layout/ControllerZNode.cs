using System.Globalization;
using System.Text;

namespace KafkaSharp.Broker.ZooKeeper.Layout;

/// <summary>
/// /controller (ephemeral): <c>{"version":2,"brokerid":1,"timestamp":"&lt;ms&gt;","kraftControllerEpoch":-1}</c>; version 1
/// (without the KRaft field) is read too.
/// </summary>
public static class ControllerZNode
{
    public static byte[] Encode(int brokerId, long timestampMs) => ZkJson.Write(w =>
    {
        w.WriteNumber("version", 2);
        w.WriteNumber("brokerid", brokerId);
        w.WriteString("timestamp", ZkJson.Timestamp(timestampMs));
        w.WriteNumber("kraftControllerEpoch", -1);
    });

    public static int Decode(ReadOnlySpan<byte> data) =>
        ZkJson.Read(ZkPaths.Controller, data, root => ZkJson.RequiredInt(root, "brokerid"));
}

/// <summary>/controller_epoch: the epoch as a decimal string (e.g. <c>3</c>), bumped by compare-and-set on its version.</summary>
public static class ControllerEpochZNode
{
    public static byte[] Encode(int epoch) => Encoding.UTF8.GetBytes(epoch.ToString(CultureInfo.InvariantCulture));

    public static int Decode(ReadOnlySpan<byte> data) =>
        int.TryParse(Encoding.UTF8.GetString(data), NumberStyles.Integer, CultureInfo.InvariantCulture, out int epoch)
            ? epoch
            : throw new MalformedZNodeException(ZkPaths.ControllerEpoch, "expected a decimal epoch");
}
