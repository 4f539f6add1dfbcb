/**
 * The Nmbrs CompanyService calls this package uses, with their answers read into plain types.
 * Operation, parameter and element names are the WSDL's (https://api.nmbrs.nl/soap/v3/CompanyService).
 *
 * What the API does NOT tell: whether a company is a test company (testbedrijf) or whether its
 * debtor is blocked. `Company` (List_GetAll) has ID, Number, Name, PhoneNumber, FaxNumber, Email,
 * Website, LoonaangifteTijdvak and KvkNr; DebtorService's `Debtor` has Id, Number and Name. So the
 * nodes take those two flags from their parameters.
 */
import { NodeOperationError } from 'n8n-workflow';

import { nmbrsSoapRequest, type NmbrsContext } from './request';
import { childrenOf, textOf, type SoapElement } from './soapReader';

export type PayrollPeriodType = 'month' | '4weeks' | 'week';

export interface NmbrsCompany {
	readonly id: string;
	readonly number?: number;
	readonly name: string;
	/** `LoonaangifteTijdvak`: None | Month | Week4 | Month6 | Year. */
	readonly wageTaxPeriod: string;
}

export interface NmbrsRun {
	readonly id: string;
	readonly number: number;
	readonly year: number;
	readonly periodStart: number;
	readonly periodEnd: number;
	readonly description: string;
	/** `RunAt` as sent (xsd:dateTime). */
	readonly runAt?: string;
	readonly isLocked: boolean;
}

export interface NmbrsCodeDescription {
	readonly id?: string;
	readonly code: string;
	readonly description: string;
}

function integerText(value: string | undefined): number | undefined {
	if (value === undefined || !/^-?\d+$/.test(value)) return undefined;
	return Number(value);
}

/** A list of ids from a parameter (a list, or text separated by commas), each trimmed, none empty. */
export function idList(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return list.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
}

/** A company or run id as Nmbrs takes it (xsd:int), or a NodeOperationError naming the field. */
export function toNmbrsId(
	context: NmbrsContext,
	value: unknown,
	label: string,
	itemIndex?: number,
): number {
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (/^\d{1,10}$/.test(text) && Number(text) <= 2_147_483_647) return Number(text);
	if (value === undefined || value === null || text === '') {
		const what = label.replace(/ id$/, '');
		throw new NodeOperationError(context.getNode(), `No ${what} chosen`, {
			description: `Pick the ${what} from the list, or enter its Nmbrs ID (e.g. 1234).`,
			...(itemIndex === undefined ? {} : { itemIndex }),
		});
	}
	throw new NodeOperationError(
		context.getNode(),
		`The ${label} must be a whole number, as Nmbrs shows it (got ${JSON.stringify(value)})`,
		{
			description: `Enter the Nmbrs ${label}, e.g. 1234, or pick it from the list.`,
			...(itemIndex === undefined ? {} : { itemIndex }),
		},
	);
}

function readCompany(element: SoapElement): NmbrsCompany | undefined {
	const id = textOf(element, 'ID');
	if (!id) return undefined;
	const number = integerText(textOf(element, 'Number'));
	return {
		id,
		...(number === undefined ? {} : { number }),
		name: textOf(element, 'Name') ?? '',
		wageTaxPeriod: textOf(element, 'LoonaangifteTijdvak') ?? '',
	};
}

function readRun(element: SoapElement): NmbrsRun | undefined {
	const id = textOf(element, 'ID');
	const number = integerText(textOf(element, 'Number'));
	const year = integerText(textOf(element, 'Year'));
	const periodStart = integerText(textOf(element, 'PeriodStart'));
	const periodEnd = integerText(textOf(element, 'PeriodEnd'));
	if (!id || number === undefined || year === undefined || periodEnd === undefined)
		return undefined;
	const runAt = textOf(element, 'RunAt');
	return {
		id,
		number,
		year,
		periodStart: periodStart ?? periodEnd,
		periodEnd,
		description: textOf(element, 'Description') ?? '',
		...(runAt ? { runAt } : {}),
		isLocked: (textOf(element, 'IsLocked') ?? '').toLowerCase() === 'true',
	};
}

function readCodeDescription(element: SoapElement): NmbrsCodeDescription | undefined {
	const code = textOf(element, 'Code');
	if (code === undefined || code === '') return undefined;
	const id = textOf(element, 'Id');
	return { ...(id ? { id } : {}), code, description: textOf(element, 'Description') ?? '' };
}

function defined<T>(values: (T | undefined)[]): T[] {
	return values.filter((value): value is T => value !== undefined);
}

