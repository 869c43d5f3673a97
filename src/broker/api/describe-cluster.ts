import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultDescribeClusterResponse } from '../../protocol/generated/apis/describe-cluster.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';
import { clusterAuthorizedOperations, reachableBrokers } from './metadata.js';

/** DescribeCluster's endpoint_type for brokers (controllers are 2). */
const BROKER_ENDPOINT = 1;

/**
 * DescribeCluster v0-1: the cluster id, the controller and the live brokers, each at its address
 * on the listener the client used. A request meant for a controller endpoint (v1) is
 * refused, as Kafka's brokers refuse it.
 */
export function describeClusterHandler(broker: BrokerContext): Handler<typeof ApiKey.DescribeCluster> {
  return (request, ctx) => {
    const response = { ...defaultDescribeClusterResponse(), endpointType: BROKER_ENDPOINT };
    if (request.endpointType !== BROKER_ENDPOINT) {
      return {
        ...response,
        errorCode: ErrorCode.MISMATCHED_ENDPOINT_TYPE,
        errorMessage: 'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER',
      };
    }
    return {
      ...response,
      clusterId: broker.clusterId,
      controllerId: broker.metadata.controllerId,
      brokers: reachableBrokers(broker.metadata, ctx.connection.listenerName).map(({ id, host, port, rack }) => ({
        brokerId: id,
        host,
        port,
        rack,
      })),
      ...(request.includeClusterAuthorizedOperations ? { clusterAuthorizedOperations: clusterAuthorizedOperations(ctx) } : {}),
    };
  };
}
