/**
 * Posting as a bookkeeper sees it, through n8n's engine against the Visma.net sandbox: a
 * recalculated run, dry run, hold and release, and administrations (one payroll company, one
 * Visma.net company).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import Ajv from 'ajv';
import type { IConnections, IDataObject, INodeCredentialsDetails } from 'n8n-workflow';

import { VismaNetOAuth2Api } from '../../credentials/VismaNetOAuth2Api.credentials';
import { marchRunWithTwk, smallJournal, type JsonJournal } from '../helpers/journals';
import {
	batchesOf,
	createPayrollFlow,
	NODE_TYPES,
	sandboxCredentialData,
	type PayrollFlow,
} from '../../scripts/lib/harness/payrollFlow';
import { useVismaSandbox } from '../helpers/sandboxes';
import {
	checkSecretsAfterEach,
	keptRun,
	type CheckedHarness,
	journalPosts,
	journalRequests,
	vismaOf,
} from '../helpers/workflowChecks';
import {
	harnessNode,
	PACKAGE_NAME,
	WorkflowHarness,
} from '../../scripts/lib/harness/workflowHarness';

const POST = 'Post Journal Transaction';
const BAKKERIJ = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e01';
const JANSEN = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e02';

const openapi = JSON.parse(
	readFileSync(path.resolve(__dirname, '../fixtures/visma-net/openapi-gl-subset.json'), 'utf8'),
);
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema(openapi, 'openapi');
const validateUpdateDto = ajv.getSchema('openapi#/components/schemas/JournalTransactionUpdateDto')!;

const sandbox = useVismaSandbox();
let flow: PayrollFlow;
/** Harnesses of a test beside `flow`'s, with the ids of their credentials, for the secrets check. */
let extraHarnesses: CheckedHarness[];
const results = checkSecretsAfterEach(sandbox, () => [flow, ...extraHarnesses]);

const run = keptRun(() => flow, results);

/** Lines of a batch as `[account, subaccount, debit, credit, reference]`. */
function linesOf(batch: ReturnType<typeof batchesOf>[number]) {
	return (batch.journalTransactionLines ?? []).map((line) => [
		line.accountNumber,
		line.subaccount?.subaccountNumber,
		line.debitAmountInCurrency,
		line.creditAmountInCurrency,
		line.referenceNumber,
	]);
}

/** The March run recalculated: January and March gross wages up by 10.00 and 50.00, still balanced. */
function recalculatedMarchRun(): JsonJournal {
	const journal = marchRunWithTwk();
	journal.lines[0].debit = '4300.00'; // Bruto lonen March, cost centre 100
	journal.lines[6].credit = '5275.15'; // Nettolonen March
	journal.lines[7].debit = '160.00'; // Bruto lonen TWK januari
	journal.lines[9].credit = '104.50'; // Nettolonen TWK januari
	return journal;
}

beforeEach(() => {
	flow = createPayrollFlow(sandbox);
	extraHarnesses = [];
});

