/**
 * Journal fixtures for tests: the seed's example (the March 2026 run of Bakkerij De Vries BV with
 * TWK corrections over January and February) and small builders around it.
 */
import marchRun from '../fixtures/march-2026-with-twk.json';

export type JsonJournal = {
	reference: string;
	company: Record<string, unknown>;
	run?: Record<string, unknown>;
	currency?: string;
	lines: Array<Record<string, unknown>>;
	[key: string]: unknown;
};

/** A fresh deep copy of the seed's example, so a test may change it freely. */
export function marchRunWithTwk(): JsonJournal {
	return structuredClone(marchRun) as JsonJournal;
}

/** A two-line balanced journal with the given overrides. */
export function smallJournal(overrides: Partial<JsonJournal> = {}): JsonJournal {
	return {
		reference: 'R2026-04',
		company: { id: '1234', name: 'Bakkerij De Vries BV' },
		run: { id: '88122', number: 4, year: 2026, periodType: 'month', period: 4 },
		lines: [
			{ account: '4000', description: 'Bruto lonen', debit: '1000.00', costCenter: '100' },
			{ account: '2100', description: 'Nettolonen te betalen', credit: '1000.00' },
		],
		...overrides,
	};
}
