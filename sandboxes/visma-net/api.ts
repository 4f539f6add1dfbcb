/**
 * The Visma.net ERP API routes the sandbox serves (paths without the legacy /API/controller/api
 * prefix, which the server strips). Each handler gets the caller's company and returns a response
 * value; refusals are thrown as `HttpError`s in Visma's envelopes.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiPermission } from './connect';
import type { Company } from './data';
import {
	accountDto,
	batchETag,
	branchDto,
	currencyDto,
	customerDto,
	dimensionDto,
	financialPeriodDto,
	journalTransactionDto,
	ledgerDto,
	segmentDto,
	segmentValueDto,
	subaccountDto,
	type Metadata,
} from './dto';
import { notFound, validationError, vismaMessage, type Operation } from './errors';
import { buildBatch, readJournalUpdate } from './gl';
import { empty, HttpError, json, type SandboxResponse } from './http';
import { periodText, readBackCode, storedDescription, type Quirks } from './quirks';
import type { SandboxStore, StoredBatch, StoredLine } from './store';
import { subaccountNumber } from './store';

export interface ApiRequest {
	company: Company;
	store: SandboxStore;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	body: unknown;
	/** Scheme, host and port the caller used: the base of absolute Location headers. */
	baseUrl: string;
	maxPageSize: number;
	/** The route's captured path segments, URL-decoded. */
	params: string[];
	/** The quirks switched on (quirks.ts); empty: Visma's documented answers. */
	quirks: Quirks;
}

export interface ApiRoute {
	method: 'GET' | 'POST' | 'PUT';
	pattern: RegExp;
	permission: ApiPermission;
	handle(request: ApiRequest): SandboxResponse;
}

// ---------------------------------------------------------------------------------------------
// Query parameters and paging

function positiveInt(request: ApiRequest, name: string, operation: Operation): number | undefined {
	const raw = request.query.get(name);
	if (raw === null || raw === '') return undefined;
	if (!/^\d+$/.test(raw) || Number(raw) < 1)
		throw validationError(
			operation,
			`The value '${raw}' is not valid for ${name}; give a whole number of at least 1.`,
		);
	return Number(raw);
}

function booleanParam(request: ApiRequest, name: string): boolean | undefined {
	const raw = request.query.get(name);
	if (raw === null || raw === '') return undefined;
	if (!/^(true|false)$/i.test(raw))
		throw validationError(
			'query',
			`The value '${raw}' is not valid for ${name}; give true or false.`,
		);
	return raw.toLowerCase() === 'true';
}

interface PageRequest {
	pageNumber: number;
	pageSize: number;
}

/** pageNumber is 1-based; pageSize above maxPageSize is silently capped. */
function pageRequest(request: ApiRequest): PageRequest {
	const pageNumber = positiveInt(request, 'pageNumber', 'query') ?? 1;
	const pageSize = Math.min(
		positiveInt(request, 'pageSize', 'query') ?? request.maxPageSize,
		request.maxPageSize,
	);
	return { pageNumber, pageSize };
}

/** One page of a list, each item carrying the list's metadata. */
function pagedList<T>(
	request: ApiRequest,
	items: readonly T[],
	toDto: (item: T, metadata: Metadata | undefined) => object,
): SandboxResponse {
	const { pageNumber, pageSize } = pageRequest(request);
	const metadata = listMetadata(request, items.length);
	const page = items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
	return json(
		200,
		page.map((item) => toDto(item, metadata)),
	);
}

/** The metadata each item of a list page carries; none under the `no-metadata` quirk. */
function listMetadata(request: ApiRequest, totalCount: number): Metadata | undefined {
	return request.quirks.has('no-metadata')
		? undefined
		: { totalCount, maxPageSize: request.maxPageSize };
}

/** Parses Visma's lastModifiedDateTime forms (yyyy-MM-dd, yyyy-MM-dd HH:mm:ss[.FFF], yyyy-MM-ddTHH:mm:ss[.FFF]) as UTC. */
function parseModifiedSince(raw: string): number {
	const match = raw.match(/^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?))?$/);
	const ms = match ? Date.parse(`${match[1]}T${match[2] ?? '00:00:00'}Z`) : NaN;
	if (Number.isNaN(ms))
		throw validationError(
			'query',
			`The value '${raw}' is not valid for lastModifiedDateTime; use yyyy-MM-dd, yyyy-MM-dd HH:mm:ss or yyyy-MM-ddTHH:mm:ss.`,
		);
	return ms;
}

// ---------------------------------------------------------------------------------------------
// Journal transactions

