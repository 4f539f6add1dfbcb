/**
 * The Nmbrs Trigger against the Nmbrs sandbox, polled through n8n-core's PollContext with the
 * workflow's static data kept between polls.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { LoadOptionsContext } from 'n8n-core';
import type { INodeListSearchResult, INodeParameters } from 'n8n-workflow';

import {
	getNmbrsRuns,
	searchNmbrsCompanies,
	searchNmbrsRuns,
} from '../../../packages/n8n-nodes-nmbrs/nodes/methods/loadOptions';
import { Nmbrs } from '../../../packages/n8n-nodes-nmbrs/nodes/Nmbrs/Nmbrs.node';
import { SEEN_RETENTION_YEARS } from '../../../packages/n8n-nodes-nmbrs/nodes/NmbrsTrigger/poll';
import { createTriggerRunner } from '../../../scripts/lib/triggerRunner';
import type { NmbrsSandbox } from '../../../sandboxes/nmbrs/server';
import { singleNodeWorkflow } from '../../../scripts/lib/harness/harnessNode';
import { useNmbrsSandbox } from '../../helpers/sandboxes';

const CANONICAL = JSON.parse(
	readFileSync(path.resolve(__dirname, '../../fixtures/march-2026-with-twk.json'), 'utf8'),
) as IDataObject;

const sandbox = useNmbrsSandbox();

const ONLY_DE_VRIES = {
	companyScope: 'selected',
	companyIds: ['1234'],
	years: 'specific',
	specificYears: '2026',
};

/** Cents of a canonical line as a signed debit amount, so sides and signs compare exactly. */
function signedCents(line: IDataObject): number {
	const cents = (value: unknown) => (value === undefined ? 0 : Math.round(Number(value) * 100));
	return cents(line.debit) - cents(line.credit);
}

function comparable(lines: IDataObject[]) {
	return lines
		.map((line) => ({
			account: line.account,
			amount: signedCents(line),
			costCenter:
				typeof line.costCenter === 'object'
					? (line.costCenter as IDataObject).code
					: line.costCenter,
		}))
		.sort((a, b) => `${a.account}${a.amount}`.localeCompare(`${b.account}${b.amount}`));
}

