/**
 * One locked Nmbrs run → the canonical journal item (journal-contract §2): reference, company
 * (with the test-company and blocked-debtor flags), run, currency and the lines read from the
 * run's journal XML by `core/nmbrsXml.ts`, each dated by its transaction's header date, with the
 * cost centre and cost unit descriptions from `CostCenter_GetList` / `CostUnit_GetList` (so Map
 * Dimensions can match by description).
 */
import type { IDataObject } from 'n8n-workflow';

import type { Issue } from '../core/issues';
import { readNmbrsJournalXml } from '../core/nmbrsXml';
import { isBookingDate } from '../core/period';
import type { NmbrsCodeDescription, NmbrsCompany, NmbrsRun, PayrollPeriodType } from './operations';

export const DEFAULT_REFERENCE_FORMAT = 'R{year}-{period:02}';

/** The placeholders a reference format may use. */
export const REFERENCE_PLACEHOLDERS = [
	'year',
	'period',
	'run',
	'runId',
	'companyId',
	'companyNumber',
] as const;
type ReferencePlaceholder = (typeof REFERENCE_PLACEHOLDERS)[number];

export interface CompanyFlags {
	readonly testCompany: boolean;
	readonly debtorBlocked: boolean;
}

/** The run's own payroll period: the last period it covers (PeriodEnd). */
export function runPeriod(run: NmbrsRun): number {
	return run.periodEnd;
}

/**
 * Fills a reference format: `{year}`, `{period}`, `{run}` (run number), `{runId}`, `{companyId}`,
 * `{companyNumber}`; `:02` pads with zeros to that width (`{period:02}` → 03).
 * Returns the problem instead when the format is empty or names an unknown placeholder.
 */
export function formatReference(
	format: string,
	company: Pick<NmbrsCompany, 'id' | 'number'>,
	run: NmbrsRun,
): { reference: string } | { problem: string } {
	const values: Record<ReferencePlaceholder, string> = {
		year: String(run.year),
		period: String(runPeriod(run)),
		run: String(run.number),
		runId: run.id,
		companyId: company.id,
		companyNumber: company.number === undefined ? company.id : String(company.number),
	};
	const unknown: string[] = [];
	const reference = format.replace(
		/\{(\w+)(?::(\d{1,2}))?\}/g,
		(whole, name: string, width?: string) => {
			if (!(REFERENCE_PLACEHOLDERS as readonly string[]).includes(name)) {
				unknown.push(whole);
				return whole;
			}
			const value = values[name as ReferencePlaceholder];
			return width ? value.padStart(Number(width), '0') : value;
		},
	);
	if (unknown.length > 0) {
		return {
			problem: `The reference format "${format}" uses ${unknown.join(', ')}, which is not known. Use ${REFERENCE_PLACEHOLDERS.map((name) => `{${name}}`).join(', ')}; add :02 to pad with zeros.`,
		};
	}
	if (reference.trim() === '')
		return { problem: 'The reference format is empty. Use e.g. R{year}-{period:02}.' };
	return { reference: reference.trim() };
}

export interface RunJournalSource {
	readonly company: NmbrsCompany;
	readonly run: NmbrsRun;
	readonly periodType: PayrollPeriodType;
	readonly journalXml: string;
	readonly costCenters: readonly NmbrsCodeDescription[];
	readonly costUnits: readonly NmbrsCodeDescription[];
	readonly flags: CompanyFlags;
	readonly reference: string;
}

function dimension(
	code: string | undefined,
	known: ReadonlyMap<string, string>,
): IDataObject | string | undefined {
	if (code === undefined) return undefined;
	const description = known.get(code);
	return description ? { code, description } : code;
}

/**
 * `2026-03-25T10:15:00` → `2026-03-25`; undefined when it is not a date by the journal's rule for
 * `run.date` (`isBookingDate`: a real date in a payroll year, so neither 30 February nor Nmbrs'
 * empty `0001-01-01`).
 */
export function toRunDate(runAt: string | undefined): string | undefined {
	const date = runAt?.slice(0, 10);
	return isBookingDate(date) ? date : undefined;
}

/** The canonical journal of one run, or the problems of its journal XML (every one). */
export function toCanonicalJournal(
	source: RunJournalSource,
): { journal: IDataObject } | { issues: Issue[] } {
	const read = readNmbrsJournalXml(source.journalXml, 'journalXml');
	if (read.issues.length > 0) return { issues: read.issues };
	const centers = new Map(source.costCenters.map((entry) => [entry.code, entry.description]));
	const units = new Map(source.costUnits.map((entry) => [entry.code, entry.description]));
	const { company, run } = source;
	const date = toRunDate(run.runAt);
	const lines = read.lines.map((line) => {
		const costCenter = dimension(line.costCenter, centers);
		const costUnit = dimension(line.costUnit, units);
		return {
			account: line.account,
			description: line.description,
			...(line.debit !== undefined ? { debit: line.debit } : {}),
			...(line.credit !== undefined ? { credit: line.credit } : {}),
			...(costCenter === undefined ? {} : { costCenter }),
			...(costUnit === undefined ? {} : { costUnit }),
			bookingDate: line.bookingDate,
		};
	});
	return {
		journal: {
			reference: source.reference,
			company: {
				id: company.id,
				...(company.name ? { name: company.name } : {}),
				testCompany: source.flags.testCompany,
				debtorBlocked: source.flags.debtorBlocked,
			},
			run: {
				id: run.id,
				number: run.number,
				year: run.year,
				periodType: source.periodType,
				period: runPeriod(run),
				...(run.description ? { description: run.description } : {}),
				...(date ? { date } : {}),
			},
			currency: 'EUR',
			lines,
		},
	};
}
