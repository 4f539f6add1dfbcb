/**
 * Posting parts for unit tests of the posting decision and the read-back: company 1234's payroll
 * runs, built from a few lines.
 */
import type { PostingLine, PostingPart } from '../../nodes/core/buildJournalTransaction';

/** A posting line; without a subaccount unless one is given. */
export function postingLine(
	account: string,
	description: string,
	debitCents: bigint,
	creditCents: bigint,
	subaccount: PostingLine['subaccount'] = [],
): PostingLine {
	return { account, description, debitCents, creditCents, subaccount };
}

/**
 * A part of March's run R2026-03 with these lines: booked in period 3 of 2026 on 2026-03-31 unless
 * `overrides` says otherwise.
 */
export function marchRunPart(
	lines: PostingLine[],
	overrides: Partial<PostingPart> = {},
): PostingPart {
	return {
		companyId: '1234',
		reference: 'R2026-03',
		currency: 'EUR',
		financialPeriod: { year: 2026, period: 3 },
		transactionDate: '2026-03-31',
		description: 'Loonjournaal R2026-03',
		lines,
		...overrides,
	};
}

/** April's run (period 4 of 2026): the gross on 4000 against the net on 2100, as a recalculation changes it. */
export function aprilPart(grossCents: bigint, reference = 'R2026-04'): PostingPart {
	return {
		companyId: '1234',
		reference,
		currency: 'EUR',
		financialPeriod: { year: 2026, period: 4 },
		transactionDate: '2026-04-30',
		description: `Loonjournaal ${reference} 2026-04`,
		lines: [
			postingLine('4000', 'Bruto', grossCents, 0n),
			postingLine('2100', 'Netto', 0n, grossCents),
		],
	};
}
