import { describe, expect, it } from 'vitest';
import { ScramClient } from '../../../src/client/scram.js';

describe('SCRAM client', () => {
  // RFC 7677 section 3: the SCRAM-SHA-256 example exchange.
  const nonce = 'rOprNGfwEbeRWgbNEkqO';
  const serverFirst = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';

  it('produces the RFC 7677 client messages and accepts its server signature', () => {
    const client = new ScramClient('SCRAM-SHA-256', 'user', 'pencil', nonce);
    expect(client.firstMessage().toString()).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    expect(client.finalMessage(Buffer.from(serverFirst)).toString()).toBe(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
    expect(() => client.verifyServerFinal(Buffer.from('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='))).not.toThrow();
  });

  it('rejects a wrong server signature, a foreign nonce, too few iterations and server errors', () => {
    const client = new ScramClient('SCRAM-SHA-256', 'user', 'pencil', nonce);
    client.finalMessage(Buffer.from(serverFirst));
    expect(() => client.verifyServerFinal(Buffer.from('v=AAAA'))).toThrow('SCRAM server signature does not match');
    expect(() => client.verifyServerFinal(Buffer.from('e=invalid-proof'))).toThrow('SCRAM authentication failed: invalid-proof');
    const other = new ScramClient('SCRAM-SHA-512', 'user', 'pencil', nonce);
    expect(() => other.finalMessage(Buffer.from('r=someoneelse,s=AAAA,i=4096'))).toThrow('does not extend the client nonce');
    expect(() => other.finalMessage(Buffer.from(`r=${nonce}x,s=AAAA,i=10`))).toThrow('SCRAM iterations 10 are fewer than the minimum 4096');
  });

  it('escapes = and , in the user name', () => {
    expect(new ScramClient('SCRAM-SHA-512', 'a=b,c', 'p', 'n').firstMessage().toString()).toBe('n,,n=a=3Db=2Cc,r=n');
  });
});