describe('a recalculated run (the payroll changed after it was sent)', () => {
	beforeEach(async () => {
		const first = await run([marchRunWithTwk()]);
		expect(vismaOf(first).map((visma) => visma.status)).toEqual(['posted', 'posted', 'posted']);
		sandbox.clearRequests();
	});

	it('is refused with JOURNAL_CHANGED naming the earlier batch, and nothing is posted', async () => {
		const result = await run([recalculatedMarchRun()], { post: { onChangedJournal: 'fail' } });
		const error = result.nodes[POST].error!;
		expect(error).toBeDefined();
		expect(error.message).toMatch(
			/^Journal R2026-03: this part \(2026-01\) was posted before as batch 000001 with other amounts/,
		);
		expect(error.message).toMatch(/Post Difference Journal/);
		expect(
			((error.context as IDataObject).issues as IDataObject[]).map((issue) => issue.code),
		).toEqual(['JOURNAL_CHANGED']);
		expect(journalPosts(sandbox)).toEqual([]);
		expect(batchesOf(sandbox)).toHaveLength(3);
	});

	it('with Post Difference Journal, books one extra batch per changed period holding only the balanced difference, under the same reference', async () => {
		const result = await run([recalculatedMarchRun()], {
			post: { onChangedJournal: 'differenceJournal' },
		});
		expect(result.nodes[POST].error).toBeUndefined();
		const posted = vismaOf(result);
		expect(
			posted.map((visma) => [visma.financialPeriod, visma.status, visma.difference ?? false]),
		).toEqual([
			['202601', 'posted', true],
			['202602', 'alreadyPosted', false],
			['202603', 'posted', true],
		]);
		expect(posted[0].previousBatchNumbers).toEqual(['000001']);
		expect(posted[2].previousBatchNumbers).toEqual(['000003']);

		const batches = batchesOf(sandbox);
		expect(batches).toHaveLength(5);
		const january = batches.find((batch) => batch.batchNumber === posted[0].batchNumber)!;
		const march = batches.find((batch) => batch.batchNumber === posted[2].batchNumber)!;
		expect(january.financialPeriod).toBe('202601');
		expect(linesOf(january)).toEqual(
			expect.arrayContaining([
				['4000', '100-0000', 10, 0, 'R2026-03'],
				['2100', '000-0000', 0, 10, 'R2026-03'],
			]),
		);
		expect(linesOf(january)).toHaveLength(2);
		expect([january.debitTotalInCurrency, january.creditTotalInCurrency]).toEqual([10, 10]);
		expect(march.financialPeriod).toBe('202603');
		expect(linesOf(march)).toEqual(
			expect.arrayContaining([
				['4000', '100-0000', 50, 0, 'R2026-03'], // cost units are off by default
				['2100', '000-0000', 0, 50, 'R2026-03'],
			]),
		);
		expect(linesOf(march)).toHaveLength(2);
		expect(journalPosts(sandbox)).toHaveLength(2);

		// Visma.net now holds the recalculated run: a third run posts nothing.
		sandbox.clearRequests();
		const third = await run([recalculatedMarchRun()], {
			post: { onChangedJournal: 'differenceJournal' },
		});
		expect(vismaOf(third).map((visma) => visma.status)).toEqual([
			'alreadyPosted',
			'alreadyPosted',
			'alreadyPosted',
		]);
		expect(journalPosts(sandbox)).toEqual([]);
		expect(batchesOf(sandbox)).toHaveLength(5);
	});
});

describe('dry run', () => {
	it('returns the exact body Visma.net would get, valid against its official schema, and sends nothing', async () => {
		const result = await run([marchRunWithTwk()], { post: { mode: 'dryRun' } });
		expect(result.nodes[POST].error).toBeUndefined();
		const dry = vismaOf(result);
		expect(dry.map((visma) => [visma.financialPeriod, visma.status, visma.batchNumber])).toEqual([
			['202601', 'dryRun', null],
			['202602', 'dryRun', null],
			['202603', 'dryRun', null],
		]);
		for (const visma of dry) {
			const body = visma.request as IDataObject;
			expect(validateUpdateDto(body)).toBe(true);
			expect(validateUpdateDto.errors ?? null).toBeNull();
			expect(body.financialPeriod).toEqual({ value: visma.financialPeriod });
			expect((body.description as { value: string }).value).toContain(
				`[${visma.idempotencyKey as string}]`,
			);
			for (const line of body.journalTransactionLines as IDataObject[])
				expect(line.referenceNumber).toEqual({ value: 'R2026-03' });
		}
		expect(
			(dry[2].request as { journalTransactionLines: unknown[] }).journalTransactionLines,
		).toHaveLength(7);
		expect(journalRequests(sandbox)).toEqual([]);
		expect(batchesOf(sandbox)).toEqual([]);
	});

	it('works without a credential and sends no request at all', async () => {
		const harness = new WorkflowHarness({ nodeTypes: NODE_TYPES });
		const journal = smallJournal();
		const result = await harness.run({
			nodes: [
				harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
				harnessNode('Journals', 'n8n-nodes-base.code', {
					jsCode: `return ${JSON.stringify([{ json: journal }])};`,
				}),
				harnessNode(POST, `${PACKAGE_NAME}.vismaNetPostJournal`, { mode: 'dryRun' }),
			],
			connections: {
				Start: { main: [[{ node: 'Journals', type: 'main', index: 0 }]] },
				Journals: { main: [[{ node: POST, type: 'main', index: 0 }]] },
			},
		});
		results.push(result);
		expect(result.nodes[POST].error).toBeUndefined();
		const [visma] = vismaOf(result);
		expect(visma).toMatchObject({
			status: 'dryRun',
			batchNumber: null,
			financialPeriod: '202604',
			postPeriod: '042026',
		});
		expect(validateUpdateDto(visma.request)).toBe(true);
		expect(sandbox.requests()).toEqual([]);
	});
});

