/**
 * The fault suite's journal generator and ledger checks, for the queue-mode test (queue.mjs is
 * plain Node ESM and runs this file with tsx as a child process, so nock, which the fault suite
 * loads, never patches the HTTP client of the script that drives the load).
 *
 *   tsx test/queue/ledger.ts generate '{"journals":40,"seed":1,"prefix":"Q1"}'   -> JSON on stdout
 *   tsx test/queue/ledger.ts check <input.json>                                  -> JSON on stdout
 *
 * `generate` prints the journals (one canonical JSON journal each, as the webhook receives them)
 * and the parts each must become (generateJournals.ts). `check` reads the Visma.net sandbox's
 * state and those parts and counts, per part, the batches under its reference and period: live
 * (not on hold) and held copies, missing parts, wrong contents (faultSuite.ts's contentProblems),
 * and batches under a test reference that no part explains.
 */
import fs from 'node:fs';

import { seededRandom } from '../../scripts/lib/seededRandom';
import { batchReference, contentProblems, MAX_RERUNS, type Batch } from '../faults/faultSuite';
import { Dice, generateJournal, runSeed, type ExpectedPart } from '../faults/generateJournals';

interface SerializedPart {
	reference: string;
	financialPeriod: string;
	lineCount: number;
	net: Array<[string, number]>;
	/** Whether the part is a TWK correction (an earlier period than the run's own). */
	isTwk: boolean;
}

export interface GenerateInput {
	journals: number;
	seed: number;
	/** Reference prefix, e.g. "Q1A0": references are `<prefix>-<n>`. */
	prefix: string;
	/** Sends of each journal, and the window (ms) they are spread over: seeded offsets per journal. */
	copies: number;
	spreadMs: number;
}

export function generate(input: GenerateInput) {
	const journals = [];
	const parts: SerializedPart[] = [];
	const offsets: number[][] = [];
	const timing = new Dice(seededRandom(runSeed(input.seed, 0)));
	for (let index = 1; index <= input.journals; index++) {
		const dice = new Dice(seededRandom(runSeed(input.seed, index)));
		// Map Dimensions runs with its defaults in the queue test: cost centres, no cost units.
		const generated = generateJournal(dice, {
			reference: `${input.prefix}-${index}`,
			useCostUnits: false,
		});
		const runPeriod = `2026${String(generated.json.run.period).padStart(2, '0')}`;
		journals.push(generated.json);
		offsets.push(
			Array.from({ length: input.copies }, (_, copy) =>
				copy === 0 ? 0 : timing.int(0, input.spreadMs),
			).sort((a, b) => a - b),
		);
		for (const part of generated.parts) {
			parts.push({
				reference: part.reference,
				financialPeriod: part.financialPeriod,
				lineCount: part.lineCount,
				net: [...part.net],
				isTwk: part.financialPeriod !== runPeriod,
			});
		}
	}
	return { journals, parts, offsets, maxReruns: MAX_RERUNS };
}

export interface CheckInput {
	/** GET /_sandbox/state of the Visma.net sandbox. */
	state: { tenants: Array<{ tenantId: string; batches: Batch[] }> };
	tenantId: string;
	/** Parts with known contents (generated journals): count, contents. */
	parts: SerializedPart[];
	/** Parts known by reference and period only (the month-end run): count only. */
	countOnly?: Array<{ reference: string; financialPeriod: string }>;
}

/** The description a copy gets when it stands down (standDownBody in nodes/core/buildJournalTransaction.ts). */
const DUPLICATE_MARK = /^Duplicate of batch \S+, never booked: safe to delete\. /;

