using System.Diagnostics;
using System.Text;

namespace KafkaSharp.Protocol.Tests.Compression;

/// <summary>Payloads and external-tool helpers shared by the codec tests.</summary>
internal static class CodecTestData
{
    /// <summary>Text-like bytes that compress well but not trivially.</summary>
    public static byte[] Compressible(int length)
    {
        var builder = new StringBuilder();
        int i = 0;
        while (builder.Length < length)
        {
            builder.Append("record-").Append(i++ % 97).Append(" lorem ipsum dolor sit amet; ");
        }

        return Encoding.ASCII.GetBytes(builder.ToString(0, length));
    }

    public static byte[] Random(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Runs a command-line tool with stdin/stdout as bytes; fails the test if the tool is absent or fails.</summary>
    public static byte[] RunTool(string tool, string arguments, byte[] input)
    {
        string path = Path.Combine("/usr/bin", tool);
        Assert.True(File.Exists(path), $"{path} is needed for this interop test (apt-get install -y lz4 zstd).");
        var info = new ProcessStartInfo(path, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(info)!;
        Task<byte[]> output = Task.Run(() =>
        {
            using var memory = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(memory);
            return memory.ToArray();
        });
        Task<string> errors = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {arguments} failed: {errors.Result}");
        return output.Result;
    }
}