describe('Ledger and Branch (resource locators)', () => {
	/** The ledger and branch of the body a dry run returns (header and first line), with these parameters. */
	async function sent(parameters: IDataObject) {
		const harness = new WorkflowHarness({ nodeTypes: NODE_TYPES });
		const result = await harness.run({
			nodes: [
				harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
				harnessNode('Journals', 'n8n-nodes-base.code', {
					jsCode: `return ${JSON.stringify([{ json: smallJournal() }])};`,
				}),
				harnessNode(POST, `${PACKAGE_NAME}.vismaNetPostJournal`, { mode: 'dryRun', ...parameters }),
			],
			connections: {
				Start: { main: [[{ node: 'Journals', type: 'main', index: 0 }]] },
				Journals: { main: [[{ node: POST, type: 'main', index: 0 }]] },
			},
		});
		results.push(result);
		expect(result.nodes[POST].error).toBeUndefined();
		const body = vismaOf(result)[0].request as {
			ledger?: unknown;
			branch?: unknown;
			journalTransactionLines: Array<{ branch?: unknown }>;
		};
		expect(validateUpdateDto(body)).toBe(true);
		return {
			ledger: body.ledger,
			branch: body.branch,
			lineBranch: body.journalTransactionLines[0].branch,
		};
	}
	const chosen = {
		ledger: { value: 'ACTUAL' },
		branch: { value: 'MAIN' },
		lineBranch: { value: 'MAIN' },
	};
	const companyDefault = { ledger: undefined, branch: undefined, lineBranch: undefined };

	it.each([
		[
			'picked from the list',
			{ __rl: true, mode: 'list', value: 'ACTUAL', cachedResultName: 'ACTUAL – Actual ledger' },
			{ __rl: true, mode: 'list', value: 'MAIN', cachedResultName: 'MAIN – Hoofdvestiging' },
		],
		[
			'typed by ID',
			{ __rl: true, mode: 'id', value: ' ACTUAL ' },
			{ __rl: true, mode: 'id', value: 'MAIN' },
		],
		['plain strings of an older workflow', 'ACTUAL', 'MAIN'],
		[
			'an expression',
			'={{ "ACT" + "UAL" }}',
			{ __rl: true, mode: 'id', value: '={{ "MA" + "IN" }}' },
		],
	])('%s: sent as the ledger and branch', async (_how, ledger, branch) => {
		expect(await sent({ ledger, branch })).toEqual(chosen);
	});

	it.each([
		['not set (the default)', {}],
		[
			'"(Company default)" picked from the list',
			{
				ledger: { __rl: true, mode: 'list', value: '', cachedResultName: '(Company default)' },
				branch: { __rl: true, mode: 'list', value: '', cachedResultName: '(Company default)' },
			},
		],
		[
			'an empty ID',
			{
				ledger: { __rl: true, mode: 'id', value: '' },
				branch: { __rl: true, mode: 'id', value: ' ' },
			},
		],
		['empty plain strings of an older workflow', { ledger: '', branch: '' }],
	])('%s: the company default, no ledger or branch sent', async (_how, parameters) => {
		expect(await sent(parameters)).toEqual(companyDefault);
	});
});

