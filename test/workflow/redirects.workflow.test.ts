/**
 * A redirect never carries a secret or a journal to another origin (issue "hostile network",
 * item 1). Two REAL local servers: a front that forwards to the sandbox but answers chosen
 * requests with 302/307 to a second origin (another port), which records whatever reaches it.
 * The nodes run through n8n-core's real request helpers (OAuth2 included) in the workflow harness.
 */
import type { IDataObject } from 'n8n-workflow';

import type { NmbrsSandbox } from '../../sandboxes/nmbrs/server';
import type { Sandbox } from '../../sandboxes/visma-net/server';
import { smallJournal } from '../helpers/journals';
import { createPayrollFlow } from '../../scripts/lib/harness/payrollFlow';
import {
	startRedirectingFront,
	useRedirectingFront,
	type RedirectRule,
} from '../helpers/redirectServers';
import { useLocalServer, useNmbrsSandbox, useVismaSandbox } from '../helpers/sandboxes';
import { collectStrings, journalPosts, secretsOf } from '../helpers/workflowChecks';
import { createTriggerRunner } from '../../scripts/lib/triggerRunner';

const POST = 'Post Journal Transaction';

const sandbox = useVismaSandbox();
const nmbrs = useNmbrsSandbox();
let rules: RedirectRule[] = [];
const { elsewhere, front } = useRedirectingFront(
	sandbox,
	() => rules,
	(request) =>
		request.url.startsWith('/connect/token')
			? {
					status: 200,
					body: JSON.stringify({
						access_token: 'elsewhere-token',
						token_type: 'Bearer',
						expires_in: 3600,
					}),
				}
			: request.method === 'POST' && request.url.startsWith('/v2/journaltransaction')
				? { status: 201, headers: { location: '/v2/journaltransaction/999' }, body: '' }
				: { status: 200, body: '[]' },
);
const nmbrsFront = useLocalServer(() =>
	startRedirectingFront(nmbrs.url, elsewhere.url, () => rules),
);
beforeEach(() => {
	elsewhere.received.length = 0;
	rules = [];
});

/** The month-end chain with the credential's API and Connect URLs pointing at the front. */
function frontFlow() {
	return createPayrollFlow({ ...sandbox, url: front.url } as Sandbox);
}

function everythingElsewhereGot(): string {
	return JSON.stringify(elsewhere.received);
}

describe('Visma.net API: a redirect is not followed', () => {
	it.each([302, 307])(
		'a %i on a read (GET) ends in a clear error; the other origin receives nothing',
		async (status) => {
			rules = [{ method: 'GET', path: '/v2/journaltransaction', status }];
			const flow = frontFlow();
			const result = await flow.run([smallJournal()]);
			expect(elsewhere.received).toEqual([]);
			const error = result.nodes[POST]?.error;
			expect(error?.message).toContain(`${status}`);
			expect(error?.message).toContain(new URL(elsewhere.url).host);
			expect(error?.message).toMatch(/redirect .* was not followed/);
			expect(error?.description).toMatch(/Check the API URL in the Visma\.net credential/);
			expect(journalPosts(sandbox)).toEqual([]);
		},
	);

	it.each([302, 307])(
		'a %i on the journal POST: no token, no journal elsewhere; the item is POST_OUTCOME_UNKNOWN, never "posted"',
		async (status) => {
			rules = [{ method: 'POST', path: '/v2/journaltransaction', status }];
			const flow = frontFlow();
			const result = await flow.run([smallJournal()], { continueOnFail: true });
			const secrets = secretsOf(flow.harness, [flow.credentials!.vismaNetOAuth2Api.id!]);
			expect(secrets).toContain(sandbox.demo.clientSecret);
			expect(secrets.length).toBeGreaterThan(1);
			expect(elsewhere.received).toEqual([]);
			for (const secret of secrets) expect(everythingElsewhereGot()).not.toContain(secret);
			const [item] = result.json(POST);
			expect((item.visma as IDataObject).status).toBe('failed');
			expect((item.visma as IDataObject).batchNumber).toBeNull();
			expect(JSON.stringify(item)).toContain('POST_OUTCOME_UNKNOWN');
			// The next step is the redirect's: correct the URL, then run again (it looks first).
			expect(JSON.stringify(item)).toMatch(
				/Check the API URL in the Visma\.net credential.*never booked twice/,
			);
		},
	);

	it('the token request to a Connect URL that redirects: no client secret and no Authorization reach the other origin', async () => {
		for (const status of [302, 307]) {
			sandbox.reset();
			elsewhere.received.length = 0;
			rules = [{ path: '/connect/token', status }];
			const flow = frontFlow();
			const result = await flow.run([smallJournal()], { continueOnFail: true });
			// What the package cannot change: n8n-core's token client (@n8n/client-oauth2) follows the
			// redirect. What it can: the secret is in the Authorization header, dropped across origins.
			expect(elsewhere.received.some((request) => request.url.startsWith('/connect/token'))).toBe(
				true,
			);
			for (const request of elsewhere.received)
				expect(request.headers.authorization).toBeUndefined();
			expect(everythingElsewhereGot()).not.toContain(sandbox.demo.clientSecret);
			expect(
				collectStrings(result.run.data.resultData).some((text) =>
					text.includes(sandbox.demo.clientSecret),
				),
			).toBe(false);
		}
	});
});

describe('Nmbrs SOAP: a redirect is not followed', () => {
	it.each([302, 307])(
		'a %i ends in a clear error; neither the SOAP body nor the API token reaches the other origin',
		async (status) => {
			rules = [{ method: 'POST', status }];
			const runner = createTriggerRunner({ ...nmbrs, url: nmbrsFront.url } as NmbrsSandbox, {
				companyScope: 'all',
				years: 'current',
			});
			await expect(runner.poll()).rejects.toThrow(
				new RegExp(`${status}.*${new URL(elsewhere.url).host.replace(/\./g, '\\.')}`),
			);
			expect(elsewhere.received).toEqual([]);
			expect(everythingElsewhereGot()).not.toContain(nmbrs.demo.token);
		},
	);
});
