import { CLIENT_ID, USER } from '../../protocol/client-quotas.js';

/**
 * What a client quota applies to: a user, a client id, or a client id of a user. A name of `null`
 * is the type's default entity (Kafka's `<default>`); an absent type is not part of the entity.
 */
export interface ClientQuotaEntity {
  readonly user?: string | null;
  readonly clientId?: string | null;
}

/** The entity as the wire lists it: user first, then client id. */
export function entityComponents(entity: ClientQuotaEntity): { entityType: string; entityName: string | null }[] {
  return [
    ...(entity.user === undefined ? [] : [{ entityType: USER, entityName: entity.user }]),
    ...(entity.clientId === undefined ? [] : [{ entityType: CLIENT_ID, entityName: entity.clientId }]),
  ];
}

const DEFAULT_SEGMENT = '<default>';

/**
 * The store key, Kafka's ZooKeeper path under `/config`: `users/alice`, `clients/<default>`,
 * `users/alice/clients/c1`. Names are URI-encoded (Kafka's Sanitizer), so a name that is
 * literally `<default>` or contains `/` stays distinct.
 */
export function entityPath(entity: ClientQuotaEntity): string {
  const segment = (name: string | null) => (name === null ? DEFAULT_SEGMENT : encodeURIComponent(name));
  if (entity.user === undefined) return `clients/${segment(entity.clientId!)}`;
  const user = `users/${segment(entity.user)}`;
  return entity.clientId === undefined ? user : `${user}/clients/${segment(entity.clientId)}`;
}

const PATH = /^(?:users\/([^/]+)(?:\/clients\/([^/]+))?|clients\/([^/]+))$/;

/** The entity a store key names, or undefined for a key that is not one. */
export function entityOfPath(path: string): ClientQuotaEntity | undefined {
  const match = PATH.exec(path);
  if (!match) return undefined;
  const name = (segment: string | undefined) => {
    if (segment === undefined) return undefined;
    if (segment === DEFAULT_SEGMENT) return null;
    try {
      return decodeURIComponent(segment);
    } catch {
      return '';
    }
  };
  const [user, clientId] = match[3] === undefined ? [name(match[1]), name(match[2])] : [undefined, name(match[3])];
  if (user === '' || clientId === '') return undefined;
  return { ...(user === undefined ? {} : { user }), ...(clientId === undefined ? {} : { clientId }) };
}

/**
 * Java's `ClientQuotaEntity(entries={client-id=c1, user=alice})`, as Kafka's messages print it:
 * a HashMap of these two keys iterates client-id first.
 */
export function entityText(entity: ClientQuotaEntity): string {
  const entries = [
    ...(entity.clientId === undefined ? [] : [`${CLIENT_ID}=${entity.clientId}`]),
    ...(entity.user === undefined ? [] : [`${USER}=${entity.user}`]),
  ];
  return `ClientQuotaEntity(entries={${entries.join(', ')}})`;
}
