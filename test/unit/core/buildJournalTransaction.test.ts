import { readFileSync } from 'node:fs';
import path from 'node:path';

import Ajv from 'ajv';

import {
	partKey,
	postingKey,
	readBackDiffersIssue,
	readBackRules,
	type PostingPart,
} from '../../../nodes/core/buildJournalTransaction';
import {
	bodyTotals,
	buildDifferenceTransaction,
	buildJournalTransaction,
	readPostedBatch,
} from '../../../nodes/core/vismaNetModel';
import {
	decidePosting,
	readIdempotencyTag,
	type PostedBatch,
} from '../../../nodes/core/idempotency';
import { partPostingStatus } from '../../../nodes/core/postingStatus';
import { marchRunPart, postingLine } from '../../helpers/postingParts';
import { readBack } from '../../helpers/readBack';

const openapi = JSON.parse(
	readFileSync(path.resolve(__dirname, '../../fixtures/visma-net/openapi-gl-subset.json'), 'utf8'),
);
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema(openapi, 'openapi');
const validateUpdateDto = ajv.getSchema('openapi#/components/schemas/JournalTransactionUpdateDto')!;

/** The official schema is loose (see its README): these are the rules Visma.net applies on top. */
function strictProblems(body: Record<string, unknown>): string[] {
	const problems: string[] = [];
	const header = [
		'hold',
		'transactionDate',
		'postPeriod',
		'financialPeriod',
		'ledger',
		'currencyId',
		'description',
		'branch',
	];
	for (const field of header) {
		const value = body[field];
		if (value !== undefined && (typeof value !== 'object' || value === null || !('value' in value)))
			problems.push(`${field} is not wrapped`);
	}
	const postPeriod = (body.postPeriod as { value: string }).value;
	const financialPeriod = (body.financialPeriod as { value: string }).value;
	if (
		!/^\d{6}$/.test(postPeriod) ||
		`${postPeriod.slice(2)}${postPeriod.slice(0, 2)}` !== financialPeriod
	)
		problems.push('postPeriod and financialPeriod disagree');
	for (const line of body.journalTransactionLines as Array<Record<string, unknown>>) {
		if (line.operation !== 'Insert') problems.push('operation is not the plain string Insert');
		if (line.subaccount !== undefined && !Array.isArray(line.subaccount))
			problems.push('subaccount is not an unwrapped array');
		for (const side of ['debitAmountInCurrency', 'creditAmountInCurrency']) {
			const amount = (line[side] as { value: number }).value;
			if (typeof amount !== 'number' || Math.round(amount * 100) / 100 !== amount)
				problems.push(`${side} is not a number with two decimals`);
		}
	}
	return problems;
}

const segments = (kostenplaats: string, kostendrager = '0000') => [
	{ segmentId: 1, segmentValue: kostenplaats },
	{ segmentId: 2, segmentValue: kostendrager },
];

/** A line of a posted batch as Visma.net reads it back, cost unit "0000". */
const postedLine = (
	accountNumber: string,
	debitAmountInCurrency: number,
	creditAmountInCurrency: number,
	kostenplaats: string,
) => ({
	accountNumber,
	debitAmountInCurrency,
	creditAmountInCurrency,
	subaccount: { segments: segments(kostenplaats) },
});

/** The TWK part of March's run that books January's correction in period 1. */
function marchPart(overrides: Partial<PostingPart> = {}): PostingPart {
	return marchRunPart(
		[
			postingLine('4000', 'Bruto lonen TWK januari', 15000n, 0n, segments('100')),
			postingLine('1700', 'Loonheffingen TWK januari', 0n, 5550n, segments('000')),
			postingLine('2100', 'Nettolonen TWK januari', 0n, 9450n, segments('000')),
		],
		{
			financialPeriod: { year: 2026, period: 1 },
			transactionDate: '2026-01-31',
			description: 'Loonjournaal R2026-03 TWK 2026-01',
			...overrides,
		},
	);
}

