/**
 * Seeded, realistic payroll journals for the fault suite, and what each must become in Visma.net.
 *
 * A journal is one monthly run of Bakkerij De Vries BV (the sandbox's first company) in 2026 with
 * 1–4 financial periods: its own period and up to three TWK corrections over earlier months. Each
 * period holds 2–40 lines: costs (4000, 4010, 4050, 4070, 4100) on the sandbox's active cost
 * centres and cost units, against liabilities (1700, 1710, 1830, 2100), balanced per period to the
 * cent; TWK corrections may be negative (the other side), as Nmbrs sends them.
 *
 * The expectation is written from the contract (§2, §3), not from the package's core: per part
 * (reference, financial period) the number of lines and the net amount per account and
 * subaccount, in cents.
 */

/** A seed for run `run` of a suite seeded with `seed`, spread so neighbouring runs differ. */
export function runSeed(seed: number, run: number): number {
	return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(run + 1, 0x85ebca6b)) >>> 0;
}

export class Dice {
	constructor(readonly next: () => number) {}

	/** An integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	pick<T>(values: readonly T[]): T {
		return values[Math.floor(this.next() * values.length)];
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	/** `count` different values out of `values`, in their original order. */
	sample<T>(values: readonly T[], count: number): T[] {
		const chosen = new Set<number>();
		while (chosen.size < Math.min(count, values.length)) chosen.add(this.int(0, values.length - 1));
		return [...chosen].sort((a, b) => a - b).map((index) => values[index]);
	}
}

/** The sandbox's valid, active values (sandboxes/visma-net/fixtures/default-company.json). */
export const COST_ACCOUNTS = ['4000', '4010', '4050', '4070', '4100'] as const;
export const LIABILITY_ACCOUNTS = ['1700', '1710', '1830', '2100'] as const;
export const COST_CENTRES = ['100', '200', '300'] as const;
export const COST_UNITS = ['P001', 'P002', 'P003'] as const;
const NO_COST_CENTRE = '000';
const NO_COST_UNIT = '0000';

export interface JournalLineJson {
	account: string;
	description: string;
	debit?: string;
	credit?: string;
	costCenter?: string | { code: string; description?: string };
	costUnit?: string;
	period?: { year: number; period: number };
}

export interface JournalJson {
	reference: string;
	company: { id: string; name: string; testCompany: boolean; debtorBlocked: boolean };
	run: {
		id: string;
		number: number;
		year: number;
		periodType: 'month';
		period: number;
		description: string;
	};
	currency: 'EUR';
	lines: JournalLineJson[];
}

/** What one part must look like in Visma.net. */
export interface ExpectedPart {
	reference: string;
	/** YYYYMM */
	financialPeriod: string;
	lineCount: number;
	/** Net cents (debit − credit) per `account|subaccountNumber`. */
	net: Map<string, number>;
}

export interface GeneratedJournal {
	json: JournalJson;
	parts: ExpectedPart[];
}

function cents(text: number): string {
	const sign = text < 0 ? '-' : '';
	const abs = Math.abs(text);
	return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Splits `total` cents (|total| ≥ count) into `count` non-zero parts of the same sign. */
function splitAmount(dice: Dice, total: number, count: number): number[] {
	const sign = total < 0 ? -1 : 1;
	let left = Math.abs(total);
	const parts: number[] = [];
	for (let index = 0; index < count - 1; index++) {
		const room = left - (count - 1 - index);
		const part = dice.int(1, Math.max(1, Math.floor(room / 2)));
		parts.push(sign * part);
		left -= part;
	}
	parts.push(sign * left);
	return parts;
}

export interface GenerateOptions {
	reference: string;
	/** Whether Map Dimensions maps cost units too (then they count in the subaccount). */
	useCostUnits: boolean;
}

/** One balanced monthly 2026 run with 1–4 periods of 2–40 lines each. */
export function generateJournal(dice: Dice, options: GenerateOptions): GeneratedJournal {
	const runPeriod = dice.int(4, 12);
	const twkCount = dice.int(0, 3);
	const twkPeriods = dice.sample(
		Array.from({ length: runPeriod - 1 }, (_, index) => index + 1),
		twkCount,
	);
	const periods = [...twkPeriods, runPeriod];
	const lines: JournalLineJson[] = [];
	const parts: ExpectedPart[] = [];

	for (const period of periods) {
		const isTwk = period !== runPeriod;
		const lineCount = dice.int(2, 40);
		const costCount = dice.int(1, Math.max(1, lineCount - 1));
		const creditCount = lineCount - costCount;
		// A correction may lower the costs (a negative debit); the own period never does in total.
		const costs = Array.from({ length: costCount }, () => {
			const amount = dice.int(100, isTwk ? 50_000 : 800_000);
			return isTwk && dice.chance(0.3) ? -amount : amount;
		});
		let total = costs.reduce((sum, amount) => sum + amount, 0);
		if (Math.abs(total) < creditCount) {
			costs[0] += (total < 0 ? -1 : 1) * creditCount * 100;
			total = costs.reduce((sum, amount) => sum + amount, 0);
		}
		const credits = splitAmount(dice, total, creditCount);
		const part: ExpectedPart = {
			reference: options.reference,
			financialPeriod: `2026${String(period).padStart(2, '0')}`,
			lineCount,
			net: new Map(),
		};
		const book = (account: string, costCentre: string, costUnit: string, netCents: number) => {
			const key = `${account}|${costCentre}-${costUnit}`;
			part.net.set(key, (part.net.get(key) ?? 0) + netCents);
		};
		const twkSuffix = isTwk ? ` TWK ${String(period).padStart(2, '0')}-2026` : '';
		const periodField = isTwk ? { period: { year: 2026, period } } : {};
		for (const amount of costs) {
			const account = dice.pick(COST_ACCOUNTS);
			const costCentre = dice.chance(0.85) ? dice.pick(COST_CENTRES) : undefined;
			const costUnit = dice.chance(0.5) ? dice.pick(COST_UNITS) : undefined;
			lines.push({
				account,
				description: `Kosten ${account}${twkSuffix}`,
				debit: cents(amount),
				...(costCentre ? { costCenter: dice.chance(0.5) ? costCentre : { code: costCentre } } : {}),
				...(costUnit ? { costUnit } : {}),
				...periodField,
			});
			book(
				account,
				costCentre ?? NO_COST_CENTRE,
				options.useCostUnits && costUnit ? costUnit : NO_COST_UNIT,
				amount,
			);
		}
		for (const amount of credits) {
			const account = dice.pick(LIABILITY_ACCOUNTS);
			lines.push({
				account,
				description: `Af te dragen ${account}${twkSuffix}`,
				credit: cents(amount),
				...periodField,
			});
			book(account, NO_COST_CENTRE, NO_COST_UNIT, -amount);
		}
		parts.push(part);
	}

	// Nmbrs does not sort its lines by period: neither do we.
	for (let index = lines.length - 1; index > 0; index--) {
		const other = dice.int(0, index);
		[lines[index], lines[other]] = [lines[other], lines[index]];
	}
	return {
		json: {
			reference: options.reference,
			company: {
				id: '1234',
				name: 'Bakkerij De Vries BV',
				testCompany: false,
				debtorBlocked: false,
			},
			run: {
				id: `9${runPeriod}`,
				number: runPeriod,
				year: 2026,
				periodType: 'month',
				period: runPeriod,
				description: `Run ${runPeriod}-2026`,
			},
			currency: 'EUR',
			lines,
		},
		parts: parts.sort((a, b) => a.financialPeriod.localeCompare(b.financialPeriod)),
	};
}
