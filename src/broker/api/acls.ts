import {
  type AclBinding,
  type AclBindingFilter,
  bindingCodes,
  CLUSTER_NAME,
  nameOfCode,
  OPERATION_CODES,
  PATTERN_TYPE_CODES,
  PERMISSION_TYPE_CODES,
  RESOURCE_TYPE_CODES,
} from '../../protocol/acl.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler, RequestContext } from './handler.js';

/** Kafka's answer to an ACL request on a broker without `authorizer.class.name`. */
const NO_AUTHORIZER = { errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: 'No Authorizer is configured on the broker' };

const CLUSTER_DENIED = (what: string) => ({
  errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
  errorMessage: `Cluster authorization failed: ${what} needs ${what === 'DescribeAcls' ? 'DESCRIBE' : 'ALTER'} on the cluster`,
});

interface WireFilter {
  resourceType: number;
  resourceName: string | null;
  patternType: number;
  principal: string | null;
  host: string | null;
  operation: number;
  permissionType: number;
}

/** A wire filter by names; undefined when a code is not one Kafka defines (INVALID_REQUEST). */
function filterOf(w: WireFilter): AclBindingFilter | undefined {
  const resourceType = nameOfCode(RESOURCE_TYPE_CODES, w.resourceType);
  const patternType = nameOfCode(PATTERN_TYPE_CODES, w.patternType);
  const operation = nameOfCode(OPERATION_CODES, w.operation);
  const permissionType = nameOfCode(PERMISSION_TYPE_CODES, w.permissionType);
  if ([resourceType, patternType, operation, permissionType].some((n) => n === undefined || n === 'UNKNOWN')) return undefined;
  return {
    pattern: { resourceType: resourceType!, name: w.resourceName, patternType: patternType! },
    entry: { principal: w.principal, host: w.host, operation: operation!, permissionType: permissionType! },
  };
}

/** A creation by names; undefined unless every element is concrete (no ANY, MATCH or UNKNOWN). */
function bindingOf(w: WireFilter & { resourceName: string; principal: string; host: string }): AclBinding | undefined {
  const f = filterOf(w);
  const { resourceType, patternType } = f?.pattern ?? {};
  const { operation, permissionType } = f?.entry ?? {};
  if (f === undefined || resourceType === 'ANY' || operation === 'ANY') return undefined;
  if ((patternType !== 'LITERAL' && patternType !== 'PREFIXED') || (permissionType !== 'ALLOW' && permissionType !== 'DENY'))
    return undefined;
  return {
    pattern: { resourceType: resourceType as AclBinding['pattern']['resourceType'], name: w.resourceName, patternType },
    entry: { principal: w.principal, host: w.host, operation: operation as AclBinding['entry']['operation'], permissionType },
  };
}

const allowed = (ctx: RequestContext, operation: 'ALTER' | 'DESCRIBE') => ctx.authorize(operation, 'CLUSTER', CLUSTER_NAME);

