/**
 * Company master data: loading and checking a data file, and the indexed, read-only model of one
 * company that the GL rules and the DTO mappers work on.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type {
	AccountData,
	BranchData,
	CompanyData,
	CustomerData,
	FinancialPeriodsData,
	LedgerData,
	SandboxData,
	SegmentData,
} from './types';

export const DEFAULT_DATA_FILE = path.join(__dirname, 'fixtures', 'default-company.json');

const segmentValueSchema = z
	.object({ value: z.string().min(1), description: z.string(), active: z.boolean() })
	.strict();
const periodListSchema = z.array(
	z.string().regex(/^\d{4}(\d{2}(-\d{6})?)?$/, 'YYYY, YYYYPP or YYYYPP-YYYYPP'),
);

const companySchema = z
	.object({
		tenantId: z.string().min(1),
		name: z.string().min(1),
		currency: z.string().length(3),
		currencies: z.array(z.string().length(3)).optional(),
		autoPostOnRelease: z.boolean(),
		batchNumbering: z
			.object({
				start: z.number().int().min(0),
				width: z.number().int().min(1).max(15),
				prefix: z.string().optional(),
				allowManualNumbering: z.boolean().optional(),
			})
			.strict(),
		defaultLedger: z.string().min(1),
		defaultBranch: z.string().min(1),
		ytdNetIncomeAccount: z.string().optional(),
		accounts: z.array(
			z
				.object({
					accountCD: z.string().min(1),
					description: z.string(),
					type: z.enum(['Asset', 'Liability', 'Income', 'Expense']),
					active: z.boolean(),
					accountClass: z.string().optional(),
					accountGroupCD: z.string().optional(),
					controlAccountModule: z.string().optional(),
					allowManualEntry: z.boolean().optional(),
					cashAccount: z.boolean().optional(),
					publicCode1: z.string().optional(),
				})
				.strict(),
		),
		subaccount: z
			.object({
				description: z.string(),
				segments: z.array(
					z
						.object({
							segmentId: z.number().int().min(1),
							description: z.string().min(1),
							length: z.number().int().min(1).max(30),
							validate: z.boolean(),
							values: z.array(segmentValueSchema),
						})
						.strict(),
				),
			})
			.strict(),
		financialPeriods: z
			.object({
				years: z.array(z.number().int().min(1900).max(2999)).min(1),
				periodsPerYear: z.union([z.literal(12), z.literal(13)]),
				closedInGeneralLedger: periodListSchema,
				inactive: periodListSchema,
			})
			.strict(),
		ledgers: z.array(
			z
				.object({
					number: z.string().min(1),
					description: z.string(),
					balanceType: z.enum(['Actual', 'Report', 'Statistical', 'Budget']),
					currencyId: z.string().length(3),
				})
				.strict(),
		),
		branches: z.array(
			z
				.object({
					number: z.string().min(1),
					name: z.string(),
					isMainBranch: z.boolean(),
					isActive: z.boolean(),
					ledger: z.string(),
					corporateId: z.string().optional(),
					vatRegistrationId: z.string().optional(),
				})
				.strict(),
		),
		projects: z
			.object({
				nonProjectCode: z.string().min(1).max(10),
				projects: z.array(
					z
						.object({
							id: z.string().min(1),
							description: z.string(),
							active: z.boolean(),
							tasks: z.array(z.string().min(1)),
						})
						.strict(),
				),
			})
			.strict()
			.optional(),
		customers: z.array(
			z
				.object({
					number: z.string().min(1),
					name: z.string(),
					status: z.enum(['Active', 'OnHold', 'CreditHold', 'Inactive', 'OneTime']),
					currencyId: z.string().length(3),
					corporateId: z.string().optional(),
					vatRegistrationId: z.string().optional(),
					city: z.string().optional(),
					postalCode: z.string().optional(),
					addressLine1: z.string().optional(),
					countryId: z.string().optional(),
				})
				.strict(),
		),
	})
	.strict();

const sandboxDataSchema = z
	.object({
		clients: z
			.array(
				z
					.object({
						clientId: z.string().min(1),
						clientSecret: z.string().min(1).optional(),
						redirectUris: z.array(z.string().url()).optional(),
						tenants: z.array(z.string()).optional(),
						scopes: z.array(z.string().min(1)).optional(),
					})
					.strict(),
			)
			.min(1),
		customerTenants: z.array(z.object({ tenantId: z.string().min(1), name: z.string() }).strict()),
		companies: z.array(companySchema).min(1),
	})
	.strict();

/** Checks a parsed data file; throws with every problem listed. */
export function parseSandboxData(raw: unknown, source = 'data'): SandboxData {
	const result = sandboxDataSchema.safeParse(raw);
	if (!result.success) {
		const problems = result.error.issues.map(
			(i) => `${i.path.join('.') || '(root)'}: ${i.message}`,
		);
		throw new Error(`Invalid sandbox ${source}:\n  ${problems.join('\n  ')}`);
	}
	const data: SandboxData = result.data;
	const tenants = [
		...data.companies.map((c) => c.tenantId),
		...data.customerTenants.map((c) => c.tenantId),
	];
	const duplicate = tenants.find((t, i) => tenants.indexOf(t) !== i);
	if (duplicate) throw new Error(`Invalid sandbox ${source}: tenant id ${duplicate} is used twice`);
	for (const company of data.companies) buildCompany(company);
	return data;
}