describe('buildJournalTransaction', () => {
	it('builds the JournalTransactionUpdateDto exactly as Visma’s schema has it', () => {
		const body = buildJournalTransaction(marchPart(), { hold: false, ledger: 'L', branch: '1' });
		expect(validateUpdateDto(body)).toBe(true);
		expect(strictProblems(body)).toEqual([]);
		expect(body).toMatchObject({
			hold: { value: false },
			transactionDate: { value: '2026-01-31T00:00:00' },
			postPeriod: { value: '012026' },
			financialPeriod: { value: '202601' },
			ledger: { value: 'L' },
			currencyId: { value: 'EUR' },
			branch: { value: '1' },
		});
		expect(body.journalTransactionLines[0]).toEqual({
			operation: 'Insert',
			lineNumber: { value: 1 },
			accountNumber: { value: '4000' },
			subaccount: [
				{ segmentId: 1, segmentValue: '100' },
				{ segmentId: 2, segmentValue: '0000' },
			],
			referenceNumber: { value: 'R2026-03' },
			transactionDescription: { value: 'Bruto lonen TWK januari' },
			debitAmountInCurrency: { value: 150 },
			creditAmountInCurrency: { value: 0 },
			branch: { value: '1' },
		});
		// The run's reference on every line.
		expect(
			body.journalTransactionLines.map((line) => (line.referenceNumber as { value: string }).value),
		).toEqual(['R2026-03', 'R2026-03', 'R2026-03']);
		expect(bodyTotals(body)).toEqual({ lineCount: 3, debitTotal: '150.00', creditTotal: '150.00' });
	});

	it('puts the idempotency key in the batch description, never cut off', () => {
		const part = marchPart({ description: 'x'.repeat(400) });
		const key = partKey(part);
		const body = buildJournalTransaction(part, { hold: true });
		const description = (body.description as { value: string }).value;
		expect(description.length).toBeLessThanOrEqual(255);
		expect(readIdempotencyTag(description)).toEqual({
			identity: key.identity,
			content: key.content,
			revision: 0,
		});
		expect(description.startsWith(`[${postingKey(key, 0)}] `)).toBe(true);
		expect(postingKey(key, 12)).toBe(`vnp:${key.identity}:${key.content}:12`);
	});

	it('writes amounts as numbers with two decimals, exact for large payrolls', () => {
		const part = marchPart({
			lines: [
				{
					account: '4000',
					description: 'a',
					debitCents: 123456789012345n,
					creditCents: 0n,
					subaccount: [],
				},
				{
					account: '2100',
					description: 'b',
					debitCents: 0n,
					creditCents: 123456789012345n,
					subaccount: [],
				},
			],
		});
		const body = buildJournalTransaction(part, { hold: false });
		expect(body.journalTransactionLines[0].debitAmountInCurrency).toEqual({
			value: 1234567890123.45,
		});
		expect(body.journalTransactionLines[0]).not.toHaveProperty('subaccount');
		expect(strictProblems(body)).toEqual([]);
	});
});

describe('idempotency key', () => {
	it('is the same for the same part, whatever the line order or descriptions', () => {
		const a = partKey(marchPart());
		const reordered = marchPart();
		const b = partKey({
			...reordered,
			description: 'other',
			lines: [...reordered.lines].reverse().map((line) => ({ ...line, description: 'x' })),
		});
		expect(b.identity).toBe(a.identity);
		expect(b.content).toBe(a.content);
	});

	it('tells apart companies, references, periods and moved parts', () => {
		const base = partKey(marchPart()).identity;
		expect(partKey(marchPart({ companyId: '9999' })).identity).not.toBe(base);
		expect(partKey(marchPart({ reference: 'R2026-04' })).identity).not.toBe(base);
		expect(partKey(marchPart({ financialPeriod: { year: 2026, period: 2 } })).identity).not.toBe(
			base,
		);
		expect(partKey(marchPart({ movedFrom: { year: 2025, period: 12 } })).identity).not.toBe(base);
	});

	it('changes its content part when an amount, account or dimension changes', () => {
		const base = partKey(marchPart()).content;
		const changed = marchPart();
		const lines = [...changed.lines];
		lines[0] = { ...lines[0], subaccount: segments('200') };
		expect(partKey({ ...changed, lines }).content).not.toBe(base);
	});
});

