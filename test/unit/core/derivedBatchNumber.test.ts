import {
	DERIVED_BATCH_NUMBER_LENGTH,
	MAX_REVISION,
	derivedBatchNumber,
	identityKey,
} from '../../../nodes/core/idempotency';

const IDENTITY = identityKey({
	companyId: '1001',
	reference: 'R2026-03',
	financialPeriod: '202603',
});
const OTHER = identityKey({ companyId: '1001', reference: 'R2026-03', financialPeriod: '202602' });

describe('derivedBatchNumber', () => {
	it('is a function of identity and revision only: 15 characters of [0-9A-Z], within Visma.net’s batch number limit', () => {
		expect(DERIVED_BATCH_NUMBER_LENGTH).toBe(15);
		expect(derivedBatchNumber(IDENTITY, 0)).toBe(derivedBatchNumber(IDENTITY, 0));
		for (const revision of [0, 1, 35, 36, 1295, 1296, 1297, 36 ** 5, MAX_REVISION]) {
			expect(derivedBatchNumber(IDENTITY, revision)).toMatch(/^[0-9A-Z]{15}$/);
		}
	});

	it('spells the identity’s first 60 bits in Crockford base 32 and the revision in base 36', () => {
		expect(derivedBatchNumber('0000000000000000', 0)).toBe('P00000000000000');
		expect(derivedBatchNumber('ffffffffffffffff', 1295)).toBe('PZZZZZZZZZZZZZZ');
		expect(derivedBatchNumber('0123456789abcdef', 37)).toBe('P04HMASW9NF6Y11');
		expect(derivedBatchNumber('ffffffffffffffff', 1296)).toBe('RZZZZZZZZ000100');
		expect(derivedBatchNumber('ffffffffffffffff', MAX_REVISION)).toBe(
			`RZZZZZZZZ${MAX_REVISION.toString(36).toUpperCase()}`,
		);
	});

	it('gives every revision of a part, and every part, its own number', () => {
		const numbers = new Set<string>();
		for (const identity of [IDENTITY, OTHER])
			for (let revision = 0; revision <= 1400; revision++)
				numbers.add(derivedBatchNumber(identity, revision));
		expect(numbers.size).toBe(2 * 1401);
	});

	it('refuses what no tag can carry', () => {
		expect(() => derivedBatchNumber(IDENTITY, -1)).toThrow(RangeError);
		expect(() => derivedBatchNumber(IDENTITY, MAX_REVISION + 1)).toThrow(RangeError);
		expect(() => derivedBatchNumber(IDENTITY, 1.5)).toThrow(RangeError);
		expect(() => derivedBatchNumber('XYZ', 0)).toThrow(RangeError);
		expect(() => derivedBatchNumber(IDENTITY.toUpperCase(), 0)).toThrow(RangeError);
	});
});
