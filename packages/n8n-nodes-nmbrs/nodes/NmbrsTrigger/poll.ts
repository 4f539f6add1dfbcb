/**
 * The Nmbrs Trigger's poll: emits the canonical journal of every newly locked payroll run of the
 * watched companies and years, exactly once. What was emitted is remembered in the node's
 * workflow static data (`seen`: `companyId:year:runId` → year), which n8n saves after each poll,
 * so a second poll or a restart never emits a run again. A run whose journal cannot be fetched is
 * not remembered and is tried again at the next poll. Entries of years more than two years back
 * (and not watched) are pruned, so the memory stays small.
 *
 * In manual mode ("Fetch Test Event") the latest locked run of a company that is not listed as a test
 * company or with a blocked debtor is emitted, and nothing is remembered.
 */
import { DateTime } from 'luxon';
import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';

import { knownSecretsOf, serverText } from '../core/redact';
import { formatReference, runPeriod, type CompanyFlags } from '../nmbrsSoap/canonicalJournal';
import {
	idList,
	listCompanies,
	listRuns,
	type NmbrsCompany,
	type NmbrsRun,
} from '../nmbrsSoap/operations';
import { NMBRS_CREDENTIAL_TYPE } from '../nmbrsSoap/request';
import { CompanyDetailsCache, fetchRunJournal } from '../nmbrsSoap/runJournal';

export interface NmbrsTriggerState {
	/** `companyId:year:runId` → the run's year, for every run emitted (or skipped on first poll). */
	seen?: Record<string, number>;
	/** Set once the first poll has run. */
	initialized?: boolean;
}

interface LockedRun {
	readonly company: NmbrsCompany;
	readonly run: NmbrsRun;
}

/** How many years back remembered runs are kept (unless their year is still watched). */
export const SEEN_RETENTION_YEARS = 2;

export function runKey(companyId: string, run: Pick<NmbrsRun, 'year' | 'id'>): string {
	return `${companyId}:${run.year}:${run.id}`;
}

/** The payroll years to watch. */
export function watchedYears(this: IPollFunctions, currentYear: number): number[] {
	const setting = this.getNodeParameter('years', 'currentAndPrevious') as string;
	if (setting === 'current') return [currentYear];
	if (setting === 'specific') {
		const raw = String(this.getNodeParameter('specificYears', '') ?? '');
		const parts = raw
			.split(',')
			.map((part) => part.trim())
			.filter((part) => part !== '');
		const years = parts.map(Number);
		if (
			parts.length === 0 ||
			years.some((year) => !Number.isInteger(year) || year < 2000 || year > 2100)
		) {
			throw new NodeOperationError(
				this.getNode(),
				`The specific years "${raw}" are not a list of years`,
				{
					description: 'Enter payroll years separated by commas, e.g. 2025, 2026.',
				},
			);
		}
		return [...new Set(years)].sort((a, b) => a - b);
	}
	return [currentYear - 1, currentYear];
}

async function watchedCompanies(this: IPollFunctions): Promise<NmbrsCompany[]> {
	const all = await listCompanies.call(this);
	if ((this.getNodeParameter('companyScope', 'all') as string) === 'all') return all;
	const chosen = idList(this.getNodeParameter('companyIds', []));
	if (chosen.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No company is chosen to watch', {
			description:
				'Choose one or more companies under "Watched Company Names or IDs", or set Companies to All Companies.',
		});
	}
	const byId = new Map(all.map((company) => [company.id, company]));
	const missing = chosen.filter((id) => !byId.has(id));
	if (missing.length > 0) {
		throw new NodeOperationError(
			this.getNode(),
			`Nmbrs does not list company ${missing.join(', ')} for the credential's user`,
			{
				description:
					'Check the company ids, and that the Nmbrs user of the credential has access to these companies.',
			},
		);
	}
	return chosen.map((id) => byId.get(id) as NmbrsCompany);
}

/** Newest first: year, then period, then run number. */
function compareNewestFirst(a: LockedRun, b: LockedRun): number {
	return (
		b.run.year - a.run.year ||
		runPeriod(b.run) - runPeriod(a.run) ||
		b.run.number - a.run.number ||
		(b.run.runAt ?? '').localeCompare(a.run.runAt ?? '')
	);
}

/** Oldest first, company by company: the order a bookkeeper books them in. */
function compareOldestFirst(a: LockedRun, b: LockedRun): number {
	return Number(a.company.id) - Number(b.company.id) || -compareNewestFirst(a, b);
}

