/**
 * Quirks: answers Visma.net may plausibly give where its spec is silent (issue 12). Off by
 * default (the sandbox plays Visma's documented answer); each one switched on by name, from the
 * CLI (`--quirk NAME`, several allowed), `startSandbox({ quirks })`, `configure({ quirks })` or
 * `POST /_sandbox/config {"quirks": [...]}`.
 */
import type { FinancialPeriod } from './data';
import type { SandboxResponse } from './http';

export const SANDBOX_QUIRKS = {
	'unpaged-accounts':
		'GET /v1/account ignores pageNumber and pageSize and carries no metadata: every call answers the whole chart',
	'no-metadata':
		'paged lists (journal transactions, accounts, subaccounts) carry no metadata (totalCount, maxPageSize)',
	'period-ppyyyy': 'FinancialPeriodDto.period is written PPYYYY ("032026") instead of YYYYPP',
	'period-yyyy-pp': 'FinancialPeriodDto.period is written YYYY-PP ("2026-03")',
	'period-pp-yyyy':
		'FinancialPeriodDto.period is written PP-YYYY ("03-2026"), as the GL screens show it',
	'empty-204': 'an empty list is answered 204 No Content, without a body',
	'empty-body': 'an empty list is answered 200 with an empty body',
	'short-description': `the batch description column keeps ${120} characters and trims blanks (the tag at its start survives)`,
	'readback-case': 'account numbers and segment values are read back in lower case',
	'readback-padding':
		'account numbers and segment values are read back padded with blanks to 10 characters',
	'server-validation-errors':
		'a POST or PUT refused for its content answers 500 (InternalServerError) with the same Visma.net text, instead of 400',
} as const;

export type SandboxQuirk = keyof typeof SANDBOX_QUIRKS;

export const QUIRK_NAMES = Object.keys(SANDBOX_QUIRKS) as SandboxQuirk[];

/** The description column under `short-description`. */
export const SHORT_DESCRIPTION_LENGTH = 120;

export function isSandboxQuirk(name: unknown): name is SandboxQuirk {
	return typeof name === 'string' && Object.prototype.hasOwnProperty.call(SANDBOX_QUIRKS, name);
}

/** The quirks named, checked: an unknown name is an error listing the known ones. */
export function readQuirks(names: readonly unknown[]): SandboxQuirk[] {
	const unknown = names.filter((name) => !isSandboxQuirk(name));
	if (unknown.length > 0)
		throw new Error(
			`Unknown sandbox quirk ${unknown.map((name) => JSON.stringify(name)).join(', ')}; known: ${QUIRK_NAMES.join(', ')}`,
		);
	return [...new Set(names as SandboxQuirk[])];
}

export type Quirks = ReadonlySet<SandboxQuirk>;

/** `FinancialPeriodDto.period` as the period-format quirks write it (YYYYPP by default). */
export function periodText(period: FinancialPeriod, quirks: Quirks): string {
	const year = period.id.slice(0, 4);
	const number = period.id.slice(4);
	if (quirks.has('period-ppyyyy')) return `${number}${year}`;
	if (quirks.has('period-yyyy-pp')) return `${year}-${number}`;
	if (quirks.has('period-pp-yyyy')) return `${number}-${year}`;
	return period.id;
}

/** A batch description as the `short-description` column keeps it. */
export function storedDescription(
	description: string | undefined,
	quirks: Quirks,
): string | undefined {
	if (description === undefined || !quirks.has('short-description')) return description;
	return description.slice(0, SHORT_DESCRIPTION_LENGTH).trim();
}

/** An account number or segment value as the read-back quirks give it. */
export function readBackCode(code: string, quirks: Quirks): string {
	let text = code;
	if (quirks.has('readback-case')) text = text.toLowerCase();
	if (quirks.has('readback-padding')) text = text.padEnd(10, ' ');
	return text;
}

/** An empty list as `empty-204` / `empty-body` answer it; anything else unchanged. */
export function emptyListAnswer(response: SandboxResponse, quirks: Quirks): SandboxResponse {
	if (response.status !== 200 || !Array.isArray(response.body) || response.body.length > 0)
		return response;
	if (quirks.has('empty-204')) return { status: 204, headers: response.headers };
	if (quirks.has('empty-body'))
		return {
			status: 200,
			headers: response.headers,
			body: '',
			contentType: 'application/json; charset=utf-8',
		};
	return response;
}

/** A 400 refusal of a POST or PUT as `server-validation-errors` answers it: 500, same text. */
export function refusalAnswer(
	method: string,
	response: SandboxResponse,
	quirks: Quirks,
): SandboxResponse {
	if (
		!quirks.has('server-validation-errors') ||
		response.status !== 400 ||
		(method !== 'POST' && method !== 'PUT')
	)
		return response;
	return { ...response, status: 500 };
}
