/**
 * Administrations (the seed's "Koppelen van administraties"): one workflow serves many payroll
 * companies, and a mapping from payroll company to Visma.net company (tenant) decides where each
 * journal belongs. A journal is refused by a credential of another administration, so that
 * company A's payroll never lands in company B's books.
 */
import { createIssue, type Issue } from './issues';

export interface Administration {
	readonly companyId: string;
	readonly tenantId: string;
	readonly name?: string;
}

/** Null when the journal may be booked with this credential's tenant. */
export function checkAdministration(
	companyId: string,
	reference: string,
	administrations: readonly Administration[],
	credentialTenantId: string | undefined,
): Issue | null {
	const rows = administrations.filter((row) => row.companyId.trim() !== '');
	if (rows.length === 0) return null;
	const location = { reference, path: 'company.id', field: 'company.id' };
	const mapped = rows.find((row) => row.companyId.trim() === companyId.trim());
	if (!mapped) {
		return createIssue(
			'ADMINISTRATION_MISMATCH',
			location,
			`payroll company ${companyId} is not in this node's Administrations, so it is not known which Visma.net company it books in.`,
			'Add the company to Administrations with its Visma.net tenant id, or route it to the Post node of its own administration.',
			companyId,
		);
	}
	if (!credentialTenantId) {
		return createIssue(
			'ADMINISTRATION_MISMATCH',
			location,
			`the credential names no tenant id, so it cannot be checked that it is the administration of payroll company ${companyId}.`,
			'Use a Service API credential (it carries the company tenant id) when Administrations are filled in.',
		);
	}
	if (mapped.tenantId.trim().toLowerCase() !== credentialTenantId.trim().toLowerCase()) {
		const name = mapped.name ? ` (${mapped.name})` : '';
		return createIssue(
			'ADMINISTRATION_MISMATCH',
			location,
			`payroll company ${companyId}${name} books in Visma.net tenant ${mapped.tenantId}, but this node's credential is for tenant ${credentialTenantId}. Nothing was sent.`,
			'Route this company to the Post node whose credential is for its own administration.',
			companyId,
		);
	}
	return null;
}
