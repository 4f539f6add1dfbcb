import { readFileSync } from 'node:fs';
import path from 'node:path';

import Ajv from 'ajv';

import {
	bodyTotals,
	buildDifferenceTransaction,
	buildJournalTransaction,
	partKey,
	readPostedBatch,
	type PostingPart,
} from '../../../nodes/core/buildJournalTransaction';
import { decidePosting, readIdempotencyTag, type PostedBatch } from '../../../nodes/core/idempotency';

const openapi = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/visma-net/openapi-gl-subset.json'), 'utf8'));
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema(openapi, 'openapi');
const validateUpdateDto = ajv.getSchema('openapi#/components/schemas/JournalTransactionUpdateDto')!;

/** The official schema is loose (see its README): these are the rules Visma.net applies on top. */
function strictProblems(body: Record<string, unknown>): string[] {
	const problems: string[] = [];
	const header = ['hold', 'transactionDate', 'postPeriod', 'financialPeriod', 'ledger', 'currencyId', 'description', 'branch'];
	for (const field of header) {
		const value = body[field];
		if (value !== undefined && (typeof value !== 'object' || value === null || !('value' in value))) problems.push(`${field} is not wrapped`);
	}
	const postPeriod = (body.postPeriod as { value: string }).value;
	const financialPeriod = (body.financialPeriod as { value: string }).value;
	if (!/^\d{6}$/.test(postPeriod) || `${postPeriod.slice(2)}${postPeriod.slice(0, 2)}` !== financialPeriod) problems.push('postPeriod and financialPeriod disagree');
	for (const line of body.journalTransactionLines as Array<Record<string, unknown>>) {
		if (line.operation !== 'Insert') problems.push('operation is not the plain string Insert');
		if (line.subaccount !== undefined && !Array.isArray(line.subaccount)) problems.push('subaccount is not an unwrapped array');
		for (const side of ['debitAmountInCurrency', 'creditAmountInCurrency']) {
			const amount = (line[side] as { value: number }).value;
			if (typeof amount !== 'number' || Math.round(amount * 100) / 100 !== amount) problems.push(`${side} is not a number with two decimals`);
		}
	}
	return problems;
}

const segments = (kostenplaats: string, kostendrager = '0000') => [
	{ segmentId: 1, segmentValue: kostenplaats },
	{ segmentId: 2, segmentValue: kostendrager },
];

function marchPart(overrides: Partial<PostingPart> = {}): PostingPart {
	return {
		companyId: '1234',
		reference: 'R2026-03',
		currency: 'EUR',
		financialPeriod: { year: 2026, period: 1 },
		transactionDate: '2026-01-31',
		description: 'Loonjournaal R2026-03 TWK 2026-01',
		lines: [
			{ account: '4000', description: 'Bruto lonen TWK januari', debitCents: 15000n, creditCents: 0n, subaccount: segments('100') },
			{ account: '1700', description: 'Loonheffingen TWK januari', debitCents: 0n, creditCents: 5550n, subaccount: segments('000') },
			{ account: '2100', description: 'Nettolonen TWK januari', debitCents: 0n, creditCents: 9450n, subaccount: segments('000') },
		],
		...overrides,
	};
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
		expect(body.journalTransactionLines.map((line) => (line.referenceNumber as { value: string }).value)).toEqual(['R2026-03', 'R2026-03', 'R2026-03']);
		expect(bodyTotals(body)).toEqual({ lineCount: 3, debitTotal: '150.00', creditTotal: '150.00' });
	});

	it('puts the idempotency key in the batch description, never cut off', () => {
		const part = marchPart({ description: 'x'.repeat(400) });
		const key = partKey(part);
		const body = buildJournalTransaction(part, { hold: true });
		const description = (body.description as { value: string }).value;
		expect(description.length).toBeLessThanOrEqual(255);
		expect(readIdempotencyTag(description)).toEqual({ identity: key.identity, content: key.content });
		expect(key.idempotencyKey).toBe(`vnp:${key.identity}:${key.content}`);
	});

	it('writes amounts as numbers with two decimals, exact for large payrolls', () => {
		const part = marchPart({
			lines: [
				{ account: '4000', description: 'a', debitCents: 123456789012345n, creditCents: 0n, subaccount: [] },
				{ account: '2100', description: 'b', debitCents: 0n, creditCents: 123456789012345n, subaccount: [] },
			],
		});
		const body = buildJournalTransaction(part, { hold: false });
		expect(body.journalTransactionLines[0].debitAmountInCurrency).toEqual({ value: 1234567890123.45 });
		expect(body.journalTransactionLines[0]).not.toHaveProperty('subaccount');
		expect(strictProblems(body)).toEqual([]);
	});
});

