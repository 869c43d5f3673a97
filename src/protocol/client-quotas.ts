/** Client quota vocabulary of DescribeClientQuotas / AlterClientQuotas (KIP-546), shared by the broker and the tools. */

/** ClientQuotaEntity types: the wire's entity_type strings. */
export const USER = 'user';
export const CLIENT_ID = 'client-id';
export const IP = 'ip';

/** DescribeClientQuotas match types: a name, the default entity, any name (the default included). */
export const MATCH_EXACT = 0;
export const MATCH_DEFAULT = 1;
export const MATCH_SPECIFIED = 2;

/**
 * Kafka's user and client-id quota keys (QuotaConfigs.userAndClientQuotaConfigs) and their types,
 * in the order Kafka's broker lists an entity's values (its HashMap's). Clients that rebuild a
 * HashMap from the answer keep that order where keys share a bucket, so tools print as Kafka's do.
 */
export const CLIENT_QUOTA_KEYS: Readonly<Record<string, 'LONG' | 'DOUBLE'>> = {
  request_percentage: 'DOUBLE',
  producer_byte_rate: 'LONG',
  consumer_byte_rate: 'LONG',
  controller_mutation_rate: 'DOUBLE',
};

export function isClientQuotaKey(key: string): boolean {
  return Object.hasOwn(CLIENT_QUOTA_KEYS, key);
}
