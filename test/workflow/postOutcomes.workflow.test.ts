/**
 * `posted` only with a batch number Visma.net confirmed (issue "hostile network", item 6): a real
 * local front before the Visma.net sandbox answers the journal POST in ways a hostile network or
 * a broken proxy can (2xx without Location and nothing booked, a Location that cannot be read, a
 * Location that names no batch), and a wrong client secret meets the token endpoint.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandboxes/visma-net/server';
import { SandboxStore } from '../../sandboxes/visma-net/store';
import { smallJournal } from '../helpers/journals';
import {
	batchesOf,
	createPayrollFlow,
	type FlowParameters,
} from '../../scripts/lib/harness/payrollFlow';
import { useRedirectingFront, type RedirectRule } from '../helpers/redirectServers';
import { useVismaSandbox } from '../helpers/sandboxes';

const POST = 'Post Journal Transaction';
const JOURNALS = '/v2/journaltransaction';

const sandbox = useVismaSandbox();
let rules: RedirectRule[] = [];
const { front } = useRedirectingFront(sandbox, () => rules);

beforeEach(() => {
	rules = [];
});

async function postThroughFront(
	demo: Partial<Sandbox['demo']> = {},
	post: FlowParameters['post'] = {},
) {
	const logged = sandbox.requests().length;
	const flow = createPayrollFlow({
		...sandbox,
		url: front.url,
		demo: { ...sandbox.demo, ...demo },
	} as Sandbox);
	const result = await flow.run([smallJournal()], { continueOnFail: true, post });
	const [item] = result.json(POST);
	const requests = sandbox.requests().slice(logged);
	const posts = requests.filter((entry) => entry.method === 'POST' && entry.path === JOURNALS);
	return { result, item, visma: (item?.visma ?? {}) as IDataObject, requests, posts };
}

function withLocation(location: string | undefined): RedirectRule {
	return {
		method: 'POST',
		path: JOURNALS,
		rewriteHeaders: (headers) => {
			const rest = Object.fromEntries(
				Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'location'),
			);
			return location === undefined ? rest : { ...rest, location };
		},
	};
}

describe('the journal POST: posted only when Visma.net confirms the batch', () => {
	it('a 201 without Location that booked nothing is not "posted as batch null": POST_OUTCOME_UNKNOWN', async () => {
		rules = [{ method: 'POST', path: JOURNALS, answer: { status: 201 } }];
		const { item, visma } = await postThroughFront();
		expect(batchesOf(sandbox)).toEqual([]);
		expect(visma.status).toBe('failed');
		expect(visma.batchNumber).toBeNull();
		expect(JSON.stringify(item)).toContain('POST_OUTCOME_UNKNOWN');
		expect(JSON.stringify(item)).not.toContain('as batch null');
	});

	it('a 200 with Location of another resource (no batch in it) is looked up, not believed', async () => {
		rules = [
			{
				method: 'POST',
				path: JOURNALS,
				answer: { status: 200, headers: { location: `${JOURNALS}/` } },
			},
		];
		const { visma } = await postThroughFront();
		expect(batchesOf(sandbox)).toEqual([]);
		expect(visma.status).toBe('failed');
		expect(visma.batchNumber).toBeNull();
	});

	it('booked, but the Location was stripped on the way: found by its tag, posted with the real batch number', async () => {
		rules = [withLocation(undefined)];
		const { visma } = await postThroughFront();
		const [batch] = batchesOf(sandbox);
		expect(visma.status).toBe('posted');
		expect(visma.batchNumber).toBe(batch.batchNumber);
	});

	it.each([`${JOURNALS}/%E0%A4%A`, 'http://[not a url', `${JOURNALS}/a%00b`])(
		'booked, with a Location that cannot be read (%p): posted with the real batch number, not failed',
		async (location) => {
			rules = [withLocation(location)];
			const { visma, item, posts } = await postThroughFront();
			const [batch] = batchesOf(sandbox);
			expect(posts).toHaveLength(1);
			expect(visma.status).toBe('posted');
			expect(visma.batchNumber).toBe(batch.batchNumber);
			expect(JSON.stringify(item)).not.toMatch(/URI|malformed/i);
		},
	);
});

describe('a Location that names another batch is not believed', () => {
	/** Another journal's batch, posted directly (not through the front). */
	async function otherBatch(): Promise<string> {
		const flow = createPayrollFlow(sandbox);
		const result = await flow.run([smallJournal({ reference: 'R2026-04-OTHER' })], {
			continueOnFail: true,
		});
		const [item] = result.json(POST);
		return String((item.visma as IDataObject).batchNumber);
	}

	it('series mode with Release: the batch this POST booked is reported and released, never the batch the Location names', async () => {
		const other = await otherBatch();
		rules = [withLocation(`${JOURNALS}/${other}`)];
		const { visma } = await postThroughFront({}, { release: true });
		const mine = batchesOf(sandbox).find((batch) => batch.batchNumber !== other)!;
		expect(visma.status).toBe('posted');
		expect(visma.batchNumber).toBe(mine.batchNumber);
		// Released by this POST's item: its own batch (the sandbox posts on release), never the other.
		expect(batchesOf(sandbox).find((batch) => batch.batchNumber === other)!.status).toBe(
			'Balanced',
		);
		expect(mine.status).toBe('Posted');
	});

	it('derived mode: a Location with a number other than the derived one is checked against the batch under the derived number', async () => {
		const other = await otherBatch();
		rules = [withLocation(`${JOURNALS}/${other}`)];
		const { visma } = await postThroughFront({}, { batchNumbers: 'derived' });
		const mine = batchesOf(sandbox).find((batch) => batch.batchNumber !== other)!;
		expect(mine.batchNumber).toMatch(/^P[0-9A-Z]{14}$/);
		expect(visma.status).toBe('posted');
		expect(visma.batchNumber).toBe(mine.batchNumber);
	});
});

