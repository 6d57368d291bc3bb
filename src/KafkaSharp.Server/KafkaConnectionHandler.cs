using KafkaSharp.Broker;
using KafkaSharp.Broker.Network;
using Microsoft.AspNetCore.Connections;

namespace KafkaSharp.Server;

/// <summary>Hands each accepted socket's duplex pipe to the broker; nothing else happens at this layer.</summary>
internal sealed class KafkaConnectionHandler(BrokerSlot slot, ListenerMap listeners) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        try
        {
            if (!slot.Ready.IsCompleted && !await InterBrokerConnections.IsFromBrokerAsync(connection.Transport.Input, connection.ConnectionClosed).ConfigureAwait(false))
            {
                await slot.Ready.WaitAsync(connection.ConnectionClosed).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var info = new ConnectionInfo(
            connection.ConnectionId,
            listeners.NameFor(connection.LocalEndPoint),
            listeners.ProtocolFor(connection.LocalEndPoint),
            connection.RemoteEndPoint?.ToString() ?? "unknown");
        await slot.Broker.ServeAsync(connection.Transport, info).ConfigureAwait(false);
    }
}