const MODULES = ['GL', 'AP', 'AR', 'CM', 'CA', 'IN', 'DR', 'FA', 'PM'];
const LIST_STATUSES = ['Hold', 'Balanced', 'Unposted', 'Posted', 'Voided', 'Scheduled'];

function findBatch(request: ApiRequest, operation: Operation): StoredBatch {
	const batch = request.store.find(request.company.tenantId, request.params[0]);
	if (!batch)
		throw notFound(operation, `Journal transaction batch ${request.params[0]} was not found.`);
	return batch;
}

function journalDto(
	request: ApiRequest,
	batch: StoredBatch,
	lines?: readonly StoredLine[],
	metadata?: Metadata,
) {
	const dto = journalTransactionDto(
		request.company,
		batch,
		request.store.tenant(request.company.tenantId).subaccounts,
		lines,
		metadata,
	);
	if (!request.quirks.has('readback-case') && !request.quirks.has('readback-padding')) return dto;
	// Read back as Visma.net may store or give them: another case, padded.
	const code = (text: string) => readBackCode(text, request.quirks);
	return {
		...dto,
		journalTransactionLines: dto.journalTransactionLines.map((line) => {
			const segments = line.subaccount.segments.map((segment) => ({
				...segment,
				segmentValue: code(segment.segmentValue),
			}));
			return {
				...line,
				accountNumber: code(line.accountNumber),
				subaccount: {
					...line.subaccount,
					subaccountNumber: segments.map((segment) => segment.segmentValue).join('-'),
					segments,
				},
			};
		}),
	};
}

function listJournalTransactions(request: ApiRequest): SandboxResponse {
	const { query } = request;
	const periodId = query.get('periodId') || undefined;
	const modifiedRaw = query.get('lastModifiedDateTime') || undefined;
	if (!periodId && !modifiedRaw)
		throw validationError(
			'query',
			"Either 'periodId' (YYYYPP) or 'lastModifiedDateTime' must be given.",
		);
	if (periodId && !/^\d{6}$/.test(periodId))
		throw validationError(
			'query',
			`The value '${periodId}' is not valid for periodId; use the format YYYYPP.`,
		);
	const modifiedSince = modifiedRaw ? parseModifiedSince(modifiedRaw) : undefined;
	const module = query.get('module') || undefined;
	if (module && !MODULES.includes(module))
		throw validationError(
			'query',
			`The value '${module}' is not valid for module; allowed values: ${MODULES.join(', ')}.`,
		);
	const status = query.get('status') || undefined;
	if (status && !LIST_STATUSES.includes(status))
		throw validationError(
			'query',
			`The value '${status}' is not valid for status; allowed values: ${LIST_STATUSES.join(', ')}.`,
		);
	const branch = query.get('branch') || undefined;

	const batches = request.store
		.tenant(request.company.tenantId)
		.batches.filter(
			(b) =>
				(!periodId || b.financialPeriod === periodId) &&
				(modifiedSince === undefined || Date.parse(b.lastModified) >= modifiedSince) &&
				(!module || module === 'GL') &&
				(!status || b.status === status) &&
				(!branch || b.branch === branch),
		)
		.sort((a, b) => a.batchNumber.localeCompare(b.batchNumber));

	// Pages count lines, not batches: a batch can start on one page and end on the next.
	const lines = batches.flatMap((batch) => batch.lines.map((line) => ({ batch, line })));
	const { pageNumber, pageSize } = pageRequest(request);
	const metadata = listMetadata(request, lines.length);
	const page = lines.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
	const groups: { batch: StoredBatch; lines: StoredLine[] }[] = [];
	for (const { batch, line } of page) {
		const last = groups.at(-1);
		if (last?.batch === batch) last.lines.push(line);
		else groups.push({ batch, lines: [line] });
	}
	return json(
		200,
		groups.map((g) => journalDto(request, g.batch, g.lines, metadata)),
	);
}

function createJournalTransaction(request: ApiRequest): SandboxResponse {
	const { company, store } = request;
	const update = readJournalUpdate(request.body, 'create');
	const checked = buildBatch(
		company,
		update,
		undefined,
		(n) => store.find(company.tenantId, n) !== undefined,
	);
	checked.content.description = storedDescription(checked.content.description, request.quirks);
	const batch = store.create(
		company.tenantId,
		checked.content,
		checked.status,
		checked.batchNumber,
	);
	return empty(201, {
		Location: `${request.baseUrl}/v2/journaltransaction/${encodeURIComponent(batch.batchNumber)}`,
		ETag: batchETag(batch),
	});
}

function getJournalTransaction(request: ApiRequest): SandboxResponse {
	const batch = findBatch(request, 'read');
	return json(200, journalDto(request, batch), { ETag: batchETag(batch) });
}