describe('decidePosting', () => {
	const part = marchPart();
	const key = partKey(part);
	const posted = readBack;
	const body = buildJournalTransaction(part, { hold: false });
	const other = buildJournalTransaction(marchPart({ reference: 'R2026-02' }), { hold: false });

	it('posts when Visma.net holds nothing of this part (other batches ignored)', () => {
		expect(decidePosting([posted('000001', other)], key.identity, key.nets)).toEqual({
			action: 'post',
			revision: 0,
		});
	});

	it('skips a part that is already there, and names its batch', () => {
		expect(
			decidePosting([posted('000001', other), posted('000002', body)], key.identity, key.nets),
		).toEqual({
			action: 'alreadyPosted',
			batchNumber: '000002',
			batchNumbers: ['000002'],
		});
	});

	it('ignores a voided batch', () => {
		// Posted again whole, under a revision the voided batch does not carry.
		expect(decidePosting([posted('000002', body, 'Voided')], key.identity, key.nets)).toEqual({
			action: 'post',
			revision: 1,
		});
	});

	it('reports the same part posted twice (a race) instead of hiding it', () => {
		expect(
			decidePosting([posted('000002', body), posted('000003', body)], key.identity, key.nets),
		).toEqual({
			action: 'duplicate',
			batchNumbers: ['000002', '000003'],
			copies: ['000003'],
		});
	});

	it('sees a recalculated run and computes the balanced difference per account and subaccount', () => {
		const recalculated = marchPart({
			lines: [
				{
					account: '4000',
					description: 'Bruto',
					debitCents: 16000n,
					creditCents: 0n,
					subaccount: segments('100'),
				},
				{
					account: '1700',
					description: 'LH',
					debitCents: 0n,
					creditCents: 5920n,
					subaccount: segments('000'),
				},
				{
					account: '2100',
					description: 'Netto',
					debitCents: 0n,
					creditCents: 10080n,
					subaccount: segments('000'),
				},
			],
		});
		const newKey = partKey(recalculated);
		expect(newKey.identity).toBe(key.identity);
		const decision = decidePosting([posted('000002', body)], newKey.identity, newKey.nets);
		expect(decision.action).toBe('changed');
		if (decision.action !== 'changed') return;
		const difference = buildDifferenceTransaction(
			recalculated,
			decision.difference,
			{ hold: false },
			newKey,
			decision.batchNumbers,
			decision.revision,
		);
		expect(strictProblems(difference)).toEqual([]);
		expect(bodyTotals(difference)).toEqual({
			lineCount: 3,
			debitTotal: '10.00',
			creditTotal: '10.00',
		});
		expect((difference.description as { value: string }).value).toContain(
			'verschil t.o.v. batch 000002',
		);
		// After the difference journal, a rerun finds both batches and posts nothing.
		expect(
			decidePosting(
				[posted('000002', body), posted('000004', difference)],
				newKey.identity,
				newKey.nets,
			),
		).toMatchObject({
			action: 'alreadyPosted',
			batchNumber: '000004',
		});
	});
});