/** `List_GetAll`: every company the credential's user can see. */
export async function listCompanies(this: NmbrsContext): Promise<NmbrsCompany[]> {
	const result = await nmbrsSoapRequest.call(this, {
		service: 'CompanyService',
		operation: 'List_GetAll',
		what: 'list the companies',
	});
	return defined(childrenOf(result, 'Company').map(readCompany));
}

/** `Run_GetList(CompanyId, Year)`: the payroll runs of a company in a year. */
export async function listRuns(
	this: NmbrsContext,
	companyId: number,
	year: number,
	itemIndex?: number,
): Promise<NmbrsRun[]> {
	const result = await nmbrsSoapRequest.call(this, {
		service: 'CompanyService',
		operation: 'Run_GetList',
		parameters: [
			['CompanyId', companyId],
			['Year', year],
		],
		what: `list the payroll runs of company ${companyId} in ${year}`,
		itemIndex,
	});
	return defined(childrenOf(result, 'RunInfo').map(readRun));
}

/** `Journals_GetByRunCompany_v2(CompanyId, RunId, intYear)`: the run's journal XML (a string). */
export async function getRunJournalXml(
	this: NmbrsContext,
	companyId: number,
	runId: number,
	year: number,
	itemIndex?: number,
): Promise<string> {
	const result = await nmbrsSoapRequest.call(this, {
		service: 'CompanyService',
		operation: 'Journals_GetByRunCompany_v2',
		parameters: [
			['CompanyId', companyId],
			['RunId', runId],
			['intYear', year],
		],
		what: `fetch the journal of payroll run ${runId} (${year}) of company ${companyId}`,
		itemIndex,
	});
	return result?.text ?? '';
}

/** `Company_GetCurrentPeriod(CompanyId)`: "yyyy-pp-type", e.g. 2010-5-M or 2010-4-4W. */
export async function getCurrentPeriod(
	this: NmbrsContext,
	companyId: number,
	itemIndex?: number,
): Promise<string> {
	const result = await nmbrsSoapRequest.call(this, {
		service: 'CompanyService',
		operation: 'Company_GetCurrentPeriod',
		parameters: [['CompanyId', companyId]],
		what: `read the current payroll period of company ${companyId}`,
		itemIndex,
	});
	return result?.text.trim() ?? '';
}

/** A company's list of codes with descriptions: `CostCenter_GetList` or `CostUnit_GetList`. */
async function listCompanyCodes(
	this: NmbrsContext,
	kind: 'CostCenter' | 'CostUnit',
	what: string,
	companyId: number,
	itemIndex?: number,
): Promise<NmbrsCodeDescription[]> {
	const result = await nmbrsSoapRequest.call(this, {
		service: 'CompanyService',
		operation: `${kind}_GetList`,
		parameters: [['CompanyId', companyId]],
		what: `list the ${what} of company ${companyId}`,
		itemIndex,
	});
	return defined(childrenOf(result, kind).map(readCodeDescription));
}

/** `CostCenter_GetList(CompanyId)`: the company's cost centres (kostenplaatsen). */
export async function listCostCenters(
	this: NmbrsContext,
	companyId: number,
	itemIndex?: number,
): Promise<NmbrsCodeDescription[]> {
	return await listCompanyCodes.call(this, 'CostCenter', 'cost centres', companyId, itemIndex);
}

/** `CostUnit_GetList(CompanyId)`: the company's cost units (kostendragers). */
export async function listCostUnits(
	this: NmbrsContext,
	companyId: number,
	itemIndex?: number,
): Promise<NmbrsCodeDescription[]> {
	return await listCompanyCodes.call(this, 'CostUnit', 'cost units', companyId, itemIndex);
}

/** Month / Week4 (LoonaangifteTijdvak) → month / 4weeks; undefined for anything else. */
export function periodTypeFromWageTaxPeriod(wageTaxPeriod: string): PayrollPeriodType | undefined {
	if (wageTaxPeriod === 'Month') return 'month';
	if (wageTaxPeriod === 'Week4') return '4weeks';
	return undefined;
}

/** The type suffix of `Company_GetCurrentPeriod` ("2026-3-M", "2026-4-4W", "2026-12-W"). */
export function periodTypeFromCurrentPeriod(currentPeriod: string): PayrollPeriodType | undefined {
	const suffix = /-([0-9]*[A-Za-z]+)$/.exec(currentPeriod.trim())?.[1]?.toUpperCase();
	if (suffix === 'M') return 'month';
	if (suffix === '4W') return '4weeks';
	if (suffix === 'W' || suffix === '1W') return 'week';
	return undefined;
}
