/**
 * The API load balancer's name, which the cluster's nodes resolve before any DNS exists for it.
 * The platform services' names are not known here: renderAnsible takes them from its caller.
 */

/** Name of the API endpoint behind the master LB, as the seed's hosts list has it. */
export const API_ENDPOINT_NAME = 'cluster-endpoint';
