/**
 * `npm run bench` (`--quick` for the CI smoke): how fast the package books large payroll journals.
 *
 * Data (seeded PRNG, the same every run): one company of 10,000 employees × 25 wage components,
 * each spread over 1–3 cost centres (100/200/300) by percentage with `allocateCents`, with a
 * cost unit, on a Dutch payroll scheme (4000–4100 costs; 1700/1710/1830/2100 liabilities), with
 * TWK corrections for two earlier periods and a rounding residue of a few cents per period
 * (about 500,000 lines); and 500 companies of about 200 lines each.
 *
 * Cases, each in a child process of its own so that peak memory is clean:
 * - floor: `JSON.parse` + `JSON.stringify` of the same journals;
 * - core:  validateJournal → splitByFinancialPeriod → mapLineDimensions → buildJournalTransaction;
 * - nodes: the four nodes in n8n-core's WorkflowExecute (Post in dry run; Map reads SUBACCOUNT
 *          from the in-process sandbox, one GET per execution).
 * Times: best and median of the repetitions (the machine is shared: best is the figure to compare).
 * Memory: peak RSS (`process.resourceUsage().maxRSS`, the kernel's high-water mark) and peak heap
 * (sampled between stages and every 10 ms), both minus the process's figures before the data
 * was generated.
 *
 * Then the posting cost against the sandbox (real posts): API calls per journal part from the
 * sandbox's request log, and with a low rate budget, how much of it is used before an item fails.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { INodeParameters, INodeType } from 'n8n-workflow';

import { type PostingPart } from '../nodes/core/buildJournalTransaction';
import { buildJournalTransaction } from '../nodes/core/vismaNetModel';
import { readIdempotencyTag } from '../nodes/core/idempotency';
import {
	mapLineDimensions,
	type DimensionMappingOptions,
	type SubaccountSegment,
} from '../nodes/core/mapDimensions';
import { allocateCents, formatAmount } from '../nodes/core/money';
import { splitByFinancialPeriod } from '../nodes/core/splitTwk';
import { validateJournal } from '../nodes/core/validateJournal';
import { seededRandom } from './lib/seededRandom';

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const caseArg = args.indexOf('--case');
const CHILD_CASE = caseArg >= 0 ? args[caseArg + 1] : undefined;

// ---------------------------------------------------------------------------------------------
// Data

const COMPONENTS: ReadonlyArray<{ description: string; account: string }> = [
	['Salaris', '4000'],
	['Overwerk 125%', '4000'],
	['Overwerk 150%', '4000'],
	['Ploegentoeslag', '4000'],
	['Onregelmatigheidstoeslag', '4000'],
	['Bonus', '4000'],
	['Provisie', '4000'],
	['Eindejaarsuitkering', '4000'],
	['Dertiende maand', '4000'],
	['Loon ziekte', '4000'],
	['Compensatie-uren', '4000'],
	['Consignatievergoeding', '4000'],
	['Vakantiegeld', '4010'],
	['Vakantiedagen uitbetaald', '4010'],
	['Reservering vakantiegeld', '4010'],
	['Premie WW werkgever', '4050'],
	['Premie WAO/WIA werkgever', '4050'],
	['Zvw werkgever', '4050'],
	['Premie Whk', '4050'],
	['Premie Aof', '4050'],
	['Reiskostenvergoeding', '4070'],
	['Thuiswerkvergoeding', '4070'],
	['Pensioenpremie werkgever', '4100'],
	['Pensioenpremie werknemer', '4100'],
	['Premie ANW-hiaat', '4100'],
].map(([description, account]) => ({ description, account }));

const COST_CENTERS = [
	{ code: '100', description: 'Productie' },
	{ code: '200', description: 'Verkoop' },
	{ code: '300', description: 'Administratie' },
];
const COST_UNITS = [
	{ code: 'P001', description: 'Brood' },
	{ code: 'P002', description: 'Banket' },
	{ code: 'P003', description: 'Catering' },
];
const SPLITS = [[100], [100], [60, 40], [70, 30], [50, 30, 20], [34, 33, 33], [100], [55, 45]];

interface Line {
	account: string;
	description: string;
	debit?: string;
	credit?: string;
	costCenter?: { code: string; description: string };
	costUnit?: { code: string; description: string };
	period?: { year: number; period: number };
}

/** One Nmbrs-like journal of a March 2026 run; `twk` = share of employees with corrections for January and February. */
function generateJournal(
	random: () => number,
	companyIndex: number,
	employees: number,
	twk: number,
): Record<string, unknown> {
	const lines: Line[] = [];
	const periodTotals = new Map<string, { debit: bigint; lastNet: Line | null }>();
	const addEmployee = (
		employee: number,
		period?: { year: number; period: number },
		components = COMPONENTS,
	) => {
		const split = SPLITS[Math.floor(random() * SPLITS.length)];
		const centers = [...COST_CENTERS].sort(() => random() - 0.5).slice(0, split.length);
		const unit = COST_UNITS[employee % COST_UNITS.length];
		const byAccount = new Map<string, bigint>();
		for (const component of components) {
			const amount = BigInt(Math.floor(random() * (period ? 20_000 : 400_000)) + 100);
			const shares = allocateCents(amount, split);
			shares.forEach((share, index) => {
				lines.push({
					account: component.account,
					description: `${component.description} mw ${employee + 1}`,
					debit: formatAmount(share),
					costCenter: centers[index],
					costUnit: unit,
					...(period ? { period } : {}),
				});
			});
			byAccount.set(component.account, (byAccount.get(component.account) ?? 0n) + amount);
		}
		const total = [...byAccount.values()].reduce((a, b) => a + b, 0n);
		const holiday = byAccount.get('4010') ?? 0n;
		const pension = byAccount.get('4100') ?? 0n;
		const tax = ((total - holiday - pension) * 28n) / 100n;
		const net = total - holiday - pension - tax;
		const credit = (account: string, description: string, cents: bigint): Line => ({
			account,
			description: `${description} mw ${employee + 1}`,
			credit: formatAmount(cents),
			...(period ? { period } : {}),
		});
		lines.push(
			credit('1830', 'Reservering vakantiegeld', holiday),
			credit('1710', 'Pensioenpremies', pension),
			credit('1700', 'Loonheffingen', tax),
		);
		const netLine = credit('2100', 'Nettoloon', net);
		lines.push(netLine);
		const key = period ? `${period.period}` : 'run';
		const totals = periodTotals.get(key) ?? { debit: 0n, lastNet: null };
		totals.debit += total;
		totals.lastNet = netLine;
		periodTotals.set(key, totals);
	};
	for (let employee = 0; employee < employees; employee++) {
		addEmployee(employee);
		if (random() < twk) {
			addEmployee(employee, { year: 2026, period: 1 }, COMPONENTS.slice(0, 3));
			addEmployee(employee, { year: 2026, period: 2 }, COMPONENTS.slice(0, 2));
		}
	}
	// Percentage allocation leaves a few cents per period: the Rounding Account absorbs them.
	for (const totals of periodTotals.values()) {
		if (!totals.lastNet) continue;
		const residue = BigInt(1 + Math.floor(random() * 4));
		totals.lastNet.credit = formatAmount(
			BigInt(Math.round(Number(totals.lastNet.credit) * 100)) - residue,
		);
	}
	const companyId = String(10_000 + companyIndex);
	return {
		reference: `R2026-03-${companyId}`,
		company: { id: companyId, name: `Werkgever ${companyIndex} BV` },
		run: {
			id: `run-${companyId}-3`,
			number: 3,
			year: 2026,
			periodType: 'month',
			period: 3,
			description: 'Maart 2026',
			date: '2026-03-25',
		},
		currency: 'EUR',
		lines,
	};
}