describe('hold and release', () => {
	it('hold: the batch waits On Hold in Visma.net', async () => {
		const result = await run([smallJournal()], { post: { hold: true } });
		const [visma] = vismaOf(result);
		expect(visma.status).toBe('posted');
		const [batch] = batchesOf(sandbox);
		expect(batch.batchNumber).toBe(visma.batchNumber);
		expect(batch.status).toBe('Hold');
		expect(batch.hold).toBe(true);
	});

	it('release: the batch is released and shows as Posted', async () => {
		const result = await run([smallJournal()], { post: { release: true } });
		const [visma] = vismaOf(result);
		expect(visma).toMatchObject({ status: 'posted', released: true });
		expect(batchesOf(sandbox).map((batch) => batch.status)).toEqual(['Posted']);
	});

	it('a rerun with release on a batch posted earlier without it releases that batch once, and posts nothing', async () => {
		await run([smallJournal()]);
		expect(batchesOf(sandbox).map((batch) => batch.status)).toEqual(['Balanced']);
		sandbox.clearRequests();

		const rerun = await run([smallJournal()], { post: { release: true } });
		const [visma] = vismaOf(rerun);
		expect(visma).toMatchObject({ status: 'alreadyPosted', batchNumber: '000001', released: true });
		expect(batchesOf(sandbox).map((batch) => batch.status)).toEqual(['Posted']);
		const releases = () =>
			sandbox.requests().filter((entry) => /\/action\/release$/i.test(entry.path));
		expect(releases()).toHaveLength(1);
		expect(journalPosts(sandbox)).toEqual([]);

		// Released already: a third run neither posts nor releases again.
		sandbox.clearRequests();
		const third = await run([smallJournal()], { post: { release: true } });
		expect(vismaOf(third)[0]).toMatchObject({ status: 'alreadyPosted', batchNumber: '000001' });
		expect(releases()).toEqual([]);
		expect(journalPosts(sandbox)).toEqual([]);
	});
});

