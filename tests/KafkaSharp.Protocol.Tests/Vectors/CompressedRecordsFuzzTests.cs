using System.Buffers;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Protocol.Tests.Vectors;

/// <summary>
/// Damage aimed at the compressed records of real batches, with the CRC check off so it cannot catch the
/// damage first: the codecs (gzip, snappy, lz4 and zstd as real clients framed them) and the record parser
/// behind them must reject what they cannot read with <see cref="KafkaProtocolException"/>, never anything else.
/// </summary>
public class CompressedRecordsFuzzTests
{
    private const int Rounds = 500;

    [Theory]
    [MemberData(nameof(VectorFile.ProduceRequests), MemberType = typeof(VectorFile))]
    public void OpenThrowsOnlyProtocolExceptionWhenRecordsSectionIsDamaged(string name)
    {
        VectorFile vector = VectorFile.Get(name);
        byte[] batch = DecodedFrame.Of(vector).BodyAs<ProduceRequest>().TopicData[0].PartitionData[0].Records!.Value.ToArray();
        var random = new Random(Rounds + batch.Length);
        int recordsStart = RecordBatchHeader.Size;

        for (int round = 0; round < Rounds; round++)
        {
            byte[] damaged = (byte[])batch.Clone();
            int position = random.Next(recordsStart, damaged.Length);
            if (round % 3 == 0)
            {
                damaged[position] = (byte)random.Next(256);
            }
            else if (round % 3 == 1)
            {
                damaged[position] ^= (byte)(1 << random.Next(8));
            }
            else
            {
                // Cut the compressed stream short while the batch length still matches what is there.
                Array.Resize(ref damaged, position);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(
                    damaged.AsSpan(RecordBatchHeader.LengthOffset), damaged.Length - RecordBatchHeader.LogOverhead);
            }

            try
            {
                DecodedBatch.Single(new ReadOnlySequence<byte>(damaged), verifyCrc: false);
            }
            catch (KafkaProtocolException)
            {
                // expected for most damage; some flips only change a value
            }
            catch (Exception e)
            {
                Assert.Fail($"{name}, round {round}: {e.GetType().Name} escaped for batch {Convert.ToHexString(damaged)}: {e}");
            }
        }
    }
}