interface Dataset {
	name: string;
	journals: Array<Record<string, unknown>>;
}

function dataset(name: 'large' | 'small'): Dataset {
	const random = seededRandom(name === 'large' ? 20260331 : 20260325);
	if (name === 'large')
		return { name, journals: [generateJournal(random, 1, QUICK ? 1_000 : 10_000, 0.05)] };
	const count = QUICK ? 50 : 500;
	return {
		name,
		journals: Array.from({ length: count }, (_, index) =>
			generateJournal(random, 100 + index, 4, index % 5 === 0 ? 0.5 : 0),
		),
	};
}

function lineCount(data: Dataset): number {
	return data.journals.reduce((sum, journal) => sum + (journal.lines as unknown[]).length, 0);
}

// ---------------------------------------------------------------------------------------------
// Measuring

const gc = (globalThis as { gc?: () => void }).gc;
let heapPeak = 0;
function sampleHeap(): void {
	const used = process.memoryUsage().heapUsed;
	if (used > heapPeak) heapPeak = used;
}

interface CaseResult {
	case: string;
	dataset: string;
	journals: number;
	lines: number;
	inputJsonBytes: number;
	repetitions: number;
	bestMs: number;
	medianMs: number;
	linesPerSecond: number;
	peakRssDeltaBytes: number;
	peakHeapDeltaBytes: number;
	peakRssBytes: number;
	detail?: Record<string, unknown>;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

function segmentsFromFixture(): SubaccountSegment[] {
	const data = JSON.parse(
		readFileSync(path.join(ROOT, 'sandboxes/visma-net/fixtures/default-company.json'), 'utf8'),
	) as {
		companies: Array<{ subaccount: { segments: SubaccountSegment[] } }>;
	};
	return data.companies[0].subaccount.segments;
}

const MAP_OPTIONS: DimensionMappingOptions = {
	useCostCenters: true,
	costCenterDimension: 'Kostenplaats',
	useCostUnits: true,
	costUnitDimension: 'Kostendrager',
	matchValuesBy: 'code',
};

/** The core, object to object: what the four nodes compute, without n8n and the JSON between nodes. */
function corePipeline(
	journals: readonly unknown[],
	segments: readonly SubaccountSegment[],
): { parts: number; lines: number } {
	let parts = 0;
	let lines = 0;
	for (const input of journals) {
		const validated = validateJournal(input, {
			roundingAccount: '8990',
			roundingToleranceCents: 5n,
		});
		sampleHeap();
		if (!validated.journal) throw new Error(`core: ${validated.issues[0]?.message}`);
		const split = splitByFinancialPeriod(
			validated.journal,
			validated.bookings,
			validated.runFinancialPeriod,
		);
		if (split.issues.length > 0) throw new Error(`core: ${split.issues[0].message}`);
		for (const part of split.parts) {
			const mapped = mapLineDimensions(part.journal, segments, MAP_OPTIONS);
			if (mapped.issues.length > 0) throw new Error(`core: ${mapped.issues[0].message}`);
			sampleHeap();
			const posting: PostingPart = {
				companyId: part.journal.company.id,
				reference: part.journal.reference,
				currency: part.journal.currency,
				financialPeriod: part.financialPeriod,
				transactionDate: part.transactionDate,
				description: part.description,
				lines: part.journal.lines.map((line, index) => ({
					account: line.account,
					description: line.description,
					debitCents: line.debitCents,
					creditCents: line.creditCents,
					subaccount: mapped.subaccounts[index],
				})),
			};
			const body = buildJournalTransaction(posting, { hold: false });
			sampleHeap();
			parts++;
			lines += body.journalTransactionLines.length;
		}
	}
	return { parts, lines };
}

async function runChild(caseName: string): Promise<void> {
	const [kind, name] = caseName.split(':') as ['floor' | 'core' | 'nodes', 'large' | 'small'];
	const repetitions = Number(args[args.indexOf('--repeat') + 1]) || 3;
	gc?.();
	const before = process.memoryUsage();
	const data = dataset(name);
	const text = JSON.stringify(data.journals);
	const inputJsonBytes = Buffer.byteLength(text);
	const lines = lineCount(data);
	const times: number[] = [];
	let detail: Record<string, unknown> = {};
	const timer = setInterval(sampleHeap, 10);
	sampleHeap();

	if (kind === 'floor') {
		for (let rep = 0; rep < repetitions; rep++) {
			gc?.();
			const start = performance.now();
			const parsed = JSON.parse(text) as unknown;
			sampleHeap();
			const again = JSON.stringify(parsed);
			sampleHeap();
			times.push(performance.now() - start);
			if (again.length !== text.length) throw new Error('floor: round trip differs');
		}
	} else if (kind === 'core') {
		const segments = segmentsFromFixture();
		for (let rep = 0; rep < repetitions; rep++) {
			gc?.();
			const start = performance.now();
			const result = corePipeline(data.journals, segments);
			times.push(performance.now() - start);
			detail = { parts: result.parts, postedLines: result.lines };
		}
	} else {
		detail = await nodesCase(data.journals, repetitions, times, sampleHeap);
	}
	clearInterval(timer);
	sampleHeap();
	const best = Math.min(...times);
	const result: CaseResult = {
		case: kind,
		dataset: name,
		journals: data.journals.length,
		lines,
		inputJsonBytes,
		repetitions,
		bestMs: Math.round(best),
		medianMs: Math.round(median(times)),
		linesPerSecond: Math.round(lines / (best / 1000)),
		peakRssBytes: process.resourceUsage().maxRSS * 1024,
		peakRssDeltaBytes: process.resourceUsage().maxRSS * 1024 - before.rss,
		peakHeapDeltaBytes: heapPeak - before.heapUsed,
		detail,
	};
	process.stdout.write(`\nRESULT ${JSON.stringify(result)}\n`);
}

// ---------------------------------------------------------------------------------------------
// Through n8n's engine (n8n-core's WorkflowExecute), against the in-process sandbox

const PREFIX = 'n8n-nodes-visma-net-payroll.';

async function engineSetup() {
	// nock comes with the test helpers; the bench talks to the real local sandbox.
	const nock = (await import('nock')).default;
	nock.enableNetConnect();
	const { startSandbox } = await import('../sandboxes/visma-net/server');
	// By file name with its extension: tsx would take `X.node` for a native addon.
	const nodeClass = async (name: string) =>
		((await import(path.join(ROOT, 'nodes', name, `${name}.node.ts`))) as Record<string, unknown>)[
			name
		] as new () => INodeType;
	const NODE_TYPES = await Promise.all(
		[
			'VismaNetValidateJournal',
			'VismaNetSplitTwk',
			'VismaNetMapDimensions',
			'VismaNetPostJournal',
		].map(nodeClass),
	);
	const { WorkflowHarness, harnessNode } = await import('./lib/harness/workflowHarness');
	const { sandboxCredentialData } = await import('./lib/harness/payrollFlow');
	const { VismaNetOAuth2Api } = await import('../credentials/VismaNetOAuth2Api.credentials');
	const sandbox = await startSandbox({ port: 0 });
	const harness = new WorkflowHarness({
		nodeTypes: NODE_TYPES,
		credentialTypes: [VismaNetOAuth2Api],
	});
	const credential = harness.addCredential({
		type: 'vismaNetOAuth2Api',
		data: sandboxCredentialData(sandbox),
	});
	const run = async (
		journals: readonly object[],
		post: INodeParameters,
		continueOnFail = false,
	) => {
		const extra = {
			credentials: { vismaNetOAuth2Api: credential },
			...(continueOnFail ? { continueOnFail: true } : {}),
		};
		const chain = ['Start', 'Validate', 'Split', 'Map', 'Post'];
		return await harness.run(
			{
				nodes: [
					harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
					harnessNode(
						'Validate',
						`${PREFIX}vismaNetValidateJournal`,
						{ inputFormat: 'canonical', roundingAccount: '8990', roundingTolerance: 0.05 },
						extra,
					),
					harnessNode('Split', `${PREFIX}vismaNetSplitTwk`, {}, extra),
					harnessNode(
						'Map',
						`${PREFIX}vismaNetMapDimensions`,
						{
							useCostCenters: true,
							costCenterDimension: 'Kostenplaats',
							useCostUnits: true,
							costUnitDimension: 'Kostendrager',
							matchValuesBy: 'code',
						},
						extra,
					),
					harnessNode('Post', `${PREFIX}vismaNetPostJournal`, post, extra),
				],
				connections: Object.fromEntries(
					chain
						.slice(0, -1)
						.map((name, index) => [
							name,
							{ main: [[{ node: chain[index + 1], type: 'main' as const, index: 0 }]] },
						]),
				),
			},
			{
				mode: 'trigger',
				triggerItems: journals.map((json) => ({ json: json as Record<string, never> })),
			},
		);
	};
	return { sandbox, run };
}

async function nodesCase(
	journals: readonly object[],
	repetitions: number,
	times: number[],
	sample: () => void,
): Promise<Record<string, unknown>> {
	const { sandbox, run } = await engineSetup();
	try {
		// Warm-up: loads n8n's code paths and fetches the token.
		await run([journals[0]], { mode: 'dryRun' });
		let detail: Record<string, unknown> = {};
		for (let rep = 0; rep < repetitions; rep++) {
			gc?.();
			sandbox.clearRequests();
			const start = performance.now();
			const result = await run(journals, { mode: 'dryRun' });
			times.push(performance.now() - start);
			sample();
			const failed = Object.entries(result.nodes).find(([, node]) => node.error);
			if (failed) throw new Error(`${failed[0]}: ${failed[1].error?.message}`);
			const posted = result.json('Post');
			if (posted.length === 0 || result.json('Validate', 1).length > 0)
				throw new Error('nodes: journals did not get through');
			detail = {
				parts: posted.length,
				postedLines: posted.reduce(
					(sum, json) => sum + Number((json.visma as { lineCount?: number }).lineCount ?? 0),
					0,
				),
				apiCallsPerExecution: sandbox
					.requests()
					.filter((entry) => !entry.path.startsWith('/connect')).length,
			};
		}
		return detail;
	} finally {
		await sandbox.close();
	}
}

// ---------------------------------------------------------------------------------------------
// Posting cost: real posts against the sandbox

interface CallTally {
	list: number;
	post: number;
	release: number;
	reference: number;
	other: number;
	rateLimited: number;
}

function tallyRequests(
	entries: ReadonlyArray<{ method: string; path: string; status: number | 'dropped' }>,
): CallTally {
	const tally: CallTally = { list: 0, post: 0, release: 0, reference: 0, other: 0, rateLimited: 0 };
	for (const entry of entries) {
		if (entry.path.startsWith('/connect') || entry.path.startsWith('/_sandbox')) continue;
		if (entry.status === 429) tally.rateLimited++;
		const p = entry.path.toLowerCase();
		if (entry.method === 'GET' && p === '/v2/journaltransaction') tally.list++;
		else if (entry.method === 'POST' && p === '/v2/journaltransaction') tally.post++;
		else if (entry.method === 'POST' && p.endsWith('/action/release')) tally.release++;
		else if (entry.method === 'GET' && p.startsWith('/v1/')) tally.reference++;
		else tally.other++;
	}
	return tally;
}

function addTally(a: CallTally, b: CallTally): CallTally {
	return {
		list: a.list + b.list,
		post: a.post + b.post,
		release: a.release + b.release,
		reference: a.reference + b.reference,
		other: a.other + b.other,
		rateLimited: a.rateLimited + b.rateLimited,
	};
}

const sumTally = (tally: CallTally) =>
	tally.list + tally.post + tally.release + tally.reference + tally.other;

/** The journal recalculated: every part books 1.00 more gross wages (and net wages), so each part changes. */
function recalculated(journal: Record<string, unknown>): Record<string, unknown> {
	const lines = journal.lines as Line[];
	const periods = new Map<string, Line['period']>();
	for (const line of lines)
		periods.set(line.period ? `${line.period.year}-${line.period.period}` : 'run', line.period);
	const first = lines.find((line) => line.debit !== undefined)!;
	const extra = [...periods.values()].flatMap((period): Line[] => [
		{
			account: '4000',
			description: 'Herberekening',
			debit: '1.00',
			costCenter: first.costCenter,
			costUnit: first.costUnit,
			...(period ? { period } : {}),
		},
		{
			account: '2100',
			description: 'Herberekening',
			credit: '1.00',
			...(period ? { period } : {}),
		},
	]);
	return { ...journal, lines: [...lines, ...extra] };
}

/**
 * Calls per part in each Batch Numbers mode (release off, the rate budget out of the way): a first
 * post, a rerun of the same journals, and a recalculated journal (a difference journal per part).
 * Every Visma.net call but the token and the reference reads (SUBACCOUNT, shown per execution).
 */
async function costByMode(
	journals: readonly Record<string, unknown>[],
): Promise<{ text: string; summary: Record<string, unknown> }> {
	const { sandbox, run } = await engineSetup();
	const out: string[] = [
		'Calls per part by Batch Numbers mode (release off; one execution of ' +
			journals.length +
			' journals each):',
	];
	const summary: Record<string, unknown> = {};
	try {
		const rows: string[][] = [
			[
				'mode',
				'step',
				'parts',
				'calls per part',
				'list pages',
				'POST',
				'PUT',
				'GET batch',
				'reference reads per execution',
			],
		];
		for (const batchNumbers of ['series', 'derived'] as const) {
			sandbox.reset();
			sandbox.configure({ rateLimit: { limit: 100_000 } });
			const steps: Array<[string, readonly object[]]> = [
				['first post', journals],
				['rerun', journals],
				['changed journal', journals.map(recalculated)],
			];
			for (const [step, input] of steps) {
				sandbox.clearRequests();
				const result = await run(input, {
					mode: 'post',
					batchNumbers,
					onChangedJournal: 'differenceJournal',
				});
				const failed = Object.entries(result.nodes).find(([, node]) => node.error);
				if (failed)
					throw new Error(`${batchNumbers} ${step}: ${failed[0]}: ${failed[1].error?.message}`);
				const parts = result.json('Post').length;
				const entries = sandbox
					.requests()
					.filter(
						(entry) => !entry.path.startsWith('/connect') && !entry.path.startsWith('/_sandbox'),
					);
				const journalCalls = entries.filter((entry) =>
					entry.path.toLowerCase().startsWith('/v2/journaltransaction'),
				);
				const count = (test: (entry: (typeof entries)[number]) => boolean) =>
					journalCalls.filter(test).length;
				const isList = (entry: (typeof entries)[number]) =>
					entry.path.toLowerCase() === '/v2/journaltransaction';
				const figures = {
					parts,
					callsPerPart: journalCalls.length / parts,
					list: count((entry) => entry.method === 'GET' && isList(entry)),
					post: count((entry) => entry.method === 'POST' && isList(entry)),
					put: count((entry) => entry.method === 'PUT'),
					getBatch: count((entry) => entry.method === 'GET' && !isList(entry)),
					reference: entries.length - journalCalls.length,
				};
				summary[`${batchNumbers} ${step}`] = figures;
				const perPart = (n: number) => (n / parts).toFixed(2);
				rows.push([
					batchNumbers,
					step,
					String(parts),
					figures.callsPerPart.toFixed(2),
					perPart(figures.list),
					perPart(figures.post),
					perPart(figures.put),
					perPart(figures.getBatch),
					String(figures.reference),
				]);
			}
		}
		out.push(table(rows));
	} finally {
		await sandbox.close();
	}
	return { text: out.join('\n'), summary };
}

async function postingCost(
	journals: readonly object[],
	quick: boolean,
): Promise<{ text: string; summary: Record<string, unknown> }> {
	const { sandbox, run } = await engineSetup();
	const out: string[] = [];
	const summary: Record<string, unknown> = {};
	// The sandbox keeps the last 1,000 requests: executions of 10 journals stay well inside that.
	const chunk = 10;
	try {
		// 1. Calls per part, with release, the budget out of the way.
		const counted = journals.slice(0, quick ? 20 : 60);
		let tally: CallTally = { list: 0, post: 0, release: 0, reference: 0, other: 0, rateLimited: 0 };
		let parts = 0;
		const firstLast: number[] = [];
		for (let offset = 0; offset < counted.length; offset += chunk) {
			sandbox.clearRequests();
			const result = await run(counted.slice(offset, offset + chunk), {
				mode: 'post',
				release: true,
			});
			const failed = Object.entries(result.nodes).find(([, node]) => node.error);
			if (failed) throw new Error(`posting: ${failed[0]}: ${failed[1].error?.message}`);
			const posted = result.json('Post');
			parts += posted.length;
			const executionTally = tallyRequests(sandbox.requests());
			firstLast.push(executionTally.list / posted.length);
			tally = addTally(tally, executionTally);
		}
		const executions = Math.ceil(counted.length / chunk);
		const perPart = (n: number) => (n / parts).toFixed(2);
		out.push(
			`Posting cost (real posts, release on; ${counted.length} journals, ${parts} parts, ${executions} executions of ${chunk} journals):`,
			`  per part: ${perPart(tally.list)} list pages, ${perPart(tally.post)} POST, ${perPart(tally.release)} release; per execution: ${(tally.reference / executions).toFixed(1)} reference reads (SUBACCOUNT)`,
			`  list pages per part grow with the batches already in the period (200 lines each, 1,000 lines a page): first execution ${firstLast[0].toFixed(2)}, last ${firstLast[firstLast.length - 1].toFixed(2)}`,
		);
		summary.callsPerPart = {
			parts,
			executions,
			...tally,
			listPerPart: tally.list / parts,
			postPerPart: tally.post / parts,
			releasePerPart: tally.release / parts,
			listPerPartFirstExecution: firstLast[0],
			listPerPartLastExecution: firstLast[firstLast.length - 1],
		};

		// 2. A low rate budget: post until it is used up; the rest must fail cleanly, never doubled.
		sandbox.reset();
		const budget = quick ? 150 : 400;
		sandbox.configure({ rateLimit: { limit: budget } });
		let budgetTally: CallTally = {
			list: 0,
			post: 0,
			release: 0,
			reference: 0,
			other: 0,
			rateLimited: 0,
		};
		let postedParts = 0;
		let failedParts = 0;
		let callsBeforeFirstFailure: number | null = null;
		let usefulCalls: number | null = null;
		const messages = new Set<string>();
		for (let offset = 0; offset < journals.length; offset += chunk) {
			sandbox.clearRequests();
			const result = await run(journals.slice(offset, offset + chunk), { mode: 'post' }, true);
			const entries = sandbox.requests();
			const items = result.json('Post');
			const mapFailed = result.json('Map').filter((json) => json.error !== undefined);
			for (const json of items) {
				const visma = json.visma as { status?: string } | undefined;
				if (json.error === undefined && visma?.status === 'posted') postedParts++;
				else {
					failedParts++;
					if (callsBeforeFirstFailure === null) {
						// Calls that answered before this execution, plus this execution's calls up to its first 429.
						const firstRefused = entries.findIndex((entry) => entry.status === 429);
						callsBeforeFirstFailure =
							sumTally(budgetTally) +
							sumTally(tallyRequests(entries.slice(0, Math.max(0, firstRefused))));
					}
					if (usefulCalls === null) {
						// Items run one after the other: every call up to the last accepted POST served a posted part.
						let lastPost = -1;
						entries.forEach((entry, index) => {
							if (
								entry.method === 'POST' &&
								entry.path.toLowerCase() === '/v2/journaltransaction' &&
								entry.status === 201
							)
								lastPost = index;
						});
						const served = tallyRequests(entries.slice(0, lastPost + 1));
						usefulCalls =
							sumTally(budgetTally) -
							budgetTally.rateLimited +
							sumTally(served) -
							served.rateLimited;
					}
					messages.add(
						String((json.error as { message?: string } | undefined)?.message ?? '').slice(0, 140),
					);
				}
			}
			failedParts += mapFailed.length;
			budgetTally = addTally(budgetTally, tallyRequests(entries));
			if (
				failedParts > 0 &&
				offset > 0 &&
				entries.every((entry) => entry.status === 429 || entry.path.startsWith('/connect'))
			)
				break;
		}
		const batches =
			sandbox.state().tenants.find((tenant) => tenant.tenantId === sandbox.demo.tenantId)
				?.batches ?? [];
		const tags = batches.map((batch) => readIdempotencyTag(batch.description)?.identity);
		const doubled = tags.length - new Set(tags).size;
		const answered = sumTally(budgetTally) - budgetTally.rateLimited;
		const used = callsBeforeFirstFailure ?? answered;
		const useful = usefulCalls ?? answered;
		out.push(
			`Rate budget ${budget} calls/hour: ${postedParts} parts posted (${batches.length} batches in Visma.net, ${doubled} doubled) with zero failures; ${used} calls answered before the first failed item (${((100 * used) / budget).toFixed(1)}% of the budget), ${useful} of them for parts that were posted (${((100 * useful) / budget).toFixed(1)}%); ${answered} answered in all; then ${failedParts} items failed cleanly`,
			...[...messages].slice(0, 2).map((message) => `  failure: ${message}`),
		);
		Object.assign(summary, {
			budget,
			postedParts,
			batches: batches.length,
			doubled,
			callsBeforeFirstFailure: used,
			budgetShareBeforeFirstFailure: used / budget,
			usefulCalls: useful,
			usefulShare: useful / budget,
			answered,
			failedItems: failedParts,
			failureMessages: [...messages].slice(0, 2),
		});
	} finally {
		await sandbox.close();
	}
	return { text: out.join('\n'), summary };
}

// ---------------------------------------------------------------------------------------------
// Parent: runs every case in its own process, prints the table and the JSON summary

function spawnCase(caseName: string, repeat: number): CaseResult | Record<string, unknown> {
	const child = spawnSync(
		process.execPath,
		[
			'--import',
			'tsx',
			'--expose-gc',
			'--max-old-space-size=8192',
			__filename,
			'--case',
			caseName,
			'--repeat',
			String(repeat),
			...(QUICK ? ['--quick'] : []),
		],
		{
			cwd: ROOT,
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024,
			env: { ...process.env, N8N_LOG_LEVEL: 'silent' },
		},
	);
	const line = child.stdout.split('\n').find((text) => text.startsWith('RESULT '));
	if (child.status !== 0 || !line) {
		process.stderr.write(child.stdout.slice(-4000));
		process.stderr.write(child.stderr.slice(-4000));
		throw new Error(`bench case ${caseName} failed (exit ${child.status})`);
	}
	return JSON.parse(line.slice('RESULT '.length)) as CaseResult;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

function table(rows: string[][]): string {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	const render = (row: string[]) =>
		row
			.map((cell, column) =>
				column >= 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
			)
			.join('  ');
	return [
		render(rows[0]),
		widths.map((width) => '-'.repeat(width)).join('  '),
		...rows.slice(1).map(render),
	].join('\n');
}

async function main(): Promise<void> {
	if (CHILD_CASE) return await runChild(CHILD_CASE);
	const started = Date.now();
	const repeat = (kind: string, name: string) =>
		QUICK ? 3 : kind === 'nodes' && name === 'large' ? 2 : kind === 'floor' ? 5 : 3;
	const results: CaseResult[] = [];
	for (const name of ['large', 'small']) {
		for (const kind of ['floor', 'core', 'nodes']) {
			const result = spawnCase(`${kind}:${name}`, repeat(kind, name)) as CaseResult;
			results.push(result);
			process.stderr.write(`  ${kind}:${name} best ${result.bestMs} ms\n`);
		}
	}
	const floorOf = (name: string) =>
		results.find((result) => result.case === 'floor' && result.dataset === name)!;
	const rows = [
		[
			'case',
			'data',
			'journals',
			'lines',
			'best ms',
			'median ms',
			'lines/s',
			'x floor',
			'input MB',
			'peak RSS +MB',
			'x input',
			'peak heap +MB',
		],
	];
	for (const result of results) {
		const floor = floorOf(result.dataset);
		rows.push([
			result.case,
			result.dataset,
			String(result.journals),
			String(result.lines),
			String(result.bestMs),
			String(result.medianMs),
			result.linesPerSecond.toLocaleString('en-US'),
			(result.bestMs / floor.bestMs).toFixed(2),
			mb(result.inputJsonBytes),
			mb(result.peakRssDeltaBytes),
			(result.peakRssDeltaBytes / result.inputJsonBytes).toFixed(2),
			mb(result.peakHeapDeltaBytes),
		]);
	}
	console.log(`\n${table(rows)}\n`);

	const posting = await postingCost(dataset('small').journals, QUICK);
	console.log(posting.text);
	const byMode = await costByMode(dataset('small').journals.slice(0, 10));
	console.log(`\n${byMode.text}`);

	const summary = {
		quick: QUICK,
		node: process.version,
		results: results.map((result) => ({
			...result,
			ratioToFloor: Number((result.bestMs / floorOf(result.dataset).bestMs).toFixed(2)),
			peakRssToInput: Number((result.peakRssDeltaBytes / result.inputJsonBytes).toFixed(2)),
		})),
		posting: posting.summary,
		callsByMode: byMode.summary,
		seconds: Math.round((Date.now() - started) / 1000),
	};
	console.log(`\nJSON ${JSON.stringify(summary)}`);
}

void (async () => {
	try {
		await main();
	} catch (error) {
		console.error(error);
		process.exitCode = 1;
	}
})();