describe('Nmbrs Trigger', () => {
	it('emits the March run as the canonical journal of march-2026-with-twk.json', async () => {
		const runner = createTriggerRunner(sandbox, { ...ONLY_DE_VRIES, onFirstPoll: 'emitExisting' });
		const journals = await runner.pollJournals();
		expect(journals).toHaveLength(1);
		const [journal] = journals;
		expect(journal.reference).toBe('R2026-03');
		expect(journal.company).toEqual(CANONICAL.company);
		expect(journal.run).toEqual(CANONICAL.run);
		expect(journal.currency).toBe('EUR');
		expect(comparable(journal.lines as IDataObject[])).toEqual(
			comparable(CANONICAL.lines as IDataObject[]),
		);
		const lines = journal.lines as IDataObject[];
		expect(lines[0]).toEqual({
			account: '4000',
			description: 'Bruto lonen TWK januari',
			debit: '150.00',
			costCenter: { code: '100', description: 'Productie' },
			bookingDate: '2026-01-31',
		});
		expect(lines.find((line) => line.costUnit)).toMatchObject({
			costUnit: { code: 'P001', description: 'Brood' },
		});
		expect([...new Set(lines.map((line) => line.bookingDate))]).toEqual([
			'2026-01-31',
			'2026-02-28',
			'2026-03-31',
		]);
	});

	it('emits each locked run once across polls and restarts, and never the unlocked April run', async () => {
		const runner = createTriggerRunner(sandbox, { ...ONLY_DE_VRIES, onFirstPoll: 'emitExisting' });
		expect((await runner.pollJournals()).map((journal) => journal.reference)).toEqual(['R2026-03']);
		expect(await runner.poll()).toBeNull();
		// A restart: n8n loads the saved static data into a new workflow object.
		const restarted = createTriggerRunner(sandbox, {
			...ONLY_DE_VRIES,
			onFirstPoll: 'emitExisting',
		});
		restarted.staticData = structuredClone(runner.staticData);
		expect(await restarted.poll()).toBeNull();
		expect(
			Object.keys((runner.staticData['node:Nmbrs Trigger'] as IDataObject).seen as IDataObject),
		).toEqual(['1234:2026:88121']);
	});

	it('emits a run once it is locked later, once', async () => {
		const runner = createTriggerRunner(sandbox, ONLY_DE_VRIES);
		expect(await runner.poll()).toBeNull(); // first poll: March was locked before activation
		expect(await runner.poll()).toBeNull();
		sandbox.lockRun(1234, 88131);
		const journals = await runner.pollJournals();
		expect(
			journals.map((journal) => [journal.reference, (journal.run as IDataObject).description]),
		).toEqual([['R2026-04', 'April 2026']]);
		expect(await runner.poll()).toBeNull();
	});

	it('retries a run whose journal could not be fetched at the next poll', async () => {
		const runner = createTriggerRunner(sandbox, { ...ONLY_DE_VRIES, onFirstPoll: 'emitExisting' });
		sandbox.planFault({
			operation: 'Journals_GetByRunCompany_v2',
			times: 1,
			kind: 'fault',
			message: 'Journal is being generated.',
		});
		await expect(runner.poll()).rejects.toThrow(
			/Nmbrs refused to fetch the journal of payroll run 88121 \(2026\) of company 1234: Journal is being generated/,
		);
		expect(
			(
				(runner.staticData['node:Nmbrs Trigger'] as IDataObject | undefined)?.seen as
					| IDataObject
					| undefined
			)?.['1234:2026:88121'],
		).toBeUndefined();
		expect((await runner.pollJournals()).map((journal) => journal.reference)).toEqual(['R2026-03']);
	});

	it('tries a call again after a 503 within one poll', async () => {
		const runner = createTriggerRunner(sandbox, { ...ONLY_DE_VRIES, onFirstPoll: 'emitExisting' });
		sandbox.planFault({ operation: 'Run_GetList', times: 1, kind: 'http503' });
		expect(await runner.pollJournals()).toHaveLength(1);
		expect(
			sandbox
				.requests()
				.filter((entry) => entry.operation === 'Run_GetList')
				.map((entry) => entry.status),
		).toEqual([503, 200]);
	});

	it('waits out a 429 with Retry-After 2 within one poll, as the one retry policy says (the backoff alone is under 0.5 s)', async () => {
		const runner = createTriggerRunner(sandbox, { ...ONLY_DE_VRIES, onFirstPoll: 'emitExisting' });
		sandbox.planFault({ operation: 'Run_GetList', times: 1, kind: 'http429', retryAfter: 2 });
		const started = Date.now();
		expect(await runner.pollJournals()).toHaveLength(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1950);
		expect(
			sandbox
				.requests()
				.filter((entry) => entry.operation === 'Run_GetList')
				.map((entry) => entry.status),
		).toEqual([429, 200]);
	});

	it('does not wait for a Retry-After beyond the cap (120 s): the poll fails at once, saying so, and the next poll gets the run', async () => {
		const runner = createTriggerRunner(sandbox, { ...ONLY_DE_VRIES, onFirstPoll: 'emitExisting' });
		sandbox.planFault({ operation: 'Run_GetList', times: 1, kind: 'http429', retryAfter: 3600 });
		await expect(runner.poll()).rejects.toThrow(
			'Nmbrs answered HTTP 429 (too many calls) and asked to wait 3600 s while trying to',
		);
		expect(
			sandbox
				.requests()
				.filter((entry) => entry.operation === 'Run_GetList')
				.map((entry) => entry.status),
		).toEqual([429]);
		expect((await runner.pollJournals()).map((journal) => journal.reference)).toEqual(['R2026-03']);
	});

	it('flags the test company and the company whose debtor is blocked from the node parameters', async () => {
		const runner = createTriggerRunner(sandbox, {
			years: 'specific',
			specificYears: '2026',
			onFirstPoll: 'emitExisting',
			testCompanyIds: ['1235'],
			blockedDebtorCompanyIds: ['1236'],
		});
		const journals = await runner.pollJournals();
		const flags = Object.fromEntries(
			journals.map((journal) => [(journal.company as IDataObject).id, journal.company]),
		);
		expect(Object.keys(flags).sort()).toEqual(['1234', '1235', '1236', '2345', '9012']);
		expect(flags['1235']).toMatchObject({ testCompany: true, debtorBlocked: false });
		expect(flags['1236']).toMatchObject({ testCompany: false, debtorBlocked: true });
		expect(flags['1234']).toMatchObject({ testCompany: false, debtorBlocked: false });
		expect(flags['9012']).toMatchObject({ testCompany: false, debtorBlocked: false });
		const jansen = journals.find(
			(journal) => (journal.company as IDataObject).id === '2345',
		) as IDataObject;
		expect(jansen.run).toMatchObject({ periodType: '4weeks', period: 3 });
		// Bakker's March run with its TWK over January, on Bakker's own cost centres.
		const bakker = journals.find(
			(journal) => (journal.company as IDataObject).id === '9012',
		) as IDataObject;
		expect(bakker.reference).toBe('R2026-03');
		expect(bakker.company).toEqual({
			id: '9012',
			name: 'Schoonmaakbedrijf Bakker BV',
			testCompany: false,
			debtorBlocked: false,
		});
		expect(bakker.run).toMatchObject({
			id: '66003',
			periodType: 'month',
			period: 3,
			date: '2026-03-20',
		});
		expect(
			(bakker.lines as IDataObject[]).map((line) => [
				line.account,
				signedCents(line),
				(line.costCenter as IDataObject | undefined)?.code ?? null,
				line.bookingDate,
			]),
		).toEqual([
			['4000', 6000, 'K200', '2026-01-31'],
			['2100', -6000, null, '2026-01-31'],
			['4000', 180000, 'K100', '2026-03-31'],
			['1700', -50000, null, '2026-03-31'],
			['2100', -130000, null, '2026-03-31'],
		]);
		expect((bakker.lines as IDataObject[])[2].costCenter).toEqual({
			code: 'K100',
			description: 'Kantoren',
		});
	});

	it('in manual mode emits the latest locked run without remembering it', async () => {
		const runner = createTriggerRunner(sandbox, ONLY_DE_VRIES);
		const journals = await runner.pollJournals('manual');
		expect(journals.map((journal) => journal.reference)).toEqual(['R2026-03']);
		expect(runner.staticData).toEqual({});
		expect((await runner.pollJournals('manual')).map((journal) => journal.reference)).toEqual([
			'R2026-03',
		]);
	});

	it('in manual mode skips test companies and blocked debtors: month-end.json’s Fetch Test Event gives the demo company’s run', async () => {
		const monthEnd = JSON.parse(
			readFileSync(
				path.resolve(__dirname, '..', '..', '..', 'workflows', 'month-end.json'),
				'utf8',
			),
		) as { nodes: Array<{ type: string; parameters: IDataObject }> };
		const parameters = monthEnd.nodes.find((node) =>
			node.type.endsWith('.nmbrsTrigger'),
		)!.parameters;
		expect(parameters.testCompanyIds).toEqual(['1235']);
		// 1235's test run was locked after 1234's March run: the newest, but Validate refuses it.
		const journals = await createTriggerRunner(sandbox, {
			...parameters,
			years: 'specific',
			specificYears: '2026',
		}).pollJournals('manual');
		expect(
			journals.map((journal) => [
				(journal.company as IDataObject).id,
				journal.reference,
				(journal.company as IDataObject).testCompany,
			]),
		).toEqual([['1234', 'R2026-03', false]]);

		const blocked = await createTriggerRunner(sandbox, {
			years: 'specific',
			specificYears: '2026',
			testCompanyIds: ['1235'],
			blockedDebtorCompanyIds: ['1236'],
		}).pollJournals('manual');
		expect(blocked.map((journal) => (journal.company as IDataObject).id)).not.toEqual(
			expect.arrayContaining(['1235']),
		);
		expect(blocked.map((journal) => (journal.company as IDataObject).id)).not.toEqual(
			expect.arrayContaining(['1236']),
		);
	});

	it('in manual mode, when only test or blocked companies have locked runs, says so', async () => {
		const runner = createTriggerRunner(sandbox, {
			companyScope: 'selected',
			companyIds: ['1235'],
			years: 'specific',
			specificYears: '2026',
			testCompanyIds: ['1235'],
		});
		await expect(runner.poll('manual')).rejects.toThrow(
			/Only the test companies and blocked-debtor companies listed in this trigger have a locked payroll run/,
		);
	});

	it('uses the reference format with the run number', async () => {
		const runner = createTriggerRunner(sandbox, {
			...ONLY_DE_VRIES,
			onFirstPoll: 'emitExisting',
			referenceFormat: 'NMBRS-{companyId}-{year}-{period:02}-{run}',
		});
		expect((await runner.pollJournals()).map((journal) => journal.reference)).toEqual([
			'NMBRS-1234-2026-03-3',
		]);
	});

	it('refuses an unknown placeholder in the reference format, naming it', async () => {
		const runner = createTriggerRunner(sandbox, {
			...ONLY_DE_VRIES,
			onFirstPoll: 'emitExisting',
			referenceFormat: 'R{jaar}',
		});
		await expect(runner.poll()).rejects.toThrow(/uses \{jaar\}, which is not known/);
	});

	it('keeps remembered runs of watched years and prunes those older than two years', async () => {
		const runner = createTriggerRunner(sandbox, { ...ONLY_DE_VRIES, onFirstPoll: 'emitExisting' });
		const currentYear = new Date().getFullYear();
		const old = currentYear - SEEN_RETENTION_YEARS - 1;
		runner.staticData = {
			'node:Nmbrs Trigger': {
				initialized: true,
				seen: { [`1234:${old}:1`]: old, '1234:2026:88121': 2026 },
			},
		};
		expect(await runner.poll()).toBeNull();
		expect((runner.staticData['node:Nmbrs Trigger'] as IDataObject).seen).toEqual({
			'1234:2026:88121': 2026,
		});
	});

	it('never puts the API token into items or errors', async () => {
		const runner = createTriggerRunner(sandbox, {
			years: 'specific',
			specificYears: '2026',
			onFirstPoll: 'emitExisting',
		});
		const journals = await runner.pollJournals();
		expect(JSON.stringify(journals)).not.toContain(sandbox.demo.token);
		sandbox.planFault({ operation: 'List_GetAll', times: 1, kind: 'fault', message: 'Boom' });
		const error = await runner.poll().catch((caught: unknown) => caught);
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error as object))).not.toContain(
			sandbox.demo.token,
		);
	});

	it('reports a wrong token as Nmbrs refusing the credential, without the token', async () => {
		const runner = createTriggerRunner(
			{ ...sandbox, demo: { ...sandbox.demo, token: 'wrong-token-123' } } as NmbrsSandbox,
			ONLY_DE_VRIES,
		);
		const error = (await runner.poll().catch((caught: unknown) => caught)) as Error & {
			description?: string;
		};
		expect(error.message).toMatch(/^Nmbrs refused to list the companies: Invalid authentication/);
		expect(error.description).toMatch(
			/Check the username, API token and domain in the Nmbrs credential/,
		);
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(
			'wrong-token-123',
		);
	});
});

