/**
 * Exactly once against hostile text, seeded: identities and contents built from fragments that
 * hold the separators of any joined key ("-", "|", ":", U+001F, quotes, backslashes) and the
 * package's own tag text. Distinct parts must get distinct keys, equal parts equal keys; only the
 * package's own tag, first in the batch description, counts; no text sent carries "[vnp:" anywhere
 * else. FUZZ_SCALE (default 1) multiplies the number of generated inputs for a full run.
 */
import fc from 'fast-check';

import {
	partIdentity,
	partKey,
	type PostingLine,
	type PostingPart,
} from '../../../nodes/core/buildJournalTransaction';
import {
	buildDifferenceTransaction,
	buildJournalTransaction,
} from '../../../nodes/core/vismaNetModel';
import {
	contentHashInput,
	decidePosting,
	findPartBatches,
	identityHashInput,
	readIdempotencyTag,
} from '../../../nodes/core/idempotency';
import { FUZZ_SCALE as SCALE } from '../../fuzz/scale';
import { readBack } from '../../helpers/readBack';

const SEED = 20261129;
const RUNS = 200 * SCALE;
const generated = { identities: 0, contents: 0, texts: 0 };

afterAll(() => {
	process.stdout.write(
		`Idempotency fuzzing (FUZZ_SCALE ${SCALE}): ${generated.identities} identity pairs, ${generated.contents} content pairs, ${generated.texts} hostile parts\n`,
	);
});

const FRAGMENTS = [
	'1',
	'2',
	'A',
	'B',
	'-',
	'|',
	':',
	'\u001f',
	'"',
	'\\',
	',',
	'[',
	']',
	' ',
	'vnp:',
	'[vnp:',
	'[VNP:',
	'P-01',
	'0123456789abcdef',
];
/** Short texts from few fragments, so that two of them often differ only in where a separator falls. */
const text = fc
	.array(fc.constantFrom(...FRAGMENTS), { maxLength: 4 })
	.map((parts) => parts.join(''));

interface Identity {
	companyId: string;
	reference: string;
	period: number;
	movedFrom: number | null;
}

const identity: fc.Arbitrary<Identity> = fc.record({
	companyId: text,
	reference: text,
	period: fc.integer({ min: 1, max: 2 }),
	movedFrom: fc.option(fc.integer({ min: 1, max: 2 })),
});

const LINES: PostingLine[] = [
	{ account: '4000', description: 'a', debitCents: 100n, creditCents: 0n, subaccount: [] },
	{ account: '2100', description: 'b', debitCents: 0n, creditCents: 100n, subaccount: [] },
];

function partOf(
	id: Identity,
	lines: readonly PostingLine[] = LINES,
	texts: { description?: string } = {},
): PostingPart {
	return {
		companyId: id.companyId,
		reference: id.reference,
		currency: 'EUR',
		financialPeriod: { year: 2026, period: id.period },
		transactionDate: `2026-0${id.period}-15`,
		description: texts.description ?? 'Loonjournaal',
		...(id.movedFrom !== null ? { movedFrom: { year: 2025, period: id.movedFrom } } : {}),
		lines,
	};
}

/** A split of one text into two fields at every position: "1\u001f2"+"3" against "1"+"2\u001f3". */
const splitPair = fc.tuple(text, text, fc.nat(), fc.nat()).map(([a, b, i, j]) => {
	const joined = a + b;
	const x = i % (joined.length + 1);
	const y = j % (joined.length + 1);
	return [
		{ companyId: joined.slice(0, x), reference: joined.slice(x), period: 1, movedFrom: null },
		{ companyId: joined.slice(0, y), reference: joined.slice(y), period: 1, movedFrom: null },
	] as [Identity, Identity];
});

describe('identity hash: distinct parts, distinct keys', () => {
	it('gives two identities the same key exactly when every field is the same', () => {
		fc.assert(
			fc.property(fc.oneof(fc.tuple(identity, identity), splitPair), ([a, b]) => {
				generated.identities++;
				const same =
					a.companyId === b.companyId &&
					a.reference === b.reference &&
					a.period === b.period &&
					a.movedFrom === b.movedFrom;
				expect(
					identityHashInput(partIdentity(partOf(a))) === identityHashInput(partIdentity(partOf(b))),
				).toBe(same);
				expect(partKey(partOf(a)).identity === partKey(partOf(b)).identity).toBe(same);
			}),
			{ seed: SEED, numRuns: RUNS },
		);
	});
});

interface Row {
	account: string;
	values: string[];
	cents: bigint;
}

const row: fc.Arbitrary<Row> = fc.record({
	account: fc.constantFrom('4000', '4000-1', '4000\u001f1', '1', '"'),
	values: fc.array(text, { minLength: 2, maxLength: 2 }),
	cents: fc.constantFrom(-100n, 100n, 250n),
});

function linesOfRows(rows: readonly Row[]): PostingLine[] {
	return rows.map((r) => ({
		account: r.account,
		description: 'x',
		debitCents: r.cents > 0n ? r.cents : 0n,
		creditCents: r.cents < 0n ? -r.cents : 0n,
		subaccount: r.values.map((segmentValue, index) => ({ segmentId: index + 1, segmentValue })),
	}));
}

