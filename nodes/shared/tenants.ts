/**
 * Per item, the Visma.net company (tenant) it works in: the item's `company.id` through the
 * credential's Administrations (core/administrations.ts, the one rule), and a context that sends
 * every call to that tenant (transport/tenantTokens.ts). Reference data is read once per tenant
 * per execution (`perTenant`), never kept between executions.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	credentialAdministrations,
	resolveTenant,
	type Administration,
	type TenantChoice,
	type TenantResolution,
} from '../core/administrations';
import { CREDENTIAL_TYPE, withTenant, type VismaNetContext } from '../transport';

export interface ItemTenants {
	/** Whether the credential lists administrations (else its own tenant serves every company). */
	readonly filled: boolean;
	readonly administrations: readonly Administration[];
	/** The tenant of a payroll company (see core/administrations.ts). */
	resolve(
		companyId: unknown,
		reference: unknown,
		nodeAdministrations?: readonly Administration[],
	): TenantResolution;
	/** The node's context, working in the tenant. */
	context<T extends VismaNetContext>(context: T, tenant: TenantChoice): T;
}

const text = (value: unknown): string =>
	typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';

/** The company id of an item (`company.id`), as text; '' when there is none. */
export function companyIdOf(json: IDataObject): string {
	const company = json.company;
	return company && typeof company === 'object' && !Array.isArray(company)
		? text((company as IDataObject).id)
		: '';
}

/** Reads the credential once; call only when the node talks to Visma.net. */
export async function itemTenants(context: IExecuteFunctions): Promise<ItemTenants> {
	const credentials = (await context.getCredentials(CREDENTIAL_TYPE)) as IDataObject;
	const administrations = credentialAdministrations(credentials);
	const credentialTenantId = text(credentials.tenantId) || undefined;
	return {
		filled: administrations.length > 0,
		administrations,
		resolve: (companyId, reference, nodeAdministrations) =>
			resolveTenant(text(companyId), text(reference), {
				administrations,
				credentialTenantId,
				...(nodeAdministrations ? { nodeAdministrations } : {}),
			}),
		context: (base, tenant) => (tenant.own ? base : withTenant(base, tenant.tenantId)),
	};
}

/** The key of a tenant in per-tenant caches ('' for the credential's own). */
export function tenantKey(tenant: TenantChoice): string {
	return tenant.own || tenant.tenantId === undefined ? '' : tenant.tenantId.trim().toLowerCase();
}

/** `load` once per tenant per execution; a failed read is not kept (the next item of that tenant tries again). */
export function perTenant<T>(
	load: (tenant: TenantChoice) => Promise<T>,
): (tenant: TenantChoice) => Promise<T> {
	const reads = new Map<string, Promise<T>>();
	return (tenant) => {
		const key = tenantKey(tenant);
		let read = reads.get(key);
		if (!read) {
			read = load(tenant);
			reads.set(key, read);
			read.catch(() => reads.delete(key));
		}
		return read;
	};
}
