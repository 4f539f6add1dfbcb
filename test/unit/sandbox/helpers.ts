/** Shared helpers for the sandbox tests: the official schema, tokens, calls and a valid batch. */
import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Sandbox } from '../../../sandboxes/visma-net/server';

const REPO_ROOT = path.resolve(__dirname, '../../..');
export const OPENAPI_FILE = path.resolve(
	REPO_ROOT,
	'test/fixtures/visma-net/openapi-gl-subset.json',
);

let ajv: Ajv | undefined;

/** A validator for `components.schemas.<name>` of Visma's official OpenAPI document. */
export function officialSchema(name: string): ValidateFunction {
	if (!ajv) {
		ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
		ajv.addSchema(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as object, 'openapi');
	}
	const validate = ajv.getSchema(`openapi#/components/schemas/${name}`);
	if (!validate) throw new Error(`Schema ${name} not found in ${OPENAPI_FILE}`);
	return validate;
}

/** Asserts that `value` (or every element when it is an array) matches the schema. */
export function expectSchema(name: string, value: unknown): void {
	const validate = officialSchema(name);
	for (const item of Array.isArray(value) ? value : [value]) {
		const ok = validate(item);
		if (!ok) throw new Error(`${name} mismatch: ${JSON.stringify(validate.errors, null, 2)}`);
	}
}

export interface CallResult<T = unknown> {
	status: number;
	headers: Headers;
	body: T;
}

export async function call<T = unknown>(
	sandbox: Sandbox,
	method: string,
	urlPath: string,
	options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<CallResult<T>> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.token) headers.Authorization = `Bearer ${options.token}`;
	if (options.body !== undefined) headers['Content-Type'] = 'application/json';
	const response = await fetch(`${sandbox.url}${urlPath}`, {
		method,
		headers,
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
		redirect: 'manual',
	});
	const text = await response.text();
	let body: unknown = text;
	if ((response.headers.get('content-type') ?? '').includes('json') && text)
		body = JSON.parse(text);
	return { status: response.status, headers: response.headers, body: body as T };
}

export const SERVICE_SCOPES =
	'vismanet_erp_service_api:read vismanet_erp_service_api:create vismanet_erp_service_api:update';

export async function tokenRequest(
	sandbox: Sandbox,
	form: Record<string, string>,
	basic?: [string, string],
): Promise<CallResult<Record<string, unknown>>> {
	const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
	if (basic)
		headers.Authorization = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}`;
	const response = await fetch(`${sandbox.url}/connect/token`, {
		method: 'POST',
		headers,
		body: new URLSearchParams(form).toString(),
	});
	return {
		status: response.status,
		headers: response.headers,
		body: (await response.json()) as Record<string, unknown>,
	};
}

/** A service token for `tenantId` (default: the first company) through the real token endpoint. */
export async function serviceToken(
	sandbox: Sandbox,
	tenantId = sandbox.demo.tenantId,
): Promise<string> {
	const { status, body } = await tokenRequest(sandbox, {
		grant_type: 'client_credentials',
		client_id: sandbox.demo.clientId,
		client_secret: sandbox.demo.clientSecret,
		tenant_id: tenantId,
		scope: SERVICE_SCOPES,
	});
	if (status !== 200) throw new Error(`token request failed: ${status} ${JSON.stringify(body)}`);
	return body.access_token as string;
}

export interface LineSpec {
	account: string;
	debit?: number;
	credit?: number;
	segments?: [string, string];
	reference?: string;
}

/** A JournalTransactionUpdateDto for Bakkerij De Vries (segments Kostenplaats, Kostendrager). */
export function journalBody(
	lines: LineSpec[] = [
		{ account: '4000', debit: 4250, segments: ['100', 'P001'] },
		{ account: '4050', debit: 850.55, segments: ['100', 'P001'] },
		{ account: '1700', credit: 1230.1 },
		{ account: '2100', credit: 3870.45 },
	],
	header: Record<string, unknown> = {},
): Record<string, unknown> {
	return {
		transactionDate: { value: '2026-03-31T00:00:00' },
		postPeriod: { value: '032026' },
		financialPeriod: { value: '202603' },
		description: { value: 'Loonjournaalpost maart 2026 (R2026-03)' },
		...header,
		journalTransactionLines: lines.map((l, i) => ({
			operation: 'Insert',
			lineNumber: { value: i + 1 },
			accountNumber: { value: l.account },
			subaccount: [
				{ segmentId: 1, segmentValue: l.segments?.[0] ?? '000' },
				{ segmentId: 2, segmentValue: l.segments?.[1] ?? '0000' },
			],
			referenceNumber: { value: l.reference ?? 'R2026-03' },
			transactionDescription: { value: `Regel ${i + 1}` },
			...(l.debit !== undefined && { debitAmountInCurrency: { value: l.debit } }),
			...(l.credit !== undefined && { creditAmountInCurrency: { value: l.credit } }),
		})),
	};
}

/** The `message` of Visma's envelope, checked for its `VismaId: <uuid>. Error ...` form. */
export function vismaMessage(body: unknown): string {
	const message = (body as { message?: unknown }).message;
	if (typeof message !== 'string')
		throw new Error(`not a Visma message envelope: ${JSON.stringify(body)}`);
	expect(message).toMatch(/^VismaId: [0-9a-f-]{36}\. Error [^:]+: /);
	return message;
}
