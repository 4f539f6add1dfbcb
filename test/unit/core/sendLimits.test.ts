/**
 * Fields whose length Visma.net limits are checked before anything is sent (issue 12): a line's
 * referenceNumber holds 15 characters in the ERP beneath, and the Nmbrs Trigger's Reference
 * Format can produce longer ones.
 */
import { type PostingPart } from '../../../nodes/core/buildJournalTransaction';
import { checkSendLimits, VISMA_FIELD_LIMITS } from '../../../nodes/core/vismaNetModel';

function part(reference: string, currency = 'EUR'): PostingPart {
	return {
		companyId: '1234',
		reference,
		currency,
		financialPeriod: { year: 2026, period: 3 },
		transactionDate: '2026-03-31',
		description: 'Loonjournaal',
		lines: [
			{
				account: '4000',
				description: 'Bruto lonen',
				debitCents: 100n,
				creditCents: 0n,
				subaccount: [],
			},
			{
				account: '2100',
				description: 'Nettolonen',
				debitCents: 0n,
				creditCents: 100n,
				subaccount: [],
			},
		],
	};
}

describe('checkSendLimits', () => {
	it('passes a reference of 15 characters', () => {
		expect(VISMA_FIELD_LIMITS.referenceNumber).toBe(15);
		expect(checkSendLimits(part('R2026-03-123456'), {})).toEqual([]);
	});

	it('refuses a reference of 16 characters with a clear error naming the field, the limit and the Reference Format', () => {
		const issues = checkSendLimits(part('R2026-03-1234567'), {});
		expect(issues).toEqual([
			expect.objectContaining({
				code: 'FIELD_TOO_LONG',
				path: 'reference',
				message: expect.stringMatching(
					/reference "R2026-03-1234567" has 16 characters, but Visma\.net keeps at most 15 in a line's Ref\. no\. \(referenceNumber\).*Reference Format/,
				),
			}),
		]);
	});

	it('counts as the database does (UTF-16 units: an emoji is two), and checks the currency, ledger and branch too', () => {
		expect(checkSendLimits(part('R2026-03-😀😀😀'), {})).toEqual([]);
		expect(checkSendLimits(part('R2026-03-😀😀😀😀'), {})).toHaveLength(1);
		const issues = checkSendLimits(part('R1', 'EURO-X'), {
			ledger: 'ACTUAL-LEDGER',
			branch: 'B'.repeat(31),
		});
		expect(issues.map((issue) => issue.path)).toEqual(['currency', 'ledger', 'branch']);
	});
});
