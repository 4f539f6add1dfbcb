/**
 * Administrations (the seed's "Koppelen van administraties"): one service integration serves many
 * payroll companies, and a mapping from payroll company (`company.id`) to Visma.net company
 * (tenant) decides where each journal belongs. The one rule, for every node:
 *
 * - the credential's Administrations list is empty: the credential's own tenant serves every
 *   company (the behaviour before the list existed);
 * - the list is filled: the company's mapped tenant; a company not in the list is refused before
 *   anything is sent, with the known companies in the message;
 * - Post's older node-level Administrations table, when filled, must agree: a company missing
 *   from it, or mapped there to another tenant than the one it resolves to, is refused, so that
 *   company A's payroll never lands in company B's books.
 *
 * Pure: no n8n imports.
 */
import { createIssue, type Issue } from './issues';

export interface Administration {
	readonly companyId: string;
	readonly tenantId: string;
	readonly name?: string;
}

/** Where an item's journal books: `tenantId` is the Visma.net company tenant; `own` when it is the credential's own tenant. */
export interface TenantChoice {
	readonly tenantId: string | undefined;
	readonly own: boolean;
	readonly name?: string;
}

export type TenantResolution =
	| { readonly ok: true; readonly tenant: TenantChoice }
	| { readonly ok: false; readonly issue: Issue };

/** At most this many known companies are named in a refusal (an office may have hundreds). */
const MAX_NAMED = 20;

const clean = (value: unknown): string =>
	typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';

export function sameTenant(a: string | undefined, b: string | undefined): boolean {
	return a !== undefined && b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The rows of an `administrations` fixed collection (`{ administration: [{ companyId, tenantId, name }] }`),
 * trimmed; rows without a company id are left out. Anything else reads as an empty list.
 */
export function readAdministrations(value: unknown): Administration[] {
	const rows =
		value && typeof value === 'object'
			? (value as { administration?: unknown }).administration
			: undefined;
	if (!Array.isArray(rows)) return [];
	const list: Administration[] = [];
	for (const row of rows) {
		if (!row || typeof row !== 'object') continue;
		const record = row as Record<string, unknown>;
		const companyId = clean(record.companyId);
		if (companyId === '') continue;
		const name = clean(record.name);
		list.push({ companyId, tenantId: clean(record.tenantId), ...(name ? { name } : {}) });
	}
	return list;
}

/**
 * The administrations of a Visma.net credential's data. Only the Service API (client credentials)
 * has them: a user's token (Interactive API) is bound to the one company the user picked.
 */
export function credentialAdministrations(
	credentials: Readonly<Record<string, unknown>>,
): Administration[] {
	if (credentials.grantType !== undefined && credentials.grantType !== 'clientCredentials')
		return [];
	return readAdministrations(credentials.administrations);
}

function label(row: Administration): string {
	return row.name ? `${row.companyId} (${row.name})` : row.companyId;
}

function knownCompanies(rows: readonly Administration[]): string {
	const named = rows.slice(0, MAX_NAMED).map(label).join(', ');
	return rows.length > MAX_NAMED ? `${named} and ${rows.length - MAX_NAMED} more` : named;
}

/**
 * The tenant an item of payroll company `companyId` books in (see the module comment).
 * `nodeAdministrations` is Post's older node-level table (empty for every other node).
 */
export function resolveTenant(
	companyId: string,
	reference: string,
	options: {
		readonly administrations: readonly Administration[];
		readonly credentialTenantId: string | undefined;
		readonly nodeAdministrations?: readonly Administration[];
	},
): TenantResolution {
	const company = companyId.trim();
	const location = { reference, path: 'company.id', field: 'company.id' };
	const own = options.credentialTenantId?.trim() || undefined;
	let tenant: TenantChoice;
	if (options.administrations.length === 0) {
		tenant = { tenantId: own, own: true };
	} else {
		const mapped = options.administrations.find((row) => row.companyId === company);
		if (!mapped) {
			return {
				ok: false,
				issue: createIssue(
					'ADMINISTRATION_UNKNOWN',
					location,
					`payroll company ${company || '(none)'} is not in the Administrations of the Visma.net credential (known: ${knownCompanies(options.administrations)}), so it is not known which Visma.net company it books in. Nothing was sent for it.`,
					`Add company ${company || '(its id)'} to Administrations in the Visma.net credential with the company tenant id of its Visma.net company (Visma.net Admin → Company → Edit → Configuration → Tenant id), or leave the company out before this node.`,
					company,
				),
			};
		}
		if (mapped.tenantId === '') {
			return {
				ok: false,
				issue: createIssue(
					'ADMINISTRATION_UNKNOWN',
					location,
					`payroll company ${label(mapped)} is in the Administrations of the Visma.net credential without a tenant id. Nothing was sent for it.`,
					'Fill in the company tenant id of its Visma.net company (Visma.net Admin → Company → Edit → Configuration → Tenant id).',
					company,
				),
			};
		}
		tenant = {
			tenantId: mapped.tenantId,
			own: sameTenant(mapped.tenantId, own),
			...(mapped.name ? { name: mapped.name } : {}),
		};
	}
	const mismatch = checkNodeAdministrations(
		company,
		location,
		tenant,
		options.nodeAdministrations ?? [],
	);
	return mismatch ? { ok: false, issue: mismatch } : { ok: true, tenant };
}

/** Post's node-level table (kept from before the credential had administrations): it may only agree. */
function checkNodeAdministrations(
	company: string,
	location: { reference: string; path: string; field: string },
	tenant: TenantChoice,
	nodeAdministrations: readonly Administration[],
): Issue | null {
	if (nodeAdministrations.length === 0) return null;
	const mapped = nodeAdministrations.find((row) => row.companyId === company);
	if (!mapped) {
		return createIssue(
			'ADMINISTRATION_MISMATCH',
			location,
			`payroll company ${company} is not in this node's Administrations, so it is not known which Visma.net company it books in.`,
			'Add the company to Administrations in the Visma.net credential (or in this node) with its Visma.net tenant id, or route it to the Post node of its own administration.',
			company,
		);
	}
	if (tenant.tenantId === undefined) {
		return createIssue(
			'ADMINISTRATION_MISMATCH',
			location,
			`the credential names no tenant id, so it cannot be checked that it is the administration of payroll company ${company}.`,
			'Use a Service API credential (it carries the company tenant id) when Administrations are filled in.',
		);
	}
	if (!sameTenant(mapped.tenantId, tenant.tenantId)) {
		const name = mapped.name ? ` (${mapped.name})` : '';
		const whose = tenant.own
			? "this node's credential is for tenant"
			: "the credential's Administrations map it to tenant";
		return createIssue(
			'ADMINISTRATION_MISMATCH',
			location,
			`payroll company ${company}${name} books in Visma.net tenant ${mapped.tenantId}, but ${whose} ${tenant.tenantId}. Nothing was sent.`,
			tenant.own
				? 'Route this company to the Post node whose credential is for its own administration, or list the company in the Administrations of the Visma.net credential.'
				: "Make this node's Administrations agree with the credential's, or empty this node's table (the credential's list is the one that counts).",
			company,
		);
	}
	return null;
}