describe('hostile text: only the package’s own tag counts', () => {
	const otherKey = partKey(marchPart({ reference: 'R2026-02' }));
	const otherTag = `[vnp:${otherKey.identity}:${otherKey.content}:0]`;
	const textFields = (body: Record<string, unknown>): string[] => [
		(body.description as { value: string }).value,
		...(body.journalTransactionLines as Array<Record<string, { value: unknown }>>).flatMap(
			(line) => [String(line.referenceNumber.value), String(line.transactionDescription.value)],
		),
	];

	it('reads the tag only at the start of the description, in its exact format', () => {
		const key = partKey(marchPart());
		const tag = `[vnp:${key.identity}:${key.content}:3]`;
		expect(readIdempotencyTag(`${tag} Loonjournaal`)).toEqual({
			identity: key.identity,
			content: key.content,
			revision: 3,
		});
		expect(readIdempotencyTag(tag)).toEqual({
			identity: key.identity,
			content: key.content,
			revision: 3,
		});
		expect(readIdempotencyTag(`[vnp:${key.identity}:${key.content}:999999999] x`)).toMatchObject({
			revision: 999999999,
		});
		// One spelling per revision, none without it, none too long.
		for (const revision of ['03', '', '-1', '1000000000', '1e3', ' 3']) {
			expect(
				readIdempotencyTag(`[vnp:${key.identity}:${key.content}:${revision}] Loonjournaal`),
			).toBeNull();
		}
		expect(readIdempotencyTag(`[vnp:${key.identity}:${key.content}] Loonjournaal`)).toBeNull();
		expect(readIdempotencyTag(`Loonjournaal ${tag}`)).toBeNull();
		expect(readIdempotencyTag(` ${tag} Loonjournaal`)).toBeNull();
		expect(readIdempotencyTag(`${tag.toUpperCase()} Loonjournaal`)).toBeNull();
		expect(readIdempotencyTag(`${tag}x`)).toBeNull();
		expect(readIdempotencyTag(`［vnp:${key.identity}:${key.content}:3］ Loonjournaal`)).toBeNull();
	});

	it('writes the tag first and neutralises tag-like text in every text field it sends', () => {
		const hostile = `Maart ${otherTag} [VNP:${otherKey.identity}:${otherKey.content}] [Vnp:`;
		const part = marchPart({
			reference: `R2026-03 ${otherTag}`,
			description: hostile,
			lines: marchPart().lines.map((line) => ({
				...line,
				description: `${line.description} ${otherTag}`,
			})),
		});
		const key = partKey(part);
		for (const body of [
			buildJournalTransaction(part, { hold: false }),
			buildDifferenceTransaction(part, key.nets, { hold: false }, key, ['000001'], 0),
		]) {
			const description = (body.description as { value: string }).value;
			expect(description.startsWith(`[vnp:${key.identity}:${key.content}:0] `)).toBe(true);
			expect(readIdempotencyTag(description)).toEqual({
				identity: key.identity,
				content: key.content,
				revision: 0,
			});
			const [, ...rest] = textFields(body);
			expect(
				[description.slice(postingKey(key, 0).length + 3), ...rest].filter((text) =>
					/\[vnp:/i.test(text),
				),
			).toEqual([]);
			// Visible to a bookkeeper: the bracket becomes a parenthesis, nothing else changes.
			expect(description).toContain(`(vnp:${otherKey.identity}:${otherKey.content}:0]`);
			expect(description).toContain('(VNP:');
		}
	});

	it('keeps the tag whole and the description inside 255 characters, however long the text', () => {
		const part = marchPart({ description: `${otherTag} ${'x'.repeat(300)}` });
		const key = partKey(part);
		const description = (
			buildJournalTransaction(part, { hold: true }).description as { value: string }
		).value;
		expect(description.length).toBe(255);
		expect(readIdempotencyTag(description)).toEqual({
			identity: key.identity,
			content: key.content,
			revision: 0,
		});
	});
});

describe('hash injectivity', () => {
	it('tells apart identities whose fields differ only in where a separator falls', () => {
		expect(partKey(marchPart({ companyId: '1\u001f2', reference: '3' })).identity).not.toBe(
			partKey(marchPart({ companyId: '1', reference: '2\u001f3' })).identity,
		);
		expect(partKey(marchPart({ companyId: '1', reference: 'R' })).identity).not.toBe(
			partKey(marchPart({ companyId: '1\u001fR', reference: '' })).identity,
		);
	});

	it('tells apart subaccounts whose values contain "-" (A-B|C is not A|B-C)', () => {
		const lines = (first: string, second: string) => [
			{
				account: '4000',
				description: 'a',
				debitCents: 100n,
				creditCents: 0n,
				subaccount: [
					{ segmentId: 1, segmentValue: first },
					{ segmentId: 2, segmentValue: second },
				],
			},
			{ account: '2100', description: 'b', debitCents: 0n, creditCents: 100n, subaccount: [] },
		];
		expect(partKey(marchPart({ lines: lines('A-B', 'C') })).content).not.toBe(
			partKey(marchPart({ lines: lines('A', 'B-C') })).content,
		);
		expect(partKey(marchPart({ lines: lines('P-01', '') })).content).not.toBe(
			partKey(marchPart({ lines: lines('P', '01') })).content,
		);
	});

	it('tells apart an account and a subaccount whose texts hold the old separator', () => {
		const lines = (account: string, value: string) => [
			{
				account,
				description: 'a',
				debitCents: 100n,
				creditCents: 0n,
				subaccount: [{ segmentId: 1, segmentValue: value }],
			},
			{
				account: '2100',
				description: 'b',
				debitCents: 0n,
				creditCents: 100n,
				subaccount: [{ segmentId: 1, segmentValue: '' }],
			},
		];
		expect(partKey(marchPart({ lines: lines('4000\u001fA', 'B') })).content).not.toBe(
			partKey(marchPart({ lines: lines('4000', 'A\u001fB') })).content,
		);
	});

	it('a difference line for a subaccount only Visma.net holds keeps its segment values whole (P-01 stays one value)', () => {
		const part = marchPart();
		const key = partKey(part);
		const posted: PostedBatch = readPostedBatch({
			batchNumber: '000007',
			status: 'Balanced',
			description: `[vnp:${key.identity}:0000000000000000:0] x`,
			journalTransactionLines: [
				postedLine('4000', 150, 0, 'P-01'),
				postedLine('1700', 0, 55.5, '000'),
				postedLine('2100', 0, 94.5, '000'),
			],
		})!;
		const decision = decidePosting([posted], key.identity, key.nets);
		expect(decision.action).toBe('changed');
		if (decision.action !== 'changed') return;
		const body = buildDifferenceTransaction(
			part,
			decision.difference,
			{ hold: false },
			key,
			decision.batchNumbers,
			decision.revision,
		);
		const reversal = body.journalTransactionLines.find(
			(line) => (line.creditAmountInCurrency as { value: number }).value === 150,
		);
		expect(reversal?.subaccount).toEqual([
			{ segmentId: 1, segmentValue: 'P-01' },
			{ segmentId: 2, segmentValue: '0000' },
		]);
	});
});

describe('clipped texts stay well-formed', () => {
	it('never cuts a character in two (an emoji at the clip point of the batch or a line description)', () => {
		const emoji = '😀'.repeat(200);
		for (const lead of ['', 'x']) {
			const part = marchPart({
				description: `${lead}${emoji}`,
				lines: marchPart().lines.map((line) => ({ ...line, description: `${lead}${emoji}` })),
			});
			const body = buildJournalTransaction(part, { hold: false });
			const texts = [
				(body.description as { value: string }).value,
				...body.journalTransactionLines.map(
					(line) => (line.transactionDescription as { value: string }).value,
				),
			];
			for (const text of texts) {
				expect(text.length).toBeLessThanOrEqual(255);
				// No high surrogate without its low half, no low half alone.
				expect(
					/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text),
				).toBe(false);
				expect(text.endsWith('…')).toBe(true);
			}
		}
	});
});