function updateJournalTransaction(request: ApiRequest): SandboxResponse {
	const { company, store } = request;
	const batch = findBatch(request, 'update');
	const ifMatch = request.headers['if-match'];
	if (
		ifMatch !== undefined &&
		ifMatch !== '*' &&
		ifMatch.replace(/^W\//, '') !== batchETag(batch)
	) {
		throw new HttpError(
			vismaMessage(
				412,
				'update',
				'JournalTransaction version does not match with If-Match header.',
			),
		);
	}
	const update = readJournalUpdate(request.body, 'update');
	const checked = buildBatch(company, update, batch, () => false);
	checked.content.description = storedDescription(checked.content.description, request.quirks);
	store.replace(company.tenantId, batch, checked.content, checked.status);
	return empty(204, { ETag: batchETag(batch) });
}

/**
 * Release: a Balanced batch becomes Posted (or Unposted when the company does not post on
 * release). Anything else is answered 200 with actionResult Failed and the reason in errorInfo,
 * so a client must read the result, not only the HTTP status.
 */
function releaseJournalTransaction(request: ApiRequest): SandboxResponse {
	const batch = findBatch(request, 'release');
	const result = (actionResult: 'Done' | 'Failed', errorInfo: string | null) =>
		json(200, { actionId: randomUUID(), actionResult, errorInfo });
	if (batch.status === 'Hold')
		return result(
			'Failed',
			`Batch ${batch.batchNumber} is on hold and cannot be released. Clear Hold (the batch must balance) first.`,
		);
	if (batch.status !== 'Balanced')
		return result(
			'Failed',
			`Batch ${batch.batchNumber} has status ${batch.status} and has already been released.`,
		);
	request.store.setStatus(batch, request.company.data.autoPostOnRelease ? 'Posted' : 'Unposted');
	return result('Done', null);
}

// ---------------------------------------------------------------------------------------------
// Reference data

function listAccounts(request: ApiRequest): SandboxResponse {
	const active = booleanParam(request, 'active');
	const after = request.query.get('greaterThanValue') || undefined;
	const accounts = [...request.company.accounts.values()].filter(
		(a) => (active === undefined || a.active === active) && (!after || a.accountCD > after),
	);
	// Unpaged, as production clients read it (the spec declares no paging): the whole chart, no metadata.
	if (request.quirks.has('unpaged-accounts'))
		return json(
			200,
			accounts.map((a) => accountDto(a)),
		);
	return pagedList(request, accounts, (a, metadata) => accountDto(a, metadata));
}

function getAccount(request: ApiRequest): SandboxResponse {
	const account = request.company.accounts.get(request.params[0]);
	if (!account)
		throw notFound('read', `Account '${request.params[0]}' cannot be found in the system.`);
	return json(200, accountDto(account));
}

function subaccountKey(request: ApiRequest): void {
	if (request.params[0].toUpperCase() !== 'SUBACCOUNT')
		throw notFound(
			'read',
			`Dimension '${request.params[0]}' is not available in the sandbox; only SUBACCOUNT is.`,
		);
}

function findSegment(request: ApiRequest) {
	subaccountKey(request);
	const segment = request.company.segments.find((s) => String(s.segmentId) === request.params[1]);
	if (!segment)
		throw notFound(
			'read',
			`Segment ${request.params[1]} of dimension SUBACCOUNT cannot be found in the system.`,
		);
	return segment;
}

function getDimension(request: ApiRequest): SandboxResponse {
	subaccountKey(request);
	// With the segment values unless asked without them: expandSegmentsValues "can be used to return data without the segment values".
	return json(
		200,
		dimensionDto(request.company, booleanParam(request, 'expandSegmentsValues') ?? true),
	);
}

function getSegmentValue(request: ApiRequest): SandboxResponse {
	const segment = findSegment(request);
	const valueId = Buffer.from(request.params[2], 'base64').toString('utf8');
	const value = segment.values.find((v) => v.value === valueId);
	if (!value)
		throw notFound(
			'read',
			`Value '${valueId}' of segment ${segment.segmentId} cannot be found in the system (valueId must be Base64 encoded).`,
		);
	return json(200, segmentValueDto(request.company, segment, value));
}

function listSubaccounts(request: ApiRequest): SandboxResponse {
	const active = booleanParam(request, 'active');
	const subaccounts =
		active === false ? [] : request.store.tenant(request.company.tenantId).subaccounts;
	return pagedList(request, subaccounts, (s, metadata) =>
		subaccountDto(request.company, s, metadata),
	);
}

function getSubaccount(request: ApiRequest): SandboxResponse {
	const wanted = request.params[0];
	const subaccount = request.store
		.tenant(request.company.tenantId)
		.subaccounts.find(
			(s) =>
				subaccountNumber(s.segments) === wanted ||
				subaccountNumber(s.segments).replace(/-/g, '') === wanted,
		);
	if (!subaccount) throw notFound('read', `Subaccount '${wanted}' cannot be found in the system.`);
	return json(200, subaccountDto(request.company, subaccount));
}

function listFinancialPeriods(request: ApiRequest): SandboxResponse {
	const after = request.query.get('greaterThanValue') || undefined;
	if (after && !/^\d{4}(\d{2})?$/.test(after))
		throw validationError(
			'query',
			`The value '${after}' is not valid for greaterThanValue; use YYYY or YYYYPP.`,
		);
	const periods = [...request.company.periods.values()].filter(
		(p) => !after || (after.length === 4 ? String(p.year) > after : p.id > after),
	);
	return json(
		200,
		periods.map((p) => ({ ...financialPeriodDto(p), period: periodText(p, request.quirks) })),
	);
}

function getFinancialPeriod(request: ApiRequest): SandboxResponse {
	const period = request.company.periods.get(request.params[0]);
	if (!period)
		throw notFound(
			'read',
			`Financial period '${request.params[0]}' cannot be found in the system.`,
		);
	return json(200, { ...financialPeriodDto(period), period: periodText(period, request.quirks) });
}

function getBranch(request: ApiRequest): SandboxResponse {
	const branches = [...request.company.branches.values()];
	const index = branches.findIndex((b) => b.number === request.params[0]);
	if (index < 0)
		throw notFound('read', `Branch '${request.params[0]}' cannot be found in the system.`);
	return json(200, branchDto(request.company, branches[index], index));
}

function getCustomer(request: ApiRequest): SandboxResponse {
	const customers = [...request.company.customers.values()];
	const index = customers.findIndex((c) => c.number === request.params[0]);
	if (index < 0)
		throw notFound('read', `Customer '${request.params[0]}' cannot be found in the system.`);
	return json(200, customerDto(customers[index], index));
}

const SEGMENT = '([^/]+)';

function route(
	method: ApiRoute['method'],
	path: string,
	handle: ApiRoute['handle'],
	permission?: ApiPermission,
): ApiRoute {
	const defaultPermission: Record<ApiRoute['method'], ApiPermission> = {
		GET: 'read',
		POST: 'create',
		PUT: 'update',
	};
	return {
		method,
		pattern: new RegExp(`^${path}/?$`, 'i'),
		permission: permission ?? defaultPermission[method],
		handle,
	};
}

export const API_ROUTES: readonly ApiRoute[] = [
	route('GET', '/v2/journaltransaction', listJournalTransactions),
	route('POST', '/v2/journaltransaction', createJournalTransaction),
	route('GET', `/v2/journaltransaction/${SEGMENT}`, getJournalTransaction),
	route('PUT', `/v2/journaltransaction/${SEGMENT}`, updateJournalTransaction),
	route(
		'POST',
		`/v2/journaltransaction/${SEGMENT}/action/release`,
		releaseJournalTransaction,
		'update',
	),
	route('GET', '/v1/account', listAccounts),
	route('GET', `/v1/account/${SEGMENT}`, getAccount),
	route('GET', '/v1/dimension', () => json(200, ['SUBACCOUNT'])),
	route('GET', `/v1/dimension/${SEGMENT}`, getDimension),
	route('GET', `/v1/dimension/${SEGMENT}/${SEGMENT}`, (r) =>
		json(200, segmentDto(r.company, findSegment(r), true)),
	),
	route('GET', `/v1/dimension/${SEGMENT}/${SEGMENT}/${SEGMENT}`, getSegmentValue),
	route('GET', '/v1/subaccount', listSubaccounts),
	route('GET', `/v1/subaccount/${SEGMENT}`, getSubaccount),
	route('GET', '/v1/financialperiod', listFinancialPeriods),
	route('GET', `/v1/financialperiod/${SEGMENT}`, getFinancialPeriod),
	route('GET', '/v1/ledger', (r) =>
		json(
			200,
			[...r.company.ledgers.values()].map((l, i) => ledgerDto(r.company, l, i)),
		),
	),
	route('GET', '/v1/branch', (r) =>
		json(
			200,
			[...r.company.branches.values()].map((b, i) => branchDto(r.company, b, i)),
		),
	),
	route('GET', `/v1/branch/${SEGMENT}`, getBranch),
	route('GET', `/v1/customer/${SEGMENT}`, getCustomer),
	route('GET', '/v1/currency', (r) =>
		json(
			200,
			[...r.company.currencies].map((c) => currencyDto(r.company, c)),
		),
	),
];