describe('administrations: each payroll company books in its own Visma.net company', () => {
	const administrations = {
		administration: [
			{ companyId: '1234', tenantId: BAKKERIJ, name: 'Bakkerij De Vries BV' },
			{ companyId: '5678', tenantId: JANSEN, name: 'Installatiebedrijf Jansen BV' },
		],
	};

	/** Jansen's April run; its cost centre 110 is a Kostenplaats of Jansen's Visma.net only. */
	function jansenApril(costCenter?: string): JsonJournal {
		return smallJournal({
			reference: 'J2026-04',
			company: { id: '5678', name: 'Installatiebedrijf Jansen BV' },
			lines: [
				{
					account: '4000',
					description: 'Bruto lonen',
					debit: '2000.00',
					...(costCenter ? { costCenter } : {}),
				},
				{ account: '2100', description: 'Nettolonen te betalen', credit: '2000.00' },
			],
		});
	}

	it('refuses a journal of a company that books in another administration, and books its own', async () => {
		const result = await run([jansenApril(), smallJournal()], {
			post: { administrations },
			continueOnFail: true,
		});
		expect(result.nodes['Map Dimensions'].items.map((item) => item.json.error)).toEqual([
			undefined,
			undefined,
		]);
		const [jansen, bakkerij] = result.nodes[POST].items;
		expect(jansen.json.error).toMatchObject({
			code: 'ADMINISTRATION_MISMATCH',
			message: expect.stringMatching(
				/payroll company 5678 \(Installatiebedrijf Jansen BV\) books in Visma\.net tenant 2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e02, but this node's credential is for tenant 2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e01\. Nothing was sent\./,
			),
			path: 'company.id',
		});
		expect((jansen.json.visma as IDataObject | undefined)?.batchNumber ?? null).toBeNull();
		expect((bakkerij.json.visma as IDataObject).status).toBe('posted');
		expect(journalPosts(sandbox).map((entry) => entry.tenantId)).toEqual([BAKKERIJ]);
		expect(batchesOf(sandbox, JANSEN)).toEqual([]);
		expect(batchesOf(sandbox, BAKKERIJ)).toHaveLength(1);
	});

	it('one workflow routes each company to the Post node of its own Visma.net company (two credentials)', async () => {
		const harness = new WorkflowHarness({
			nodeTypes: NODE_TYPES,
			credentialTypes: [VismaNetOAuth2Api],
		});
		const bakkerijCredential = harness.addCredential({
			id: 'visma-bakkerij',
			name: 'Visma.net Bakkerij',
			type: 'vismaNetOAuth2Api',
			data: sandboxCredentialData(sandbox, BAKKERIJ),
		});
		const jansenCredential = harness.addCredential({
			id: 'visma-jansen',
			name: 'Visma.net Jansen',
			type: 'vismaNetOAuth2Api',
			data: sandboxCredentialData(sandbox, JANSEN),
		});
		extraHarnesses.push({ harness, credentialIds: ['visma-bakkerij', 'visma-jansen'] });
		const visma = (credential: INodeCredentialsDetails) => ({
			credentials: { vismaNetOAuth2Api: credential },
		});
		const onlyCompany = (id: string) =>
			`return $input.all().filter((item) => item.json.company.id === ${JSON.stringify(id)});`;
		const journals = [jansenApril('110'), smallJournal()];
		const connections: IConnections = {
			Start: { main: [[{ node: 'Journals', type: 'main', index: 0 }]] },
			Journals: { main: [[{ node: 'Validate Journal', type: 'main', index: 0 }]] },
			'Validate Journal': { main: [[{ node: 'Split TWK by Period', type: 'main', index: 0 }], []] },
			'Split TWK by Period': {
				main: [
					[
						{ node: 'Bakkerij De Vries', type: 'main', index: 0 },
						{ node: 'Jansen', type: 'main', index: 0 },
					],
				],
			},
			'Bakkerij De Vries': {
				main: [[{ node: 'Map Dimensions Bakkerij', type: 'main', index: 0 }]],
			},
			'Map Dimensions Bakkerij': { main: [[{ node: 'Post to Bakkerij', type: 'main', index: 0 }]] },
			Jansen: { main: [[{ node: 'Map Dimensions Jansen', type: 'main', index: 0 }]] },
			'Map Dimensions Jansen': { main: [[{ node: 'Post to Jansen', type: 'main', index: 0 }]] },
		};
		const result = await harness.run({
			nodes: [
				harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
				harnessNode('Journals', 'n8n-nodes-base.code', {
					jsCode: `return ${JSON.stringify(journals.map((json) => ({ json })))};`,
				}),
				harnessNode('Validate Journal', `${PACKAGE_NAME}.vismaNetValidateJournal`, {}),
				harnessNode('Split TWK by Period', `${PACKAGE_NAME}.vismaNetSplitTwk`, {}),
				harnessNode('Bakkerij De Vries', 'n8n-nodes-base.code', { jsCode: onlyCompany('1234') }),
				harnessNode('Jansen', 'n8n-nodes-base.code', { jsCode: onlyCompany('5678') }),
				harnessNode(
					'Map Dimensions Bakkerij',
					`${PACKAGE_NAME}.vismaNetMapDimensions`,
					{},
					visma(bakkerijCredential),
				),
				harnessNode(
					'Map Dimensions Jansen',
					`${PACKAGE_NAME}.vismaNetMapDimensions`,
					{},
					visma(jansenCredential),
				),
				harnessNode(
					'Post to Bakkerij',
					`${PACKAGE_NAME}.vismaNetPostJournal`,
					{ mode: 'post', administrations },
					visma(bakkerijCredential),
				),
				harnessNode(
					'Post to Jansen',
					`${PACKAGE_NAME}.vismaNetPostJournal`,
					{ mode: 'post', administrations },
					visma(jansenCredential),
				),
			],
			connections,
		});
		results.push(result);
		expect(result.error).toBeUndefined();
		expect(
			vismaOf(result, 'Post to Bakkerij').map((item) => [item.status, item.batchNumber]),
		).toEqual([['posted', '000001']]);
		expect(
			vismaOf(result, 'Post to Jansen').map((item) => [item.status, item.batchNumber]),
		).toEqual([['posted', '000500']]);
		expect(batchesOf(sandbox, BAKKERIJ).map(linesOf)).toEqual([
			[
				['4000', '100-0000', 1000, 0, 'R2026-04'],
				['2100', '000-0000', 0, 1000, 'R2026-04'],
			],
		]);
		// In Jansen's books, Kostenplaats is segment 2 (after Afdeling): 00-110.
		expect(batchesOf(sandbox, JANSEN).map(linesOf)).toEqual([
			[
				['4000', '00-110', 2000, 0, 'J2026-04'],
				['2100', '00-000', 0, 2000, 'J2026-04'],
			],
		]);
		expect(
			journalPosts(sandbox)
				.map((entry) => entry.tenantId)
				.sort(),
		).toEqual([BAKKERIJ, JANSEN]);
	});
});

