import { type ScramMechanism, scramKeys } from '../../client/scram.js';

/** What a broker keeps of a SCRAM password (Kafka's ScramCredential): never the password itself. */
export interface ScramCredential {
  readonly salt: Buffer;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
  readonly iterations: number;
}

/** A credential from a salted password, as a broker builds it from AlterUserScramCredentials. */
export function credentialFromSalted(mechanism: ScramMechanism, salt: Buffer, salted: Buffer, iterations: number): ScramCredential {
  return { salt, iterations, ...scramKeys(mechanism, salted) };
}

/** ScramCredentialUtils.credentialToString: `salt=<b64>,stored_key=<b64>,server_key=<b64>,iterations=<n>`, the text ZooKeeper holds. */
export function credentialToText(credential: ScramCredential): string {
  const { salt, storedKey, serverKey, iterations } = credential;
  return `salt=${salt.toString('base64')},stored_key=${storedKey.toString('base64')},server_key=${serverKey.toString('base64')},iterations=${iterations}`;
}

/** ScramCredentialUtils.credentialFromString; undefined for text that is not a credential. */
export function credentialFromText(text: string): ScramCredential | undefined {
  const fields = new Map(
    text.split(',').map((part) => {
      const eq = part.indexOf('=');
      return [part.slice(0, eq), part.slice(eq + 1)] as const;
    }),
  );
  const salt = fields.get('salt');
  const storedKey = fields.get('stored_key');
  const serverKey = fields.get('server_key');
  const iterations = Number(fields.get('iterations'));
  if (salt === undefined || storedKey === undefined || serverKey === undefined || !Number.isSafeInteger(iterations)) return undefined;
  return {
    salt: Buffer.from(salt, 'base64'),
    storedKey: Buffer.from(storedKey, 'base64'),
    serverKey: Buffer.from(serverKey, 'base64'),
    iterations,
  };
}