export function loadSandboxData(file: string = DEFAULT_DATA_FILE): SandboxData {
	return parseSandboxData(JSON.parse(readFileSync(file, 'utf8')) as unknown, path.basename(file));
}

/** A UUID derived from its parts, so ids stay the same across restarts. */
export function stableUuid(...parts: string[]): string {
	const hex = createHash('sha1').update(parts.join('\u0000')).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------------
// The company model

export interface Account extends AccountData {
	accountID: number;
	allowManualEntry: boolean;
}

export interface FinancialPeriod {
	/** YYYYPP, the periodId / FinancialPeriodDto.period form. */
	id: string;
	year: number;
	number: number;
	/** ISO dates (YYYY-MM-DD), both inclusive. */
	startDate: string;
	endDate: string;
	description: string;
	active: boolean;
	closedInGeneralLedger: boolean;
}

export interface Company {
	readonly data: CompanyData;
	readonly tenantId: string;
	readonly accounts: ReadonlyMap<string, Account>;
	readonly segments: readonly SegmentData[];
	readonly periods: ReadonlyMap<string, FinancialPeriod>;
	readonly ledgers: ReadonlyMap<string, LedgerData>;
	readonly branches: ReadonlyMap<string, BranchData>;
	readonly customers: ReadonlyMap<string, CustomerData>;
	readonly currencies: ReadonlySet<string>;
}

export function buildCompany(data: CompanyData): Company {
	const where = `company ${data.name}`;
	const accounts = indexBy(
		data.accounts.map(
			(a, i): Account => ({
				...a,
				accountID: 1000 + i,
				allowManualEntry: a.allowManualEntry ?? !a.controlAccountModule,
			}),
		),
		(a) => a.accountCD,
		`${where}: account`,
	);
	const segments = [...data.subaccount.segments].sort((a, b) => a.segmentId - b.segmentId);
	indexBy(segments, (s) => String(s.segmentId), `${where}: segment`);
	for (const segment of segments) {
		indexBy(segment.values, (v) => v.value, `${where}: segment ${segment.segmentId} value`);
		const tooLong = segment.values.find((v) => v.value.length > segment.length);
		if (tooLong)
			throw new Error(
				`${where}: value ${tooLong.value} is longer than segment ${segment.segmentId} (${segment.length})`,
			);
	}
	const ledgers = indexBy(data.ledgers, (l) => l.number, `${where}: ledger`);
	const branches = indexBy(data.branches, (b) => b.number, `${where}: branch`);
	if (!ledgers.has(data.defaultLedger))
		throw new Error(`${where}: default ledger ${data.defaultLedger} is not defined`);
	if (!branches.has(data.defaultBranch))
		throw new Error(`${where}: default branch ${data.defaultBranch} is not defined`);
	return {
		data,
		tenantId: data.tenantId,
		accounts,
		segments,
		periods: generatePeriods(data.financialPeriods),
		ledgers,
		branches,
		customers: indexBy(data.customers, (c) => c.number, `${where}: customer`),
		currencies: new Set([data.currency, ...(data.currencies ?? [])]),
	};
}

function indexBy<T>(items: readonly T[], key: (item: T) => string, what: string): Map<string, T> {
	const map = new Map<string, T>();
	for (const item of items) {
		const k = key(item);
		if (map.has(k)) throw new Error(`${what} ${k} is defined twice`);
		map.set(k, item);
	}
	return map;
}

const MONTHS = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December',
];
const DAY_MS = 86_400_000;

function isoDate(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

function periodRange(
	spec: FinancialPeriodsData,
	year: number,
	number: number,
): { start: number; end: number } {
	if (spec.periodsPerYear === 12)
		return { start: Date.UTC(year, number - 1, 1), end: Date.UTC(year, number, 0) };
	const start = Date.UTC(year, 0, 1) + (number - 1) * 28 * DAY_MS;
	const end = number === 13 ? Date.UTC(year, 11, 31) : start + 27 * DAY_MS;
	return { start, end };
}

function matchesPeriodList(list: readonly string[], id: string): boolean {
	return list.some((entry) => {
		if (entry.length === 4) return id.startsWith(entry);
		if (entry.length === 6) return id === entry;
		const [from, to] = entry.split('-');
		return id >= from && id <= to;
	});
}

function generatePeriods(spec: FinancialPeriodsData): Map<string, FinancialPeriod> {
	const periods = new Map<string, FinancialPeriod>();
	for (const year of [...spec.years].sort()) {
		for (let number = 1; number <= spec.periodsPerYear; number++) {
			const id = `${year}${String(number).padStart(2, '0')}`;
			const { start, end } = periodRange(spec, year, number);
			periods.set(id, {
				id,
				year,
				number,
				startDate: isoDate(start),
				endDate: isoDate(end),
				description: spec.periodsPerYear === 12 ? MONTHS[number - 1] : `Period ${number}`,
				active: !matchesPeriodList(spec.inactive, id),
				closedInGeneralLedger: matchesPeriodList(spec.closedInGeneralLedger, id),
			});
		}
	}
	return periods;
}

/** The period whose date range holds an ISO date (YYYY-MM-DD). */
export function periodOfDate(company: Company, date: string): FinancialPeriod | undefined {
	for (const period of company.periods.values()) {
		if (date >= period.startDate && date <= period.endDate) return period;
	}
	return undefined;
}
