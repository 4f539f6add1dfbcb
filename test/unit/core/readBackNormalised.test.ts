/**
 * Account numbers and segment values read back from Visma.net may differ in case, padding or
 * whitespace from what was sent (issue 12): compared normalised, an unchanged rerun is never
 * seen as changed, and a difference journal still sends the journal's own spelling.
 */
import {
	partKey,
	vismaCodeKey,
	type PostingPart,
} from '../../../nodes/core/buildJournalTransaction';
import {
	buildDifferenceTransaction,
	buildJournalTransaction,
	readPostedBatch,
} from '../../../nodes/core/vismaNetModel';
import { decidePosting } from '../../../nodes/core/idempotency';
import { marchRunPart, postingLine } from '../../helpers/postingParts';

const segments = (kostenplaats: string, kostendrager: string) => [
	{ segmentId: 1, segmentValue: kostenplaats },
	{ segmentId: 2, segmentValue: kostendrager },
];

function part(grossCents = 15000n): PostingPart {
	return marchRunPart([
		postingLine('4000', 'Bruto lonen', grossCents, 0n, segments('100', 'p001')),
		postingLine('ab10', 'Nettolonen', 0n, grossCents, segments('000', '0000')),
	]);
}

/** The sent body as Visma.net might list it: every code changed by `change`. */
function readBackChanged(
	body: ReturnType<typeof buildJournalTransaction>,
	change: (code: string) => string,
) {
	return readPostedBatch({
		batchNumber: '000001',
		status: 'Balanced',
		description: (body.description as { value: string }).value,
		journalTransactionLines: body.journalTransactionLines.map((line) => ({
			accountNumber: change((line.accountNumber as { value: string }).value),
			debitAmountInCurrency: (line.debitAmountInCurrency as { value: number }).value,
			creditAmountInCurrency: (line.creditAmountInCurrency as { value: number }).value,
			subaccount: {
				segments: (line.subaccount as Array<{ segmentId: number; segmentValue: string }>).map(
					(s) => ({ ...s, segmentValue: change(s.segmentValue) }),
				),
			},
		})),
	})!;
}

describe('codes read back from Visma.net', () => {
	it('one rule: case, surrounding padding and runs of whitespace do not count', () => {
		expect(vismaCodeKey(' p001 ')).toBe(vismaCodeKey('P001'));
		expect(vismaCodeKey('4000\u00a0')).toBe('4000');
		expect(vismaCodeKey('A  B')).toBe(vismaCodeKey('a b'));
		expect(vismaCodeKey('010')).not.toBe(vismaCodeKey('10'));
	});

	it.each([
		['upper case', (code: string) => code.toUpperCase()],
		['lower case', (code: string) => code.toLowerCase()],
		['padded with spaces to a fixed width', (code: string) => code.padEnd(10, ' ')],
		['with leading and trailing whitespace', (code: string) => ` ${code}\t`],
	])('an unchanged rerun is already posted when Visma.net gives the codes %s', (_name, change) => {
		const key = partKey(part());
		const posted = readBackChanged(buildJournalTransaction(part(), { hold: false }, key), change);
		expect(decidePosting([posted], key.identity, key.nets)).toEqual(
			expect.objectContaining({ action: 'alreadyPosted', batchNumber: '000001' }),
		);
	});

	it('a changed journal read back in another case gets a difference journal in the journal’s own spelling', () => {
		const posted = readBackChanged(
			buildJournalTransaction(part(), { hold: false }, partKey(part())),
			(code) => code.toUpperCase().padEnd(6, ' '),
		);
		const changed = part(16000n);
		const key = partKey(changed);
		const decision = decidePosting([posted], key.identity, key.nets);
		if (decision.action !== 'changed') throw new Error(`expected changed, got ${decision.action}`);
		expect(decision.difference.size).toBe(2);
		const body = buildDifferenceTransaction(
			changed,
			decision.difference,
			{ hold: false },
			key,
			decision.batchNumbers,
			decision.revision,
		);
		expect(
			body.journalTransactionLines.map((line) => [
				(line.accountNumber as { value: string }).value,
				line.subaccount,
				(line.debitAmountInCurrency as { value: number }).value,
				(line.creditAmountInCurrency as { value: number }).value,
			]),
		).toEqual([
			['4000', segments('100', 'p001'), 10, 0],
			['ab10', segments('000', '0000'), 0, 10],
		]);
	});
});