export async function pollNmbrsTrigger(
	this: IPollFunctions,
): Promise<INodeExecutionData[][] | null> {
	const manual = this.getMode() === 'manual';
	const currentYear = DateTime.now().setZone(this.getTimezone()).year;
	const years = watchedYears.call(this, currentYear);
	const referenceFormat = String(
		this.getNodeParameter('referenceFormat', 'R{year}-{period:02}') ?? '',
	);
	const testCompanies = new Set(idList(this.getNodeParameter('testCompanyIds', [])));
	const blockedDebtors = new Set(idList(this.getNodeParameter('blockedDebtorCompanyIds', [])));
	const flagsOf = (company: NmbrsCompany): CompanyFlags => ({
		testCompany: testCompanies.has(company.id),
		debtorBlocked: blockedDebtors.has(company.id),
	});

	// Listing fails as a whole: a poll that could not see every company changes nothing.
	const companies = await watchedCompanies.call(this);
	const locked: LockedRun[] = [];
	for (const company of companies) {
		for (const year of years) {
			for (const run of await listRuns.call(this, Number(company.id), year)) {
				if (run.isLocked) locked.push({ company, run });
			}
		}
	}

	const cache = new CompanyDetailsCache();
	const journalOf = async ({ company, run }: LockedRun): Promise<IDataObject> => {
		const formatted = formatReference(referenceFormat, company, run);
		if ('problem' in formatted) throw new NodeOperationError(this.getNode(), formatted.problem);
		return await fetchRunJournal.call(this, {
			company,
			run,
			flags: flagsOf(company),
			reference: formatted.reference,
			cache,
		});
	};

	if (manual) {
		// The test event is a journal the workflow can book: runs of companies listed as test
		// companies or with a blocked debtor (which Validate Journal refuses) are passed over.
		const bookable = locked.filter(
			({ company }) => !testCompanies.has(company.id) && !blockedDebtors.has(company.id),
		);
		const latest = [...bookable].sort(compareNewestFirst)[0];
		if (!latest) {
			const onlyRefused = locked.length > 0;
			throw new NodeOperationError(
				this.getNode(),
				onlyRefused
					? `Only the test companies and blocked-debtor companies listed in this trigger have a locked payroll run in ${years.join(', ')}`
					: `No locked payroll run found in ${years.join(', ')} for the watched companies`,
				{
					description: onlyRefused
						? 'The test event skips those companies, because Validate Journal refuses their journals. Watch a company that books normally, or lock one of its runs in Nmbrs, then fetch the test event again.'
						: 'Lock a payroll run in Nmbrs, or widen the companies or years to watch, then fetch the test event again.',
				},
			);
		}
		return [this.helpers.returnJsonArray([await journalOf(latest)])];
	}

	const state = this.getWorkflowStaticData('node') as NmbrsTriggerState;
	const seen = (state.seen ??= {});
	const firstPoll = state.initialized !== true;
	const skipExisting =
		firstPoll &&
		(this.getNodeParameter('onFirstPoll', 'skipExisting') as string) !== 'emitExisting';
	state.initialized = true;

	const emitted: IDataObject[] = [];
	const failures: Error[] = [];
	for (const candidate of locked.sort(compareOldestFirst)) {
		const key = runKey(candidate.company.id, candidate.run);
		if (seen[key] !== undefined) continue;
		if (skipExisting) {
			seen[key] = candidate.run.year;
			continue;
		}
		try {
			emitted.push(await journalOf(candidate));
			seen[key] = candidate.run.year;
		} catch (error) {
			// Not remembered: tried again at the next poll.
			failures.push(error as Error);
		}
	}
	pruneSeen(seen, currentYear, years);

	if (failures.length > 0) {
		if (emitted.length === 0) throw failures[0];
		// A log line is read by whoever runs n8n: the messages are redacted again with the
		// credential's token, whatever produced them.
		let secrets: string[] = [];
		try {
			secrets = knownSecretsOf(
				(await this.getCredentials(NMBRS_CREDENTIAL_TYPE)) as Record<string, unknown>,
			);
		} catch {
			// Pattern redaction only.
		}
		const reasons = failures
			.map((error) => serverText(error.message, secrets) ?? 'no details')
			.join(' | ');
		this.logger.warn(
			`Nmbrs Trigger: ${failures.length} locked run(s) could not be fetched and are tried again at the next poll: ${reasons}`,
		);
	}
	return emitted.length > 0 ? [this.helpers.returnJsonArray(emitted)] : null;
}

/** Forgets runs of years more than two years back that are no longer watched. */
export function pruneSeen(
	seen: Record<string, number>,
	currentYear: number,
	watched: readonly number[],
): void {
	for (const [key, year] of Object.entries(seen)) {
		if (year < currentYear - SEEN_RETENTION_YEARS && !watched.includes(year)) delete seen[key];
	}
}