describe('idempotency key', () => {
	it('is the same for the same part, whatever the line order or descriptions', () => {
		const a = partKey(marchPart());
		const reordered = marchPart();
		const b = partKey({ ...reordered, description: 'other', lines: [...reordered.lines].reverse().map((line) => ({ ...line, description: 'x' })) });
		expect(b.identity).toBe(a.identity);
		expect(b.content).toBe(a.content);
	});

	it('tells apart companies, references, periods and moved parts', () => {
		const base = partKey(marchPart()).identity;
		expect(partKey(marchPart({ companyId: '9999' })).identity).not.toBe(base);
		expect(partKey(marchPart({ reference: 'R2026-04' })).identity).not.toBe(base);
		expect(partKey(marchPart({ financialPeriod: { year: 2026, period: 2 } })).identity).not.toBe(base);
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
	const posted = (batchNumber: string, body: Record<string, unknown>, status = 'Balanced'): PostedBatch =>
		readPostedBatch({
			batchNumber,
			status,
			description: (body.description as { value: string }).value,
			journalTransactionLines: (body.journalTransactionLines as Array<Record<string, { value: unknown }>>).map((line) => ({
				accountNumber: line.accountNumber.value,
				debitAmountInCurrency: line.debitAmountInCurrency.value,
				creditAmountInCurrency: line.creditAmountInCurrency.value,
				subaccount: { segments: (line.subaccount as unknown as Array<{ segmentId: number; segmentValue: string }>) ?? [] },
			})),
		})!;
	const body = buildJournalTransaction(part, { hold: false });
	const other = buildJournalTransaction(marchPart({ reference: 'R2026-02' }), { hold: false });

	it('posts when Visma.net holds nothing of this part (other batches ignored)', () => {
		expect(decidePosting([posted('000001', other)], key.identity, key.nets)).toEqual({ action: 'post' });
	});

	it('skips a part that is already there, and names its batch', () => {
		expect(decidePosting([posted('000001', other), posted('000002', body)], key.identity, key.nets)).toEqual({
			action: 'alreadyPosted',
			batchNumber: '000002',
			batchNumbers: ['000002'],
		});
	});

	it('ignores a voided batch', () => {
		expect(decidePosting([posted('000002', body, 'Voided')], key.identity, key.nets)).toEqual({ action: 'post' });
	});

	it('reports the same part posted twice (a race) instead of hiding it', () => {
		expect(decidePosting([posted('000002', body), posted('000003', body)], key.identity, key.nets)).toEqual({
			action: 'duplicate',
			batchNumbers: ['000002', '000003'],
		});
	});

	it('sees a recalculated run and computes the balanced difference per account and subaccount', () => {
		const recalculated = marchPart({
			lines: [
				{ account: '4000', description: 'Bruto', debitCents: 16000n, creditCents: 0n, subaccount: segments('100') },
				{ account: '1700', description: 'LH', debitCents: 0n, creditCents: 5920n, subaccount: segments('000') },
				{ account: '2100', description: 'Netto', debitCents: 0n, creditCents: 10080n, subaccount: segments('000') },
			],
		});
		const newKey = partKey(recalculated);
		expect(newKey.identity).toBe(key.identity);
		const decision = decidePosting([posted('000002', body)], newKey.identity, newKey.nets);
		expect(decision.action).toBe('changed');
		if (decision.action !== 'changed') return;
		const difference = buildDifferenceTransaction(recalculated, decision.difference, { hold: false }, newKey, decision.batchNumbers);
		expect(strictProblems(difference)).toEqual([]);
		expect(bodyTotals(difference)).toEqual({ lineCount: 3, debitTotal: '10.00', creditTotal: '10.00' });
		expect((difference.description as { value: string }).value).toContain('verschil t.o.v. batch 000002');
		// After the difference journal, a rerun finds both batches and posts nothing.
		expect(decidePosting([posted('000002', body), posted('000004', difference)], newKey.identity, newKey.nets)).toMatchObject({
			action: 'alreadyPosted',
			batchNumber: '000004',
		});
	});
});
