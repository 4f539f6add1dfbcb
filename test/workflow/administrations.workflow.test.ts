/**
 * One credential, many administrations (issue 16), through n8n's engine against the Visma.net
 * sandbox: the office's service integration approved by three companies, the credential's
 * Administrations mapping each payroll company to its Visma.net company, and one chain
 * (Validate → Split → Map → Post) booking three companies' March runs in one execution, each in
 * its own Visma.net company, with faults in the middle; a rerun posts nothing; a company without
 * a mapping and a company that has not approved the integration are refused, nothing sent.
 */
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { clearTenantTokens } from '../../nodes/transport';
import { marchRunWithTwk, type JsonJournal } from '../helpers/journals';
import {
	batchesOf,
	createPayrollFlow,
	NODE_TYPES,
	sandboxCredentialData,
	type PayrollFlow,
} from '../../scripts/lib/harness/payrollFlow';
import { VismaNetOAuth2Api } from '../../credentials/VismaNetOAuth2Api.credentials';
import { useVismaSandbox } from '../helpers/sandboxes';
import { checkSecretsAfterEach, journalPosts, vismaOf } from '../helpers/workflowChecks';
import { VismaNet } from '../../nodes/VismaNet/VismaNet.node';
import {
	harnessNode,
	WorkflowHarness,
	type WorkflowRunResult,
} from '../../scripts/lib/harness/workflowHarness';

const POST = 'Post Journal Transaction';
const BAKKERIJ = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e01';
const JANSEN = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e02';
const BAKKER = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e03';
const TENANTS = [BAKKERIJ, JANSEN, BAKKER];

const ADMINISTRATIONS = {
	administration: [
		{ companyId: '1234', tenantId: BAKKERIJ, name: 'Bakkerij De Vries BV' },
		{ companyId: '5678', tenantId: JANSEN, name: 'Installatiebedrijf Jansen BV' },
		{ companyId: '9012', tenantId: BAKKER, name: 'Schoonmaakbedrijf Bakker BV' },
	],
};

/** Jansen's March run: cost centres 110 and 120 exist in Jansen's Visma.net only. */
function jansenMarch(): JsonJournal {
	return {
		reference: 'J2026-03',
		company: { id: '5678', name: 'Installatiebedrijf Jansen BV' },
		run: { id: '77003', number: 3, year: 2026, periodType: 'month', period: 3, date: '2026-03-25' },
		lines: [
			{ account: '4000', description: 'Bruto lonen', debit: '3000.00', costCenter: '110' },
			{ account: '4070', description: 'Reiskosten', debit: '120.00', costCenter: '120' },
			{ account: '1700', description: 'Loonheffingen', credit: '900.00' },
			{ account: '2100', description: 'Nettolonen te betalen', credit: '2220.00' },
		],
	};
}

/** Bakker's March run with a TWK correction over January: cost centre K100 is Bakker's only. */
function bakkerMarch(): JsonJournal {
	return {
		reference: 'S2026-03',
		company: { id: '9012', name: 'Schoonmaakbedrijf Bakker BV' },
		run: { id: '66003', number: 3, year: 2026, periodType: 'month', period: 3, date: '2026-03-20' },
		lines: [
			{ account: '4000', description: 'Bruto lonen', debit: '1800.00', costCenter: 'K100' },
			{ account: '1700', description: 'Loonheffingen', credit: '500.00' },
			{ account: '2100', description: 'Nettolonen te betalen', credit: '1300.00' },
			{
				account: '4000',
				description: 'Bruto lonen TWK januari',
				debit: '60.00',
				costCenter: 'K200',
				period: { year: 2026, period: 1 },
			},
			{
				account: '2100',
				description: 'Nettolonen TWK januari',
				credit: '60.00',
				period: { year: 2026, period: 1 },
			},
		],
	};
}

const CHECKS = { validate: { checkInVismaNet: true }, split: { readPeriodsFromVismaNet: true } };

const sandbox = useVismaSandbox({ tokens: true });
let flows: PayrollFlow[];
const results = checkSecretsAfterEach(sandbox, () => flows);

function office(credentialData: Record<string, unknown> = {}): PayrollFlow {
	const flow = createPayrollFlow(
		sandbox,
		BAKKERIJ,
		{ nodeTypes: NODE_TYPES, credentialTypes: [VismaNetOAuth2Api] },
		{ administrations: ADMINISTRATIONS, ...credentialData },
	);
	flows.push(flow);
	return flow;
}

async function run(
	flow: PayrollFlow,
	journals: readonly object[],
	parameters?: Parameters<PayrollFlow['run']>[1],
): Promise<WorkflowRunResult> {
	const result = await flow.run(journals, parameters);
	results.push(result);
	return result;
}

