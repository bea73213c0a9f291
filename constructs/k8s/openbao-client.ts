import { PLATFORM } from '../../config';

/**
 * The ServiceAccount every platform namespace provides for pods that log in to OpenBao with
 * Kubernetes auth: what a service declares its namespace's role binds.
 */
export const OPENBAO_CLIENT_ACCOUNT = PLATFORM.openbao.clientServiceAccount;