/** What a content must tell apart, written independently: nets per (account, segment values), zeros left out. */
function oracle(rows: readonly Row[]): string {
	const nets = new Map<string, bigint>();
	for (const r of rows) {
		const key = JSON.stringify([r.account, r.values]);
		nets.set(key, (nets.get(key) ?? 0n) + r.cents);
	}
	return JSON.stringify(
		[...nets]
			.filter(([, cents]) => cents !== 0n)
			.map(([key, cents]) => `${key}=${cents}`)
			.sort(),
	);
}

describe('content hash: distinct bookings, distinct keys', () => {
	it('gives two parts the same content exactly when they book the same net per account and subaccount', () => {
		const rows = fc.array(row, { minLength: 1, maxLength: 4 });
		// Half the pairs share the same amounts and accounts, with segment values that only regroup the same characters.
		const regrouped = fc.tuple(rows, fc.nat()).map(([a, shift]) => {
			const b = a.map((r) => {
				const joined = r.values.join('');
				const cut = shift % (joined.length + 1);
				return { ...r, values: [joined.slice(0, cut), joined.slice(cut)] };
			});
			return [a, b] as [Row[], Row[]];
		});
		fc.assert(
			fc.property(fc.oneof(fc.tuple(rows, rows), regrouped), ([a, b]) => {
				generated.contents++;
				const id: Identity = { companyId: '1', reference: 'R', period: 1, movedFrom: null };
				const same = oracle(a) === oracle(b);
				const [keyA, keyB] = [
					partKey(partOf(id, linesOfRows(a))),
					partKey(partOf(id, linesOfRows(b))),
				];
				expect(contentHashInput(keyA.nets) === contentHashInput(keyB.nets)).toBe(same);
				expect(keyA.content === keyB.content).toBe(same);
			}),
			{ seed: SEED + 1, numRuns: RUNS },
		);
	});
});

/** Every text field of a body, the batch description first. */
function textsOf(body: Record<string, unknown>): string[] {
	return [
		(body.description as { value: string }).value,
		...(
			body.journalTransactionLines as Array<Record<string, { value: unknown } | undefined>>
		).flatMap((line) =>
			['referenceNumber', 'transactionDescription', 'accountNumber'].map((field) =>
				String(line[field]?.value ?? ''),
			),
		),
	];
}

describe('hostile text never fools exactly once', () => {
	it('reads each batch as its own part, whatever tag-like text its reference and descriptions hold', () => {
		const victim = partOf({ companyId: '1234', reference: 'R2026-03', period: 1, movedFrom: null });
		const victimKey = partKey(victim);
		const victimTag = `[vnp:${victimKey.identity}:${victimKey.content}:0]`;
		const hostile = fc
			.array(
				fc.oneof(
					text,
					fc.constantFrom(
						victimTag,
						victimTag.toUpperCase(),
						`${victimTag} `,
						`[Vnp:${victimKey.identity}:`,
					),
				),
				{ maxLength: 4 },
			)
			.map((parts) => parts.join(''));
		fc.assert(
			fc.property(identity, hostile, hostile, hostile, (id, reference, description, lineText) => {
				generated.texts++;
				const part = partOf(
					{ ...id, reference: `${id.reference}${reference}` },
					LINES.map((line) => ({ ...line, description: lineText })),
					{ description },
				);
				const key = partKey(part);
				for (const [body, revision] of [
					[buildJournalTransaction(part, { hold: false }), 0],
					[buildDifferenceTransaction(part, key.nets, { hold: false }, key, ['000001'], 1), 1],
				] as const) {
					const [batchDescription, ...rest] = textsOf(body);
					expect(batchDescription.length).toBeLessThanOrEqual(255);
					expect(readIdempotencyTag(batchDescription)).toEqual({
						identity: key.identity,
						content: key.content,
						revision,
					});
					const tagLength = `[vnp:${key.identity}:${key.content}:${revision}]`.length;
					expect(
						[batchDescription.slice(tagLength), ...rest].filter((t) => /\[vnp:/i.test(t)),
					).toEqual([]);
					// Another journal's batch never counts as the victim's, and a rerun of this part finds itself.
					const posted = readBack('000009', body);
					expect(findPartBatches([posted], victimKey.identity)).toHaveLength(
						key.identity === victimKey.identity ? 1 : 0,
					);
					if (body.description === buildJournalTransaction(part, { hold: false }).description) {
						expect(decidePosting([posted], key.identity, key.nets)).toMatchObject({
							action: 'alreadyPosted',
							batchNumber: '000009',
						});
					}
				}
			}),
			{ seed: SEED + 2, numRuns: RUNS },
		);
	});

	it('reads and neutralises 100,000 characters of tag-like text in linear time', () => {
		const part = partOf({ companyId: '1', reference: 'R', period: 1, movedFrom: null });
		for (const filler of [
			'[vnp:',
			'[',
			'[vnp:0123456789abcdef:',
			'[VNP:0123456789abcdef:0123456789abcdef',
		]) {
			const long = filler.repeat(Math.ceil(100_000 / filler.length));
			const started = performance.now();
			expect(readIdempotencyTag(long)).toBeNull();
			const body = buildJournalTransaction(
				{
					...part,
					reference: long,
					description: long,
					lines: LINES.map((line) => ({ ...line, description: long })),
				},
				{ hold: false },
			);
			expect(
				textsOf(body)
					.slice(1)
					.some((t) => /\[vnp:/i.test(t)),
			).toBe(false);
			// Linear: about 100 ms here for three 100k texts with 20,000 tags; a quadratic reader would take minutes.
			expect(performance.now() - started).toBeLessThan(1000);
		}
	});
});