/** Every API call (not Visma Connect) as [method path, tenant]. */
const apiCalls = () => sandbox.requests().filter((entry) => !entry.path.startsWith('/connect/'));

beforeEach(() => {
	clearTenantTokens();
	flows = [];
});

describe('one credential, three administrations, one execution', () => {
	it("books three companies' March runs each in its own Visma.net company, through a token expiring for one tenant and a 429 for another; a rerun posts nothing", async () => {
		const flow = office();
		// In the middle of the run: Jansen's token expires just before its journal is posted, and
		// Bakker's first journal post is answered 429 (Retry-After 1 s).
		sandbox.faults.configure({
			expireToken: { tenantId: JANSEN, method: 'POST', path: '/v2/journaltransaction' },
			failNext: {
				tenantId: BAKKER,
				method: 'POST',
				path: '/v2/journaltransaction',
				status: 429,
				retryAfter: 1,
			},
		});
		const first = await run(flow, [marchRunWithTwk(), jansenMarch(), bakkerMarch()], CHECKS);
		for (const node of ['Validate Journal', 'Split TWK by Period', 'Map Dimensions', POST])
			expect(first.nodes[node].error).toBeUndefined();
		expect(first.json('Validate Journal', 1)).toEqual([]);
		const posted = vismaOf(first);
		expect(posted.map((visma) => visma.status)).toEqual([
			'posted',
			'posted',
			'posted',
			'posted',
			'posted',
			'posted',
		]);

		// Each company's parts in its own Visma.net company, none in another's.
		const byTenant = Object.fromEntries(
			TENANTS.map((tenant) => [tenant, batchesOf(sandbox, tenant)]),
		);
		const references = (tenant: string) =>
			byTenant[tenant].map((batch) => batch.journalTransactionLines?.[0]?.referenceNumber);
		expect(references(BAKKERIJ)).toEqual(['R2026-03', 'R2026-03', 'R2026-03']);
		expect(references(JANSEN)).toEqual(['J2026-03']);
		expect(references(BAKKER)).toEqual(['S2026-03', 'S2026-03']);
		expect(byTenant[BAKKERIJ].map((batch) => batch.financialPeriod).sort()).toEqual([
			'202601',
			'202602',
			'202603',
		]);
		expect(byTenant[JANSEN].map((batch) => batch.financialPeriod)).toEqual(['202603']);
		// Bakker's year has 13 periods: its March run falls in 202604, its January TWK in 202602 (periods read per tenant).
		expect(byTenant[BAKKER].map((batch) => batch.financialPeriod).sort()).toEqual([
			'202602',
			'202604',
		]);
		// Jansen's SUBACCOUNT is Afdeling + Kostenplaats; Bakker's Kostenplaats is 4 characters: read per tenant.
		expect(
			byTenant[JANSEN][0].journalTransactionLines?.map((line) => line.subaccount?.subaccountNumber),
		).toEqual(['00-110', '00-120', '00-000', '00-000']);
		expect(
			byTenant[BAKKER].flatMap(
				(batch) =>
					batch.journalTransactionLines?.map((line) => line.subaccount?.subaccountNumber) ?? [],
			).sort(),
		).toEqual(['0000-000000', '0000-000000', '0000-000000', 'K100-000000', 'K200-000000']);

		// Every journal post reached the tenant of its company; the faults were met and got over.
		expect(
			journalPosts(sandbox)
				.filter((entry) => entry.status === 201)
				.map((entry) => entry.tenantId),
		).toEqual([BAKKERIJ, BAKKERIJ, BAKKERIJ, JANSEN, BAKKER, BAKKER]);
		expect(
			apiCalls()
				.filter((entry) => entry.fault)
				.map((entry) => [entry.fault, entry.status, entry.tenantId]),
		).toEqual([
			['token expired', 401, JANSEN],
			['status 429', 429, BAKKER],
		]);
		// Every call carried a token of one of the three companies (the sandbox serves the company
		// of the token's tenant, so a call with another company's token would have read or written
		// that company's books: the batches above are each in their own company).
		for (const entry of apiCalls()) expect(TENANTS).toContain(entry.tenantId);
		const jansenReads = apiCalls()
			.filter((entry) => entry.tenantId === JANSEN)
			.map((entry) => `${entry.method} ${entry.path}`);
		expect(jansenReads).toEqual(
			expect.arrayContaining([
				'GET /v1/account',
				'GET /v1/financialPeriod',
				'GET /v1/dimension/SUBACCOUNT',
				'POST /v2/journaltransaction',
			]),
		);
		// Reference data once per tenant per execution (Validate reads accounts and periods, Split periods, Map the segments).
		for (const tenant of TENANTS) {
			const reads = apiCalls().filter(
				(entry) =>
					entry.tenantId === tenant && entry.method === 'GET' && entry.path.startsWith('/v1/'),
			);
			expect(reads.map((entry) => entry.path).sort()).toEqual([
				'/v1/account',
				'/v1/dimension/SUBACCOUNT',
				'/v1/financialPeriod',
				'/v1/financialPeriod',
			]);
		}
		// Tokens: n8n's own for Bakkerij (the credential's tenant), the package's for Jansen (twice: the expired one) and Bakker.
		const tokenForms = sandbox.requests().filter((entry) => entry.path === '/connect/token');
		expect(tokenForms.map((entry) => entry.status)).toEqual([200, 200, 200, 200]);

		sandbox.clearRequests();
		const rerun = await run(flow, [marchRunWithTwk(), jansenMarch(), bakkerMarch()], CHECKS);
		expect(vismaOf(rerun).map((visma) => visma.status)).toEqual([
			'alreadyPosted',
			'alreadyPosted',
			'alreadyPosted',
			'alreadyPosted',
			'alreadyPosted',
			'alreadyPosted',
		]);
		expect(vismaOf(rerun).map((visma) => visma.batchNumber)).toEqual(
			posted.map((visma) => visma.batchNumber),
		);
		expect(journalPosts(sandbox)).toEqual([]);
		expect(TENANTS.map((tenant) => batchesOf(sandbox, tenant).length)).toEqual([3, 1, 2]);
	});

	it('a company without a mapping is refused before anything is sent, naming the known companies; the others are booked', async () => {
		const flow = office();
		const unknown = {
			...jansenMarch(),
			reference: 'X2026-03',
			company: { id: '4444', name: 'Onbekend BV' },
		};
		const result = await run(flow, [unknown], { continueOnFail: true });
		const [refused] = result.nodes['Map Dimensions'].items;
		expect(refused.json.error).toMatchObject({
			code: 'ADMINISTRATION_UNKNOWN',
			message: expect.stringMatching(
				/payroll company 4444 is not in the Administrations of the Visma\.net credential \(known: 1234 \(Bakkerij De Vries BV\), 5678 \(Installatiebedrijf Jansen BV\), 9012 \(Schoonmaakbedrijf Bakker BV\)\)[\s\S]*Nothing was sent for it\. Add company 4444 to Administrations in the Visma\.net credential/,
			),
		});
		expect(sandbox.requests()).toEqual([]);

		// With Check in Visma.net, Validate refuses it on its Invalid output; the known company is booked.
		const checked = await run(flow, [unknown, jansenMarch()], CHECKS);
		expect(
			checked.json('Validate Journal', 1).map((json) => (json.errors as IDataObject[])[0].code),
		).toEqual(['ADMINISTRATION_UNKNOWN']);
		expect(vismaOf(checked).map((visma) => visma.status)).toEqual(['posted']);
		expect(new Set(apiCalls().map((entry) => entry.tenantId))).toEqual(new Set([JANSEN]));
	});

	it('a company that has not approved the integration is refused with what its administrator must do; nothing is sent to it, the others are booked', async () => {
		// The office client is approved by Bakkerij and Jansen, not by Bakker.
		const flow = office({
			clientId: 'sandbox-office-client',
			clientSecret: 'sandbox-office-secret',
		});
		const result = await run(flow, [bakkerMarch(), jansenMarch()], {
			...CHECKS,
			continueOnFail: true,
		});
		const invalid = result.json('Validate Journal', 1);
		expect(invalid).toHaveLength(1);
		expect(invalid[0].reference).toBe('S2026-03');
		expect(invalid[0].error).toMatchObject({
			message: expect.stringMatching(
				new RegExp(
					`^Visma Connect gives no token for Visma\\.net company tenant ${BAKKER}: that company has not approved this integration \\(invalid_tenant\\)`,
				),
			),
			description: expect.stringMatching(
				/administrator of that Visma\.net company must approve the integration \(the application with client id sandbox-office-client\)/,
			),
		});
		expect(vismaOf(result).map((visma) => visma.status)).toEqual(['posted']);
		expect(apiCalls().some((entry) => entry.tenantId === BAKKER)).toBe(false);
		expect(batchesOf(sandbox, BAKKER)).toEqual([]);
		expect(batchesOf(sandbox, JANSEN)).toHaveLength(1);
		expect(JSON.stringify(result.nodes)).not.toMatch(/sandbox-office-secret/);
	});

	it("the empty list keeps the one-company behaviour: every company books in the credential's tenant", async () => {
		const flow = office({ administrations: {} });
		const result = await run(flow, [marchRunWithTwk()]);
		expect(vismaOf(result).map((visma) => visma.status)).toEqual(['posted', 'posted', 'posted']);
		expect(new Set(apiCalls().map((entry) => entry.tenantId))).toEqual(new Set([BAKKERIJ]));
		// No package token: n8n's own OAuth2 token only.
		expect(sandbox.requests().filter((entry) => entry.path === '/connect/token')).toHaveLength(1);
	});
});