describe('a line’s project, project task and branch', () => {
	/** March's part with the gross on project P-01 (task T1) in branch 2, the rest without. */
	const projectPart = (project = 'P-01', grossBranch: string | null = '2') =>
		marchRunPart([
			{
				...postingLine('4000', 'Bruto', 10000n, 0n),
				project,
				projectTask: 'T1',
				branch: grossBranch ?? undefined,
			},
			postingLine('4000', 'Bruto kantoor', 2000n, 0n),
			postingLine('2100', 'Netto', 0n, 12000n),
		]);

	it('sends them as Visma’s line fields; a line’s branch comes before the Branch option', () => {
		const body = buildJournalTransaction(projectPart(), { hold: false, branch: '1' });
		expect(validateUpdateDto(body)).toBe(true);
		expect(strictProblems(body)).toEqual([]);
		expect(body.journalTransactionLines[0]).toMatchObject({
			project: { value: 'P-01' },
			projectTask: { value: 'T1' },
			branch: { value: '2' },
		});
		expect(body.journalTransactionLines[1]).not.toHaveProperty('project');
		expect(body.journalTransactionLines[1]).not.toHaveProperty('projectTask');
		expect(body.journalTransactionLines[1].branch).toEqual({ value: '1' });
	});

	it('leaves the key of a part without them as it was, and tells parts apart by them', () => {
		const plain = marchRunPart([
			postingLine('4000', 'Bruto', 10000n, 0n, [{ segmentId: 1, segmentValue: '100' }]),
			postingLine('2100', 'Netto', 0n, 10000n, [{ segmentId: 1, segmentValue: '000' }]),
		]);
		// Pinned before projects existed: journals booked before keep their keys.
		expect(partKey(plain)).toMatchObject({
			identity: 'fee4ac23259149bf',
			content: '789431c981d4bed0',
		});
		const base = partKey(projectPart()).content;
		expect(partKey(projectPart('P-02')).content).not.toBe(base);
		expect(partKey(projectPart('P-01', '3')).content).not.toBe(base);
		expect(partKey(projectPart('P-01', null)).content).not.toBe(base);
		const otherTask = projectPart();
		const lines = [{ ...otherTask.lines[0], projectTask: 'T2' }, ...otherTask.lines.slice(1)];
		expect(partKey({ ...otherTask, lines }).content).not.toBe(base);
		// Case and blanks do not count, as for accounts.
		expect(partKey(projectPart(' p-01 ')).content).toBe(base);
	});

	it('a rerun posts nothing though Visma.net fills in its non-project code and the batch’s branch', () => {
		const part = projectPart('P-01', '1');
		const key = partKey(part);
		const body = buildJournalTransaction(part, { hold: false });
		// No Branch option: Visma.net's default branch 1 on the batch and every line without one.
		const held = readBack('000002', body, 'Balanced', { branch: '1', nonProjectCode: 'X' });
		expect(decidePosting([held], key.identity, key.nets)).toMatchObject({
			action: 'alreadyPosted',
		});
		// Another non-project code, when set as such.
		const other = readBack('000002', body, 'Balanced', { branch: '1', nonProjectCode: 'NP' });
		expect(decidePosting([other], key.identity, key.nets, { nonProjectCode: 'NP' })).toMatchObject({
			action: 'alreadyPosted',
		});
	});

	it('a part that names no project ignores the projects Visma.net reads back, whatever its code', () => {
		const part = marchPart();
		const key = partKey(part);
		const body = buildJournalTransaction(part, { hold: false });
		const posted = readBack('000002', body, 'Balanced', {
			branch: '1',
			nonProjectCode: 'NIETPROJ',
		});
		expect(decidePosting([posted], key.identity, key.nets)).toMatchObject({
			action: 'alreadyPosted',
		});
	});

	it('moves an amount from the old project to the new one when the project changed', () => {
		const before = projectPart('P-01');
		const body = buildJournalTransaction(before, { hold: false });
		const defaults = { branch: '1', nonProjectCode: 'X' };
		const posted = readBack('000002', body, 'Balanced', defaults);
		const after = projectPart('P-02');
		const key = partKey(after);
		const decision = decidePosting([posted], key.identity, key.nets);
		expect(decision.action).toBe('changed');
		if (decision.action !== 'changed') return;
		const difference = buildDifferenceTransaction(
			after,
			decision.difference,
			{ hold: false },
			key,
			decision.batchNumbers,
			decision.revision,
		);
		expect(strictProblems(difference)).toEqual([]);
		const lines = difference.journalTransactionLines.map((line) => ({
			account: line.accountNumber.value,
			debit: line.debitAmountInCurrency.value,
			credit: line.creditAmountInCurrency.value,
			project: line.project?.value,
			projectTask: line.projectTask?.value,
			branch: line.branch?.value,
		}));
		expect(lines).toEqual(
			expect.arrayContaining([
				{ account: '4000', debit: 0, credit: 100, project: 'P-01', projectTask: 'T1', branch: '2' },
				{ account: '4000', debit: 100, credit: 0, project: 'P-02', projectTask: 'T1', branch: '2' },
			]),
		);
		expect(lines).toHaveLength(2);
		// After the difference journal, a rerun finds what it wants and posts nothing.
		expect(
			decidePosting(
				[posted, readBack('000003', difference, 'Balanced', defaults)],
				key.identity,
				key.nets,
			),
		).toMatchObject({ action: 'alreadyPosted', batchNumber: '000003' });
	});
});

