using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KafkaSharp.ZooKeeper.Tests.Support;

/// <summary>
/// ZooKeeper's four-letter admin commands (<c>ruok</c>, <c>srvr</c>, <c>stat</c>, <c>cons</c>...): send the word on
/// the client port, read the text reply until the server closes. Needs <c>4lw.commands.whitelist</c> in zoo.cfg.
/// </summary>
public static class FourLetterWords
{
    public static async Task<string> SendAsync(int port, string word, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(word), SocketFlags.None, deadline.Token);
        var reply = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (true)
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            if (read == 0)
            {
                return reply.ToString();
            }

            reply.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    /// <summary>The <c>Mode:</c> line of <c>srvr</c> (standalone, leader or follower), or null while not serving or unreachable.</summary>
    public static async Task<string?> ModeAsync(int port, CancellationToken cancellationToken = default)
    {
        try
        {
            string reply = await SendAsync(port, "srvr", TimeSpan.FromSeconds(2), cancellationToken);
            foreach (string line in reply.Split('\n'))
            {
                if (line.StartsWith("Mode: ", StringComparison.Ordinal))
                {
                    return line["Mode: ".Length..].Trim();
                }
            }

            return null;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return null;
        }
    }
}
