/**
 * Transport: the one module through which every node talks to Visma.net (HTTP, auth, paging,
 * retries, error mapping). Nodes import from here only.
 */
export * from './request';
export * from './endpoints';
export {
	VismaNetApiError,
	isOutcomeUnknown,
	isRefusedWithVismaText,
	failureStatus,
	readVismaErrorBody,
} from './errors';
export { DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUT_SECONDS, type RetryPolicy } from './retry';
export { withTenant, clearTenantTokens } from './tenantTokens';