describe('the read-only Visma.net node with one credential for three administrations', () => {
	async function runReadOnly(
		parameters: INodeParameters,
		items: IDataObject[],
	): Promise<WorkflowRunResult> {
		const harness = new WorkflowHarness({
			nodeTypes: [VismaNet],
			credentialTypes: [VismaNetOAuth2Api],
		});
		const credential = harness.addCredential({
			type: 'vismaNetOAuth2Api',
			data: sandboxCredentialData(sandbox, BAKKERIJ, { administrations: ADMINISTRATIONS }),
		});
		flows.push({ harness } as PayrollFlow);
		const nodes: INode[] = [
			harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
			harnessNode('Items', 'n8n-nodes-base.code', {
				jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};`,
			}),
			harnessNode('Visma.net', 'n8n-nodes-visma-net-payroll.vismaNet', parameters, {
				credentials: { vismaNetOAuth2Api: credential },
			}),
		];
		const result = await harness.run({
			nodes,
			connections: {
				Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
				Items: { main: [[{ node: 'Visma.net', type: 'main', index: 0 }]] },
			},
		});
		results.push(result);
		expect(result.nodes['Visma.net'].error).toBeUndefined();
		return result;
	}

	it('Check Setup without a journal reports per administration, each read in its own company', async () => {
		const result = await runReadOnly({ operation: 'checkSetup' }, [{}]);
		const reports = result.json('Visma.net');
		expect(
			reports.map((json) => [
				(json.administration as IDataObject).companyId,
				(json.setup as IDataObject).tenantId,
			]),
		).toEqual([
			['1234', BAKKERIJ],
			['5678', JANSEN],
			['9012', BAKKER],
		]);
		// Jansen's and Bakker's own segments were read, each in its own company.
		const notes = reports.map((json) => JSON.stringify((json.setup as IDataObject).notes));
		expect(notes[1]).toMatch(/Afdeling/);
		expect(notes[2]).not.toMatch(/Afdeling/);
		const ledgerReads = apiCalls()
			.filter((entry) => entry.path === '/v1/ledger')
			.map((entry) => entry.tenantId);
		expect(ledgerReads).toEqual(TENANTS);
		expect(apiCalls().every((entry) => entry.method === 'GET')).toBe(true);
	});

	it("Get Posting Status reads each part in its own company's books; Check Setup of a journal checks its company", async () => {
		const flow = office();
		const posted = await run(flow, [marchRunWithTwk(), jansenMarch(), bakkerMarch()], CHECKS);
		expect(vismaOf(posted).map((visma) => visma.status)).toEqual(Array(6).fill('posted'));
		sandbox.clearRequests();
		const parts = posted
			.json(POST)
			.map((json) => Object.fromEntries(Object.entries(json).filter(([key]) => key !== 'visma')));
		const status = await runReadOnly({ operation: 'getPostingStatus', source: 'items' }, parts);
		expect(
			status.json('Visma.net').map((json) => (json.postingStatus as IDataObject).status),
		).toEqual(Array(6).fill('posted'));
		expect(new Set(apiCalls().map((entry) => entry.tenantId))).toEqual(new Set(TENANTS));
		// Period 202601 is read once in Bakkerij's books and once in Bakker's: per tenant and period.
		// Period 202603 is read once in Bakkerij's books and once in Jansen's (per tenant and period);
		// Bakker's 13-period year puts its parts in 202602 and 202604, read in Bakker's books.
		const reads = apiCalls()
			.filter((entry) => entry.path === '/v2/journaltransaction')
			.map((entry) => `${entry.tenantId} ${new URLSearchParams(entry.query).get('periodId')}`);
		expect(reads.sort()).toEqual(
			[
				`${BAKKERIJ} 202601`,
				`${BAKKERIJ} 202602`,
				`${BAKKERIJ} 202603`,
				`${JANSEN} 202603`,
				`${BAKKER} 202602`,
				`${BAKKER} 202604`,
			].sort(),
		);

		sandbox.clearRequests();
		const check = await runReadOnly({ operation: 'checkSetup' }, [
			jansenMarch() as unknown as IDataObject,
		]);
		expect((check.json('Visma.net')[0].setup as IDataObject).tenantId).toBe(JANSEN);
		expect(new Set(apiCalls().map((entry) => entry.tenantId))).toEqual(new Set([JANSEN]));
	});
});