/** CreateAcls v0-3 (KIP-140, KIP-290): ALTER on the cluster; each creation answered on its own. */
export function createAclsHandler(broker: BrokerContext): Handler<typeof ApiKey.CreateAcls> {
  return async (request, ctx) => {
    const refuse = (error: { errorCode: number; errorMessage: string }) => ({
      throttleTimeMs: 0,
      results: request.creations.map(() => error),
    });
    if (broker.acls === undefined) return refuse(NO_AUTHORIZER);
    if (!allowed(ctx, 'ALTER')) return refuse(CLUSTER_DENIED('CreateAcls'));
    const bindings = request.creations.map((c) => bindingOf({ ...c, patternType: c.resourcePatternType }));
    const valid = bindings.filter((b): b is AclBinding => b !== undefined);
    const errors = await broker.acls.create(valid);
    return {
      throttleTimeMs: 0,
      results: answeredInOrder(
        bindings,
        errors,
        () => ({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Invalid ACL creation: the binding has unknown or ANY elements' }),
        (error) => ({ errorCode: error?.code ?? ErrorCode.NONE, errorMessage: error?.message ?? null }),
      ),
    };
  };
}

/** DescribeAcls v0-3: DESCRIBE on the cluster; matching bindings grouped by resource pattern. */
export function describeAclsHandler(broker: BrokerContext): Handler<typeof ApiKey.DescribeAcls> {
  return (request, ctx) => {
    const answer = { throttleTimeMs: 0, resources: [] };
    if (broker.acls === undefined) return { ...answer, ...NO_AUTHORIZER };
    if (!allowed(ctx, 'DESCRIBE')) return { ...answer, ...CLUSTER_DENIED('DescribeAcls') };
    const filter = filterOf({
      ...request,
      resourceName: request.resourceNameFilter,
      principal: request.principalFilter,
      host: request.hostFilter,
      resourceType: request.resourceTypeFilter,
      patternType: request.patternTypeFilter,
    });
    if (filter === undefined)
      return { ...answer, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Invalid DescribeAcls filter: unknown elements' };
    const groups = new Map<string, ReturnType<typeof describeAclsResource>>();
    for (const { pattern, entry } of broker.acls.describe(filter)) {
      const key = `${pattern.resourceType}\0${pattern.patternType}\0${pattern.name}`;
      const group = groups.get(key) ?? describeAclsResource(pattern);
      group.acls.push({
        principal: entry.principal,
        host: entry.host,
        operation: OPERATION_CODES[entry.operation],
        permissionType: PERMISSION_TYPE_CODES[entry.permissionType],
      });
      groups.set(key, group);
    }
    return { ...answer, errorCode: ErrorCode.NONE, errorMessage: null, resources: [...groups.values()] };
  };
}

function describeAclsResource(pattern: AclBinding['pattern']) {
  return {
    resourceType: RESOURCE_TYPE_CODES[pattern.resourceType],
    resourceName: pattern.name,
    patternType: PATTERN_TYPE_CODES[pattern.patternType],
    acls: [] as { principal: string; host: string; operation: number; permissionType: number }[],
  };
}

/** DeleteAcls v0-3: ALTER on the cluster; per filter the bindings it removed. */
export function deleteAclsHandler(broker: BrokerContext): Handler<typeof ApiKey.DeleteAcls> {
  return async (request, ctx) => {
    const refuse = (error: { errorCode: number; errorMessage: string }) => ({
      throttleTimeMs: 0,
      filterResults: request.filters.map(() => ({ ...error, matchingAcls: [] })),
    });
    if (broker.acls === undefined) return refuse(NO_AUTHORIZER);
    if (!allowed(ctx, 'ALTER')) return refuse(CLUSTER_DENIED('DeleteAcls'));
    const filters = request.filters.map((f) =>
      filterOf({
        ...f,
        resourceType: f.resourceTypeFilter,
        resourceName: f.resourceNameFilter,
        patternType: f.patternTypeFilter,
        principal: f.principalFilter,
        host: f.hostFilter,
      }),
    );
    const results = await broker.acls.delete(filters.filter((f): f is AclBindingFilter => f !== undefined));
    return {
      throttleTimeMs: 0,
      filterResults: answeredInOrder(
        filters,
        results,
        () => ({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Invalid DeleteAcls filter: unknown elements', matchingAcls: [] }),
        ({ error, deleted }) => ({
          errorCode: error?.code ?? ErrorCode.NONE,
          errorMessage: error?.message ?? null,
          matchingAcls: deleted.map((binding) => ({ errorCode: ErrorCode.NONE, errorMessage: null, ...bindingCodes(binding) })),
        }),
      ),
    };
  };
}

/**
 * One answer for each of `requested`, in order: an invalid one (undefined) answered by `invalid`, the
 * others by `valid` with their result, `results` being the answers to the valid ones in their order.
 */
function answeredInOrder<R, A>(requested: readonly unknown[], results: readonly R[], invalid: () => A, valid: (result: R) => A): A[] {
  let next = 0;
  return requested.map((r) => (r === undefined ? invalid() : valid(results[next++]!)));
}