export function check(input: CheckInput) {
	const batches =
		input.state.tenants.find((tenant) => tenant.tenantId === input.tenantId)?.batches ?? [];
	const references = new Set(
		[...input.parts, ...(input.countOnly ?? [])].map((part) => part.reference),
	);
	const ours = batches.filter((batch) => references.has(batchReference(batch)));
	const figures = {
		parts: input.parts.length + (input.countOnly?.length ?? 0),
		twkParts: input.parts.filter((part) => part.isTwk).length,
		batches: ours.length,
		partsBookedOnce: 0,
		missing: 0,
		/** Parts with more than one live (not held) batch. */
		partsWithLiveDuplicates: 0,
		/** Live batches beyond the first, over all parts. */
		liveDuplicates: 0,
		/** Copies that stood down in a race: On Hold, marked "Duplicate of batch …" (never in the ledger). */
		heldCopies: 0,
		wrongAmounts: 0,
		unexpected: 0,
		problems: [] as string[],
	};
	const keyOf = (reference: string, period: string) => `${reference}|${period}`;
	const byKey = new Map<string, Batch[]>();
	for (const batch of ours) {
		const key = keyOf(batchReference(batch), batch.financialPeriod);
		byKey.set(key, [...(byKey.get(key) ?? []), batch]);
	}
	const describe = (list: Batch[]) =>
		list.map((batch) => `${batch.batchNumber}${batch.hold ? ' (hold)' : ''}`).join(', ');
	const countPart = (reference: string, period: string): Batch[] => {
		const found = byKey.get(keyOf(reference, period)) ?? [];
		byKey.delete(keyOf(reference, period));
		const live = found.filter((batch) => !batch.hold);
		const held = found.filter((batch) => batch.hold);
		if (live.length === 0) {
			// Not in the ledger: a part whose only batches are On Hold is not booked.
			figures.missing++;
			figures.problems.push(
				`${reference} ${period}: missing${held.length > 0 ? ` (only held: ${describe(held)})` : ''}`,
			);
		} else if (live.length === 1) figures.partsBookedOnce++;
		if (live.length > 1) {
			figures.partsWithLiveDuplicates++;
			figures.liveDuplicates += live.length - 1;
			figures.problems.push(
				`${reference} ${period}: ${live.length} live batches (${describe(found)})`,
			);
		}
		// A copy that stood down in a race: On Hold, marked as a duplicate of the standing batch.
		figures.heldCopies += held.length;
		for (const copy of held) {
			if (!DUPLICATE_MARK.test(String(copy.description ?? '')))
				figures.problems.push(
					`${reference} ${period}: batch ${copy.batchNumber} is On Hold without the duplicate mark`,
				);
		}
		return found;
	};
	for (const serialized of input.parts) {
		const part: ExpectedPart = {
			reference: serialized.reference,
			financialPeriod: serialized.financialPeriod,
			lineCount: serialized.lineCount,
			net: new Map(serialized.net),
		};
		for (const batch of countPart(part.reference, part.financialPeriod)) {
			const problems = contentProblems(batch, part);
			if (problems.length > 0) {
				figures.wrongAmounts++;
				figures.problems.push(
					`${part.reference} ${part.financialPeriod}: batch ${batch.batchNumber}: ${problems.slice(0, 3).join('; ')}`,
				);
			}
		}
	}
	for (const part of input.countOnly ?? []) countPart(part.reference, part.financialPeriod);
	for (const [key, list] of byKey) {
		figures.unexpected += list.length;
		figures.problems.push(`${key.replace('|', ' ')}: unexpected batch(es) ${describe(list)}`);
	}
	return figures;
}

if (require.main === module) {
	const [command, argument] = process.argv.slice(2);
	if (command === 'generate') {
		process.stdout.write(JSON.stringify(generate(JSON.parse(argument) as GenerateInput)));
	} else if (command === 'check') {
		process.stdout.write(
			JSON.stringify(check(JSON.parse(fs.readFileSync(argument, 'utf8')) as CheckInput)),
		);
	} else {
		process.stderr.write('usage: tsx test/queue/ledger.ts generate <json> | check <input.json>\n');
		process.exitCode = 2;
	}
	// faultSuite.ts loads n8n-core, which keeps timers alive: the answer is out, so end here.
	process.stdout.write('', () => process.exit(process.exitCode ?? 0));
}