describe('Nmbrs node: Company and Run are searchable lists (resource locators), not free-text ids', () => {
	/** n8n's editor context for a list: LoadOptionsContext with the node's current parameters. */
	function loadOptionsContext(parameters: INodeParameters, path: string) {
		const runner = createTriggerRunner(sandbox);
		const node = { ...runner.node, name: 'Nmbrs', type: 'n8n-nodes-nmbrs.nmbrs', parameters };
		const workflow = singleNodeWorkflow(node, runner.harness.nodeTypes);
		const additionalData = {
			...runner.harness.createAdditionalData(),
			currentNodeParameters: parameters,
		};
		return new LoadOptionsContext(workflow, node, additionalData, path);
	}
	/** A list as n8n's editor loads it: the node's current parameters, the search text and page. */
	async function search(
		method: typeof searchNmbrsRuns,
		parameters: INodeParameters,
		filter?: string,
		paginationToken?: string,
	) {
		const path = method === searchNmbrsRuns ? 'runId' : 'companyId';
		return await method.call(loadOptionsContext(parameters, path), filter, paginationToken);
	}
	const rl = (value: string, mode = 'list') => ({ __rl: true, mode, value });
	const pairs = (result: INodeListSearchResult) =>
		result.results.map((entry) => [entry.name, entry.value]);
	/** The companies listed for a search text (as name and value pairs). */
	const companies = async (filter?: string) =>
		pairs(await search(searchNmbrsCompanies, { operation: 'getJournal' }, filter));
	/** The runs of company 1234 in a year listed for a search text (as name and value pairs). */
	const runs = async (year: number, filter?: string) =>
		pairs(
			await search(
				searchNmbrsRuns,
				{ operation: 'getJournal', companyId: rl('1234'), year },
				filter,
			),
		);

	it.each([
		['companyId', 'searchNmbrsCompanies', undefined],
		['runId', 'searchNmbrsRuns', ['companyId.value', 'year']],
	] as const)(
		'%s: from the list (searchable, the default mode) or by ID; empty by default and not required (a new node shows no issue; running empty stops the item)',
		(name, method, dependsOn) => {
			const property = new Nmbrs().description.properties.find(
				(candidate) => candidate.name === name,
			);
			expect(property).toMatchObject({
				type: 'resourceLocator',
				default: { __rl: true, mode: 'list', value: '' },
			});
			expect(property?.required ?? false).toBe(false);
			expect(property?.modes?.map((mode) => [mode.name, mode.type])).toEqual([
				['list', 'list'],
				['id', 'string'],
			]);
			expect(property?.modes?.[0].typeOptions).toEqual({
				searchListMethod: method,
				searchable: true,
			});
			// Another company or year empties the Run in the editor: its runs are another list.
			expect(property?.typeOptions?.loadOptionsDependsOn).toEqual(dependsOn);
			expect(Object.keys(new Nmbrs().methods.listSearch)).toContain(method);
		},
	);

	it('lists the companies by name with their ID, and a search narrows them by name or ID, case-insensitively', async () => {
		const all = await companies();
		expect(all.length).toBeGreaterThan(2);
		expect(all).toContainEqual(['Bakkerij De Vries BV (1234)', '1234']);
		expect(await companies('bakkerij de VRIES')).toEqual([['Bakkerij De Vries BV (1234)', '1234']]);
		expect(await companies('1234')).toEqual([['Bakkerij De Vries BV (1234)', '1234']]);
		expect(await companies('no such company')).toEqual([]);
	});

	it('lists the runs of the company and year, locked first, each with its period and run date; the value is the run ID', async () => {
		const expected = [
			['Maart 2026 (run 3) – period 3, run on 2026-03-25', '88121'],
			['April 2026 (run 4, not locked yet) – period 4, run on 2026-04-24', '88131'],
		];
		// The company as the editor sends it (a resource locator, list or ID mode) or as an older workflow holds it (a plain ID).
		for (const companyId of [rl('1234'), rl('1234', 'id'), '1234']) {
			expect(
				pairs(await search(searchNmbrsRuns, { operation: 'getJournal', companyId, year: 2026 })),
			).toEqual(expected);
		}
		expect(await runs(2026, 'APRIL')).toEqual([expected[1]]);
		expect(await runs(2026, '88121')).toEqual([expected[0]]);
		expect(await runs(2026, '2026-04-24')).toEqual([expected[1]]);
		expect(await runs(2025)).toEqual([]);
		// Until a company is chosen the list is empty (and asks Nmbrs nothing).
		expect(
			await search(searchNmbrsRuns, { operation: 'getJournal', companyId: rl(''), year: 2026 }),
		).toEqual({ results: [] });
		expect(
			await search(searchNmbrsRuns, { operation: 'getJournal', companyId: '', year: 2026 }),
		).toEqual({ results: [] });
	});

	it('getNmbrsRuns builds the Run list (search filters and pages it)', async () => {
		const parameters = { operation: 'getJournal', companyId: rl('1234'), year: 2026 };
		const context = loadOptionsContext(parameters, 'runId');
		const options = await getNmbrsRuns.call(context);
		expect(options.map((option) => [option.name, option.value])).toEqual(
			pairs(await searchNmbrsRuns.call(context)),
		);
		expect(options[0].description).toBe('Run ID 88121');
	});
});