describe('the journal POST with derived batch numbers: posted only when the batch under the number confirms it', () => {
	it('booked, but the Location was stripped: the batch under the derived number has the sent tag, posted (not recovered)', async () => {
		rules = [withLocation(undefined)];
		const { visma, requests } = await postThroughFront({}, { batchNumbers: 'derived' });
		const [batch] = batchesOf(sandbox);
		expect(visma.status).toBe('posted');
		expect(visma.batchNumber).toBe(batch.batchNumber);
		expect(batch.batchNumber).toMatch(/^P[0-9A-Z]{14}$/);
		expect(visma.recovered).toBeUndefined();
		expect(
			requests
				.filter((entry) => entry.path.startsWith(JOURNALS))
				.map((entry) => [entry.method, entry.path]),
		).toEqual([
			['POST', JOURNALS],
			['GET', `${JOURNALS}/${batch.batchNumber}`],
		]);
	});

	it('a 201 without Location that booked nothing: POST_OUTCOME_UNKNOWN, nothing posted', async () => {
		rules = [{ method: 'POST', path: JOURNALS, answer: { status: 201 } }];
		const { item, visma } = await postThroughFront({}, { batchNumbers: 'derived' });
		expect(batchesOf(sandbox)).toEqual([]);
		expect(visma.status).toBe('failed');
		expect(JSON.stringify(item)).toContain('POST_OUTCOME_UNKNOWN');
	});
});

describe('credential errors are credential errors', () => {
	it('401 invalid_client at the token endpoint: says so, one token request, no ECONNRESET, no retries', async () => {
		const { result, item, requests, posts } = await postThroughFront({
			clientSecret: 'wrong-secret-0123456789',
		});
		const tokenRequests = requests.filter((entry) => entry.path === '/connect/token');
		// One try each for the two nodes that call Visma.net (Map Dimensions, Post): not 5 each.
		expect(tokenRequests).toHaveLength(2);
		expect(posts).toEqual([]);
		const error = result.nodes[POST]?.error ?? (item as IDataObject);
		const text = JSON.stringify(error);
		expect(text).not.toMatch(/ECONNRESET|connection to Visma\.net broke off|tries/i);
		expect(text).toMatch(/credential/i);
		expect(text).toMatch(/client ID|client secret/i);
		expect(text).not.toContain('wrong-secret-0123456789');
		expect(
			result.nodes['Map Dimensions']?.items?.[0]?.json?.error ??
				JSON.stringify(result.nodes['Map Dimensions']),
		).toMatch(/Visma Connect refused the credential/);
	});

	it.each([
		[
			'an HTML page (a login portal, not Visma Connect)',
			{ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>Sign in</html>' },
		],
		[
			'a 404 without an OAuth error',
			{ status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' },
		],
	])(
		'a Connect URL answering %s: a credential/URL error, not a broken connection, not retried',
		async (_what, answer) => {
			rules = [{ path: '/connect/token', answer }];
			const { result, requests, posts } = await postThroughFront();
			void requests;
			expect(posts).toEqual([]);
			const text = JSON.stringify(result.nodes['Map Dimensions']);
			expect(text).toMatch(/Visma Connect/);
			expect(text).toMatch(/Connect URL|client ID/);
			expect(text).not.toMatch(/ECONNRESET|ESTATUS|broke off|tries/);
		},
	);
});

describe('the tag must survive in Visma.net', () => {
	it('a Visma.net that keeps fewer characters of the description than sent (the tag cut): TAG_NOT_KEPT, and the batch is left On Hold (not in the ledger)', async () => {
		// A Visma.net whose description column keeps 30 characters: the tag (47 characters) is cut.
		const create = SandboxStore.prototype.create;
		const spy = jest.spyOn(SandboxStore.prototype, 'create').mockImplementation(function (
			this: SandboxStore,
			tenantId,
			content,
			status,
			batchNumber,
		) {
			return create.call(
				this,
				tenantId,
				{ ...content, description: content.description?.slice(0, 30) },
				status,
				batchNumber,
			);
		});
		try {
			const { item, visma, posts } = await postThroughFront();
			expect(posts).toHaveLength(1);
			const error = item.error as IDataObject;
			expect(error.code).toBe('TAG_NOT_KEPT');
			expect(error.message).toContain('would post it again');
			expect(visma.batchNumber).toBe('000001');
			expect(visma.status).toBe('failed');
			// Not in the ledger: the batch is On Hold, as it was saved.
			expect(batchesOf(sandbox).map((batch) => batch.status)).toEqual(['Hold']);
		} finally {
			spy.mockRestore();
		}
	});
});
