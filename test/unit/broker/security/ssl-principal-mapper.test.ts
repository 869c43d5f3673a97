import { readFileSync } from 'node:fs';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { describe, expect, it, onTestFinished } from 'vitest';
import { peerDistinguishedName, SslPrincipalMapper } from '../../../../src/broker/security/ssl-principal-mapper.js';
import { makeCertificates } from '../../../helpers/certificates.js';
import { needs } from '../../../helpers/requirements.js';

describe('SslPrincipalMapper (ssl.principal.mapping.rules)', () => {
  it('applies the first rule whose pattern matches the whole name, with $n references and /L or /U', () => {
    const mapper = new SslPrincipalMapper('RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/L,\nRULE:^CN=([^,]*),O=(.*)$/$1@$2/U, DEFAULT');
    expect(mapper.map('CN=Kafka-Broker,OU=ServiceUsers,O=Org')).toBe('kafka-broker');
    expect(mapper.map('CN=alice,O=kts')).toBe('ALICE@KTS');
    expect(mapper.map('CN=bob,OU=eng,O=kts,C=US')).toBe('CN=bob,OU=eng,O=kts,C=US');
  });

  it('refuses a name no rule matches, and rules that do not parse', () => {
    expect(new SslPrincipalMapper('RULE:^CN=(.*)$/$1/').map('OU=x')).toBeUndefined();
    expect(() => new SslPrincipalMapper('RULE:^CN=(.*$/$1/')).toThrow(
      'Invalid rule: RULE:^CN=(.*$/$1/ for configuration ssl.principal.mapping.rules',
    );
    expect(() => new SslPrincipalMapper('NONSENSE')).toThrow('for configuration ssl.principal.mapping.rules');
  });

  it('reads a client certificate subject most specific first, as Java’s X500Principal.getName()', needs('openssl'), async () => {
    const certs = makeCertificates();
    onTestFinished(() => certs.remove());
    const alice = certs.client('alice');
    const seen = new Promise<string | undefined>((resolve, reject) => {
      const server = createServer(
        { cert: readFileSync(certs.brokerCert), key: readFileSync(certs.brokerKey), ca: readFileSync(certs.caCert), requestCert: true },
        (socket: TLSSocket) => {
          resolve(peerDistinguishedName(socket));
          socket.destroy();
          server.close();
        },
      );
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as { port: number }).port;
        const client = connect({
          port,
          host: '127.0.0.1',
          ca: readFileSync(certs.caCert),
          cert: readFileSync(alice.cert),
          key: readFileSync(alice.key),
          servername: 'localhost',
        });
        client.on('error', () => undefined);
        client.on('secureConnect', () => client.end());
        server.on('tlsClientError', reject);
      });
    });
    expect(await seen).toBe('CN=alice,OU=eng,O=kts');
  });
});
