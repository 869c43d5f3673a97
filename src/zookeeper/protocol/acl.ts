import { Perms } from './codes.js';

/** One ACL entry (jute `ACL`): `perms` (Perms bits) granted to `scheme:id`. */
export interface Acl {
  perms: number;
  scheme: string;
  id: string;
}

/** ZooDefs.Ids.OPEN_ACL_UNSAFE: everything for everyone. */
export const OPEN_ACL: readonly Acl[] = [{ perms: Perms.ALL, scheme: 'world', id: 'anyone' }];
