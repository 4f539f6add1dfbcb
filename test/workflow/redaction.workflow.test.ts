/**
 * Server text can carry secrets (issue "hostile network", item 7): a Visma.net front that echoes
 * the Authorization header and the request body into its error text, a Visma Connect that echoes
 * the client secret, and Nmbrs SOAP faults that echo the API token. No secret may appear anywhere
 * in what n8n keeps (items, node errors with their cause, n8n's run data, its own serialization)
 * nor in a log line.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import type { Sandbox } from '../../sandboxes/visma-net/server';
import { smallJournal } from '../helpers/journals';
import { createPayrollFlow } from '../../scripts/lib/harness/payrollFlow';
import { useRedirectingFront, type RedirectRule } from '../helpers/redirectServers';
import { useNmbrsSandbox, useVismaSandbox } from '../helpers/sandboxes';
import { collectStrings, secretsOf } from '../helpers/workflowChecks';
import { createTriggerRunner } from '../../scripts/lib/triggerRunner';

const sandbox = useVismaSandbox();
const nmbrs = useNmbrsSandbox();
let rules: RedirectRule[] = [];
const { front } = useRedirectingFront(sandbox, () => rules);

beforeEach(() => {
	rules = [];
});

/** Every string of `value` (own properties, causes, Maps) and its JSON, as n8n would store it. */
function readable(value: unknown): string {
	let json = '';
	try {
		json = JSON.stringify(value);
	} catch {
		json = '';
	}
	return [...collectStrings(value), json].join('\n');
}

describe('Visma.net: echoed secrets never reach a message', () => {
	it.each([
		['a read (Map Dimensions, 400)', { method: 'GET', path: '/v1/dimension', echo: 400 }],
		['the journal POST (400)', { method: 'POST', path: '/v2/journaltransaction', echo: 400 }],
		[
			'the journal POST (500, outcome unknown)',
			{ method: 'POST', path: '/v2/journaltransaction', echo: 500 },
		],
	] as const)('%s: no token, no client secret in items, errors, run data', async (_what, rule) => {
		rules = [rule];
		const flow = createPayrollFlow({ ...sandbox, url: front.url } as Sandbox);
		const result = await flow.run([smallJournal()], { continueOnFail: true });
		const secrets = secretsOf(flow.harness, [flow.credentials!.vismaNetOAuth2Api.id!]);
		expect(secrets.length).toBeGreaterThan(1);
		const text = readable([result.nodes, result.run.data.resultData, result.error]);
		expect(text).toMatch(/Refused\. You sent Authorization/);
		for (const secret of secrets) expect(text).not.toContain(secret);
		expect(text).toContain('[redacted]');
	});

	it('bounds the server text copied into a message', async () => {
		rules = [
			{
				method: 'GET',
				path: '/v1/dimension',
				answer: { status: 400, body: JSON.stringify({ message: `Wrong. ${'x'.repeat(20_000)}` }) },
			},
		];
		const flow = createPayrollFlow({ ...sandbox, url: front.url } as Sandbox);
		const result = await flow.run([smallJournal()], { continueOnFail: true });
		const text = readable(result.nodes['Map Dimensions']);
		expect(text).toContain('Wrong.');
		expect(text).not.toContain('x'.repeat(501));
	});
});

describe('Nmbrs: a SOAP fault echoing the token', () => {
	it('never puts the token in the error or the log', async () => {
		const token = nmbrs.demo.token;
		nmbrs.planFault({
			operation: 'List_GetAll',
			times: 1,
			kind: 'fault',
			message: `Invalid token ${token} (<Token>${token}</Token>) for ${nmbrs.demo.username}`,
		});
		const runner = createTriggerRunner(nmbrs, { companyScope: 'all', years: 'current' });
		let thrown: unknown;
		try {
			await runner.poll();
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(Error);
		const text = readable(thrown);
		expect(text).toContain('Invalid token');
		expect(text).not.toContain(token);
	});

	it('the trigger log line for a run that could not be fetched carries no token', async () => {
		const token = nmbrs.demo.token;
		const logger = Container.get(Logger);
		const warn = jest.spyOn(logger, 'warn');
		try {
			nmbrs.planFault({
				operation: 'Journals_GetByRunCompany_v2',
				times: 1,
				kind: 'fault',
				message: `Token ${token} has no access`,
			});
			const runner = createTriggerRunner(nmbrs, {
				companyScope: 'selected',
				companyIds: ['1234', '1235'],
				years: 'specific',
				specificYears: '2026',
				onFirstPoll: 'emitExisting',
			});
			const journals = await runner.pollJournals();
			expect(journals).toHaveLength(1);
			const lines = warn.mock.calls.map((call) => readable(call));
			expect(lines.join('\n')).toContain('could not be fetched');
			expect(lines.join('\n')).not.toContain(token);
		} finally {
			warn.mockRestore();
		}
	});
});