describe('timeout', () => {
	it('Timeout (Seconds) bounds each Visma.net call: a silent Visma.net fails the item with "did not answer in time", and nothing is posted', async () => {
		sandbox.faults.setLatency({ fixedMs: 1500 });
		try {
			const result = await run([smallJournal()], {
				post: { options: { timeoutSeconds: 1 } },
				continueOnFail: true,
			});
			const [item] = result.json(POST);
			expect((item.visma as IDataObject).status).toBe('failed');
			expect((item.error as IDataObject).message).toMatch(
				/^Visma\.net did not answer in time while reading the GL batches of period 202604/,
			);
		} finally {
			sandbox.faults.setLatency(null);
		}
		expect(batchesOf(sandbox)).toEqual([]);
	}, 60_000);
});

describe('many journals in one period', () => {
	it('reads a period once per execution (and once after each POST, the race check) however many journals book in it, and still posts each once', async () => {
		const journals = ['R2026-04-A', 'R2026-04-B', 'R2026-04-C'].map((reference) =>
			smallJournal({ reference }),
		);
		// A copy of the first journal in the same execution finds what this execution posted.
		const first = await run([...journals, smallJournal({ reference: 'R2026-04-A' })]);
		expect(vismaOf(first).map((visma) => visma.status)).toEqual([
			'posted',
			'posted',
			'posted',
			'alreadyPosted',
		]);
		const lists = () =>
			journalRequests(sandbox).filter(
				(entry) => entry.method === 'GET' && /periodId=202604/.test(entry.query),
			);
		// One reading before the first POST; each POST (On Hold) is followed by one reading that
		// settles a race and is the next journal's reading; each batch is taken off hold once.
		expect(lists()).toHaveLength(1 + 3);
		expect(journalPosts(sandbox)).toHaveLength(3);
		expect(journalRequests(sandbox).filter((entry) => entry.method === 'PUT')).toHaveLength(3);
		expect(batchesOf(sandbox).map((batch) => batch.status)).toEqual([
			'Balanced',
			'Balanced',
			'Balanced',
		]);
		// A second execution reads the period afresh and posts nothing.
		const second = await run(journals);
		expect(vismaOf(second).map((visma) => visma.status)).toEqual([
			'alreadyPosted',
			'alreadyPosted',
			'alreadyPosted',
		]);
		expect(lists()).toHaveLength(1 + 3 + 1);
		expect(journalPosts(sandbox)).toHaveLength(3);
		expect(batchesOf(sandbox)).toHaveLength(3);
	});
});