describe('a read-back that no difference journal can change', () => {
	it('refuses, never loops, when Visma.net reads lines back with another non-project code than set', () => {
		const part = marchRunPart([
			{ ...postingLine('4000', 'Bruto bouwplaats', 120000n, 0n), project: 'P-01' },
			postingLine('4000', 'Bruto kantoor', 30000n, 0n),
			postingLine('2100', 'Netto', 0n, 150000n),
		]);
		const key = partKey(part);
		const body = buildJournalTransaction(part, { hold: false });
		// The company's non-project code is NP; the node still has Visma.net's default X.
		const posted = readBack('000002', body, 'Balanced', { branch: '1', nonProjectCode: 'NP' });
		const decision = decidePosting([posted], key.identity, key.nets);
		expect(decision).toMatchObject({
			action: 'changed',
			readBackDiffers: { batchNumber: '000002' },
		});
		if (decision.action !== 'changed' || !decision.readBackDiffers) return;
		const issue = readBackDiffersIssue(part.reference, '2026-03', decision.readBackDiffers);
		expect(issue.code).toBe('READ_BACK_DIMENSIONS_DIFFER');
		expect(issue.message).toContain(
			'batch 000002 of this part (2026-03) was posted to book exactly this journal, yet Visma.net reads it back with other projects or branches than were sent',
		);
		expect(issue.message).toContain('account 2100: sent without a project, reads back project NP');
		expect(issue.message).toContain('set Non-Project Code');
		// Get Posting Status says so, and with the company's code the part is simply booked.
		expect(partPostingStatus([posted], key.identity, key.nets).summary).toContain(
			'reads batch 000002 back with other projects or branches than were sent (account 2100): check Non-Project Code',
		);
		expect(partPostingStatus([posted], key.identity, key.nets, readBackRules('np')).status).toBe(
			'posted',
		);
		// A real change of project is still a change to post.
		const moved = marchRunPart([
			{ ...postingLine('4000', 'Bruto bouwplaats', 120000n, 0n), project: 'P-02' },
			...part.lines.slice(1),
		]);
		const movedKey = partKey(moved);
		const right = readBack('000002', body, 'Balanced', { branch: '1', nonProjectCode: 'X' });
		expect(decidePosting([right], movedKey.identity, movedKey.nets)).not.toHaveProperty(
			'readBackDiffers',
		);
	});
});

describe('a line’s project, task and branch read back in another form than Visma.net’s', () => {
	it.each([
		['project', { project: 'P-01' }, 'has a project that is not { id, description }'],
		['project', { project: { id: 7 } }, 'has a project that is not { id, description }'],
		['projectTask', { projectTask: ['T1'] }, 'has a project task that is not { id, description }'],
		['branch', { branch: 2 }, 'has a branch that is not text'],
	])('%s %p: the batch cannot be read, never read without it', (field, given, reason) => {
		const batch = readPostedBatch({
			batchNumber: '000007',
			description: 'x',
			journalTransactionLines: [
				{ ...postedLine('4000', 150, 0, '100'), lineNumber: 1 },
				{ ...postedLine('2100', 0, 150, '000'), lineNumber: 2, ...given },
			],
		})!;
		expect(batch.entries).toHaveLength(1);
		expect(batch.unreadable).toMatchObject({ first: { line: 2, field, reason }, count: 1 });
	});
});
