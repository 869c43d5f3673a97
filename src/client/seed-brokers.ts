import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ISocketFactory } from 'kafkajs';
import { formatBroker, isIPv6, type BrokerAddress } from './bootstrap.js';

/** kafkajs's own keep-alive delay for broker sockets. */
const KEEP_ALIVE_MS = 60_000;

/**
 * kafkajs splits seed broker strings at the first ':', so an IPv6 literal cannot pass through as
 * `[::1]:9092`. Such hosts travel under a reserved `.invalid` alias that the socket factory maps
 * back; brokers learnt from metadata arrive as separate host and port and need no alias.
 */
export function seedBrokers(addresses: readonly BrokerAddress[]): {
  brokers: string[];
  socketFactory: ISocketFactory;
} {
  const aliases = new Map<string, string>();
  const brokers = addresses.map((address) => {
    if (!isIPv6(address.host)) return formatBroker(address);
    const alias = `kts-ipv6-${aliases.size}.invalid`;
    aliases.set(alias, address.host);
    return `${alias}:${address.port}`;
  });
  const socketFactory: ISocketFactory = ({ host: requested, port, ssl, onConnect }) => {
    const host = aliases.get(requested) ?? requested;
    const socket: Socket = ssl
      ? tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
      : netConnect({ host, port }, onConnect);
    socket.setKeepAlive(true, KEEP_ALIVE_MS);
    return socket;
  };
  return { brokers, socketFactory };
}
