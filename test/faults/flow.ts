/**
 * The month-end chain for the fault suite, against a sandbox given by URL and demo credentials
 * (so a child process, which has no `Sandbox` object, builds the same flow), and the secrets one
 * flow handled.
 */
import type { IDataObject } from 'n8n-workflow';

import { createPayrollFlow, type PayrollFlow } from '../../scripts/lib/harness/payrollFlow';
import type { Sandbox } from '../../sandboxes/visma-net/server';
import { sourceFlowTypes } from './sourceTypes';

/** What the flow needs to know about a sandbox. */
export interface SandboxTarget {
	url: string;
	clientId: string;
	clientSecret: string;
	tenantId: string;
}

export function targetOf(sandbox: Sandbox): SandboxTarget {
	return {
		url: sandbox.url,
		clientId: sandbox.demo.clientId,
		clientSecret: sandbox.demo.clientSecret,
		tenantId: sandbox.demo.tenantId,
	};
}

/** Validate → Split → Map → Post through n8n's engine, with one credential for the target. */
export function createFaultFlow(target: SandboxTarget): PayrollFlow {
	// createPayrollFlow reads only `url` and `demo.{clientId, clientSecret, tenantId}` of a sandbox.
	const sandboxLike = {
		url: target.url,
		demo: {
			clientId: target.clientId,
			clientSecret: target.clientSecret,
			tenantId: target.tenantId,
		},
	};
	return createPayrollFlow(sandboxLike as unknown as Sandbox, target.tenantId, sourceFlowTypes());
}

/** Every access and refresh token n8n stored for this flow's credential, oldest first. */
export function tokensOf(flow: PayrollFlow): string[] {
	const tokens = new Set<string>();
	const add = (data: unknown) => {
		const record = (data ?? {}) as IDataObject;
		for (const key of ['access_token', 'refresh_token']) {
			if (typeof record[key] === 'string' && record[key]) tokens.add(record[key]);
		}
	};
	for (const update of flow.harness.credentialsHelper.oauthTokenUpdates) add(update.oauthTokenData);
	add(flow.harness.getStoredCredential('vismaNetOAuth2Api')?.data.oauthTokenData);
	return [...tokens];
}
