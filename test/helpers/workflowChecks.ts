/**
 * Checks the workflow tests share: what reached the sandbox's journal endpoint, and whether a
 * secret (client secret, access or refresh token) shows up anywhere a user or an operator could
 * read it: output items, node errors (message, description, context), n8n's run data, the
 * sandbox's request log.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import type { RequestLogEntry, Sandbox } from '../../sandboxes/visma-net/server';
import type { PayrollFlow } from '../../scripts/lib/harness/payrollFlow';
import type { WorkflowHarness, WorkflowRunResult } from '../../scripts/lib/harness/workflowHarness';

const JOURNAL_ENDPOINT = /^\/v2\/journaltransaction\/?$/i;

/** Every POST that reached `/v2/journaltransaction` (a new batch), whatever its answer. */
export function journalPosts(sandbox: Sandbox, tenantId?: string): RequestLogEntry[] {
	return sandbox
		.requests()
		.filter((entry) => entry.method === 'POST' && JOURNAL_ENDPOINT.test(entry.path))
		.filter((entry) => tenantId === undefined || entry.tenantId === tenantId);
}

/** Every request to the journal endpoint or one of its batches (list, post, release). */
export function journalRequests(sandbox: Sandbox): RequestLogEntry[] {
	return sandbox.requests().filter((entry) => /^\/v2\/journaltransaction/i.test(entry.path));
}

/** The `visma` block of each Post output item. */
export function vismaOf(
	result: WorkflowRunResult,
	nodeName = 'Post Journal Transaction',
	outputIndex = 0,
): IDataObject[] {
	return result.json(nodeName, outputIndex).map((json) => json.visma as IDataObject);
}

/** Post's report on one part (its item's `visma` block): the fields the workflow tests read. */
export interface PostOutput {
	status: string;
	batchNumber: string | null;
	financialPeriod: string;
	idempotencyKey: string;
	recovered?: boolean;
	difference?: boolean;
	released?: boolean;
	tookOffHold?: string;
	request?: IDataObject;
}

/** What Post reported for each part, in order; Post itself must not have failed. */
export function postOutputs(result: WorkflowRunResult): PostOutput[] {
	expect(result.nodes['Post Journal Transaction'].error).toBeUndefined();
	return vismaOf(result) as unknown as PostOutput[];
}

/** The secrets a run may have handled: the client secrets and every token n8n stored. */
export function secretsOf(harness: WorkflowHarness, credentialIds: readonly string[]): string[] {
	const secrets = new Set<string>();
	for (const id of credentialIds) {
		const data: ICredentialDataDecryptedObject | undefined = harness.getStoredCredential(id)?.data;
		if (!data) continue;
		if (typeof data.clientSecret === 'string' && data.clientSecret) secrets.add(data.clientSecret);
		const tokens = data.oauthTokenData as IDataObject | undefined;
		for (const key of ['access_token', 'refresh_token']) {
			if (typeof tokens?.[key] === 'string' && tokens[key]) secrets.add(tokens[key]);
		}
	}
	return [...secrets];
}

/**
 * Every string reachable from `value`, own non-enumerable properties included (an Error's
 * `message`, `description`, `context`, `cause`), cycles followed once.
 */
export function collectStrings(
	value: unknown,
	seen = new Set<unknown>(),
	out: string[] = [],
): string[] {
	if (typeof value === 'string') {
		out.push(value);
		return out;
	}
	if (value === null || typeof value !== 'object' || seen.has(value)) return out;
	seen.add(value);
	if (Buffer.isBuffer(value)) {
		out.push(value.toString('utf8'));
		return out;
	}
	if (value instanceof Map) {
		for (const [key, entry] of value) {
			collectStrings(key, seen, out);
			collectStrings(entry, seen, out);
		}
		return out;
	}
	for (const key of Object.getOwnPropertyNames(value)) {
		let entry: unknown;
		try {
			entry = (value as Record<string, unknown>)[key];
		} catch {
			continue;
		}
		collectStrings(entry, seen, out);
	}
	return out;
}

/** Where a secret appears: `[what, secret prefix]` pairs; empty when nothing leaked. */
export function findLeaks(places: Record<string, unknown>, secrets: readonly string[]): string[] {
	const leaks: string[] = [];
	for (const [place, value] of Object.entries(places)) {
		const strings = collectStrings(value);
		for (const secret of secrets) {
			if (strings.some((text) => text.includes(secret)))
				leaks.push(`${place} holds ${secret.slice(0, 6)}…`);
		}
	}
	return leaks;
}

/** What a user or operator can read after these runs: items, errors, n8n's run data, the sandbox log. */
export function readablePlaces(
	results: readonly WorkflowRunResult[],
	sandbox: Sandbox,
): Record<string, unknown> {
	const places: Record<string, unknown> = { 'the sandbox request log': sandbox.requests() };
	results.forEach((result, index) => {
		places[`run ${index + 1}: output items and node errors`] = result.nodes;
		places[`run ${index + 1}: workflow error`] = result.error;
		places[`run ${index + 1}: n8n run data`] = result.run.data.resultData;
	});
	return places;
}

/**
 * Nothing secret in what a test's runs left behind (journal-contract §4): the sandbox's client
 * secret and every token the given harnesses stored, looked for in the runs' items, errors, run
 * data and the sandbox's request log.
 */
export function expectNoSecretsLeft(
	sandbox: Sandbox,
	results: readonly WorkflowRunResult[],
	harnesses: ReadonlyArray<{ harness: WorkflowHarness; credentialIds: readonly string[] }>,
): void {
	const secrets = [
		sandbox.demo.clientSecret,
		...harnesses.flatMap(({ harness, credentialIds }) => secretsOf(harness, credentialIds)),
	];
	expect(secrets.length).toBeGreaterThan(0);
	expect(findLeaks(readablePlaces(results, sandbox), secrets)).toEqual([]);
}

/** A harness a test ran, with the ids of the credentials it held (default: a payroll flow's). */
export interface CheckedHarness {
	harness: WorkflowHarness;
	credentialIds?: readonly string[];
}

/**
 * The secrets check after every test of a file (expectNoSecretsLeft): the runs a test pushes into
 * the returned array (emptied before each test) and the harnesses `harnesses()` names then (a
 * PayrollFlow is one, its credential `vismaNetOAuth2Api`) are looked through after the test.
 */
export function checkSecretsAfterEach(
	sandbox: Sandbox,
	harnesses: () => readonly CheckedHarness[],
): WorkflowRunResult[] {
	const results: WorkflowRunResult[] = [];
	beforeEach(() => {
		results.length = 0;
	});
	afterEach(() => {
		expectNoSecretsLeft(
			sandbox,
			results,
			harnesses().map(({ harness, credentialIds = ['vismaNetOAuth2Api'] }) => ({
				harness,
				credentialIds,
			})),
		);
	});
	return results;
}

/** `flow().run` with each result kept in `results` (checkSecretsAfterEach's) for the check. */
export function keptRun(flow: () => PayrollFlow, results: WorkflowRunResult[]): PayrollFlow['run'] {
	return async (journals, parameters) => {
		const result = await flow().run(journals, parameters);
		results.push(result);
		return result;
	};
}
