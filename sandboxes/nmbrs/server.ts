/**
 * The local Nmbrs SOAP sandbox: CompanyService of the SOAP API v3 on one node:http server.
 *
 *   POST /soap/v3/CompanyService.asmx   SOAP 1.1, SOAPAction "https://api.nmbrs.nl/soap/v3/CompanyService/<Operation>"
 *        List_GetAll, Run_GetList, Journals_GetByRunCompany_v2, Company_GetCurrentPeriod,
 *        CostCenter_GetList, CostUnit_GetList; AuthHeaderWithDomain checked on every call.
 *   GET  /_sandbox/state                companies and runs (with the flags the API does not expose)
 *   POST /_sandbox/runs/lock            { companyId, runId }: lock a run
 *   POST /_sandbox/runs                 { companyId, run }: add a run
 *   POST /_sandbox/faults               { operation, times, kind: "http503" | "http429" | "fault", message?, retryAfter? }
 *   POST /_sandbox/reset                back to the default data
 *
 * Start in-process with `startNmbrsSandbox()` or from the shell with cli.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	defaultNmbrsData,
	type NmbrsSandboxData,
	type SandboxCompany,
	type SandboxRun,
	type SandboxTransaction,
} from './data';
import {
	COMPANY_SERVICE_NS,
	elements,
	escapeText,
	parseSoapRequest,
	soapFault,
	soapResponse,
} from './soap';

export interface NmbrsSandboxOptions {
	port?: number;
	host?: string;
	data?: NmbrsSandboxData;
}

export interface PlannedFault {
	operation: string;
	times: number;
	/** http503: Service Unavailable; http429: Too Many Requests (a gateway's limit); fault: a SOAP fault. */
	kind: 'http503' | 'http429' | 'fault';
	message?: string;
	/** With http503 or http429: the Retry-After header, in seconds (absent: no header). */
	retryAfter?: number;
}

export interface NmbrsRequestLogEntry {
	operation: string;
	parameters: Record<string, string>;
	status: number;
}

export interface NmbrsSandbox {
	/** e.g. http://127.0.0.1:4020; the SOAP API is at <url>/soap/v3. */
	readonly url: string;
	readonly port: number;
	readonly demo: { username: string; token: string; domain: string };
	lockRun(companyId: number, runId: number): void;
	addRun(companyId: number, run: SandboxRun): void;
	planFault(fault: PlannedFault): void;
	reset(): void;
	state(): NmbrsSandboxData;
	requests(): readonly NmbrsRequestLogEntry[];
	clearRequests(): void;
	close(): Promise<void>;
}

const SERVICE_PATH = '/soap/v3/CompanyService.asmx';

function journalXml(transactions: readonly SandboxTransaction[]): string {
	const body = transactions
		.map((transaction) => {
			const lines = transaction.lines
				.map(
					(line) =>
						`<line>${elements([
							['dim1', line.account],
							['dim2', line.costCenter ?? ''],
							['dim3', line.costUnit ?? ''],
							['debitcredit', line.side],
							['value', line.value],
							['description', line.description],
						])}</line>`,
				)
				.join('');
			return `<transaction><header>${elements([
				['date', transaction.date],
				['description', transaction.description],
			])}</header><lines>${lines}</lines></transaction>`;
		})
		.join('');
	return `<?xml version="1.0" encoding="utf-8"?><root>${body}</root>`;
}

class SoapFaultError extends Error {
	constructor(
		readonly code: 'soap:Client' | 'soap:Server',
		message: string,
	) {
		super(message);
	}
}

function integerParameter(parameters: Record<string, string>, name: string): number {
	const value = parameters[name];
	if (value === undefined || !/^-?\d+$/.test(value)) {
		throw new SoapFaultError(
			'soap:Client',
			`Server was unable to read request. ---> Parameter ${name} is missing or not an int.`,
		);
	}
	return Number(value);
}

export async function startNmbrsSandbox(options: NmbrsSandboxOptions = {}): Promise<NmbrsSandbox> {
	const initial = options.data ?? defaultNmbrsData();
	let data: NmbrsSandboxData = structuredClone(initial);
	let faults: PlannedFault[] = [];
	const log: NmbrsRequestLogEntry[] = [];

	const company = (companyId: number): SandboxCompany => {
		const found = data.companies.find((candidate) => candidate.id === companyId);
		if (!found)
			throw new SoapFaultError('soap:Server', `Company ${companyId} not found or no access.`);
		return found;
	};

	const operations: Record<string, (parameters: Record<string, string>) => string | undefined> = {
		List_GetAll: () =>
			data.companies
				.map(
					(entry) =>
						`<Company>${elements([
							['ID', entry.id],
							['Number', entry.number],
							['Name', entry.name],
							['LoonaangifteTijdvak', entry.wageTaxPeriod],
							['KvkNr', entry.kvkNr],
						])}</Company>`,
				)
				.join(''),
		Run_GetList: (parameters) => {
			const year = integerParameter(parameters, 'Year');
			return company(integerParameter(parameters, 'CompanyId'))
				.runs.filter((run) => run.year === year)
				.map(
					(run) =>
						`<RunInfo>${elements([
							['ID', run.id],
							['Number', run.number],
							['Year', run.year],
							['PeriodStart', run.periodStart],
							['PeriodEnd', run.periodEnd],
							['Description', run.description],
							['RunAt', run.runAt],
							['IsLocked', run.isLocked],
						])}</RunInfo>`,
				)
				.join('');
		},
		Journals_GetByRunCompany_v2: (parameters) => {
			const target = company(integerParameter(parameters, 'CompanyId'));
			const runId = integerParameter(parameters, 'RunId');
			const year = integerParameter(parameters, 'intYear');
			const run = target.runs.find(
				(candidate) => candidate.id === runId && candidate.year === year,
			);
			if (!run)
				throw new SoapFaultError(
					'soap:Server',
					`Run ${runId} not found for company ${target.id} in ${year}.`,
				);
			// The journal is a string: its XML travels escaped inside the result element.
			return escapeText(journalXml(run.journal));
		},
		Company_GetCurrentPeriod: (parameters) => {
			const target = company(integerParameter(parameters, 'CompanyId'));
			const latest = [...target.runs].sort(
				(a, b) => b.year - a.year || b.periodEnd - a.periodEnd,
			)[0];
			const suffix = target.wageTaxPeriod === 'Week4' ? '4W' : 'M';
			return latest ? `${latest.year}-${latest.periodEnd}-${suffix}` : `2026-1-${suffix}`;
		},
		CostCenter_GetList: (parameters) =>
			company(integerParameter(parameters, 'CompanyId'))
				.costCenters.map(
					(entry) =>
						`<CostCenter>${elements([
							['Code', entry.code],
							['Description', entry.description],
							['Id', entry.id],
						])}</CostCenter>`,
				)
				.join(''),
		CostUnit_GetList: (parameters) =>
			company(integerParameter(parameters, 'CompanyId'))
				.costUnits.map(
					(entry) =>
						`<CostUnit>${elements([
							['Id', entry.id],
							['Code', entry.code],
							['Description', entry.description],
						])}</CostUnit>`,
				)
				.join(''),
	};

	function answerSoap(
		body: string,
		soapActionHeader: string | undefined,
	): {
		status: number;
		xml: string;
		operation: string;
		parameters: Record<string, string>;
		headers?: Record<string, string>;
	} {
		const parsed = parseSoapRequest(body);
		if ('problem' in parsed)
			return {
				status: 500,
				xml: soapFault('soap:Client', parsed.problem),
				operation: '?',
				parameters: {},
			};
		const { operation, parameters } = parsed;
		const fail = (code: 'soap:Client' | 'soap:Server', message: string) => ({
			status: 500,
			xml: soapFault(code, message),
			operation,
			parameters,
		});
		const action = (soapActionHeader ?? '').replace(/^"|"$/g, '');
		if (action !== `${COMPANY_SERVICE_NS}/${operation}`) {
			return fail(
				'soap:Client',
				`Server did not recognize the value of HTTP Header SOAPAction: ${action}.`,
			);
		}
		if (
			parsed.namespace !== COMPANY_SERVICE_NS ||
			!Object.prototype.hasOwnProperty.call(operations, operation)
		) {
			return fail(
				'soap:Client',
				`Server did not recognize the request element ${operation} in namespace ${parsed.namespace}.`,
			);
		}
		const auth = parsed.auth;
		if (
			!auth ||
			auth.username !== data.username ||
			auth.token !== data.token ||
			(auth.domain !== '' && auth.domain.toLowerCase() !== data.domain)
		) {
			return fail(
				'soap:Server',
				'Invalid authentication: the username, token or domain in AuthHeaderWithDomain is not valid.',
			);
		}
		const planned = faults.find((fault) => fault.operation === operation && fault.times > 0);
		if (planned) {
			planned.times--;
			const retryAfter =
				planned.retryAfter === undefined
					? {}
					: { headers: { 'Retry-After': String(planned.retryAfter) } };
			if (planned.kind === 'http503')
				return { status: 503, xml: 'Service Unavailable', operation, parameters, ...retryAfter };
			if (planned.kind === 'http429')
				return { status: 429, xml: 'Too Many Requests', operation, parameters, ...retryAfter };
			return fail('soap:Server', planned.message ?? `${operation} is temporarily unavailable.`);
		}
		try {
			return {
				status: 200,
				xml: soapResponse(operation, operations[operation](parameters)),
				operation,
				parameters,
			};
		} catch (error) {
			if (error instanceof SoapFaultError) return fail(error.code, error.message);
			throw error;
		}
	}

	const sandbox: Omit<NmbrsSandbox, 'url' | 'port' | 'close'> = {
		demo: { username: initial.username, token: initial.token, domain: initial.domain },
		lockRun(companyId, runId) {
			const run = company(companyId).runs.find((candidate) => candidate.id === runId);
			if (!run) throw new Error(`The sandbox has no run ${runId} for company ${companyId}`);
			run.isLocked = true;
		},
		addRun(companyId, run) {
			company(companyId).runs.push(structuredClone(run));
		},
		planFault(fault) {
			faults.push({ ...fault });
		},
		reset() {
			data = structuredClone(initial);
			faults = [];
			log.length = 0;
		},
		state: () => structuredClone(data),
		requests: () => [...log],
		clearRequests() {
			log.length = 0;
		},
	};

	async function readBody(request: IncomingMessage): Promise<string> {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		return Buffer.concat(chunks).toString('utf8');
	}

	function send(
		response: ServerResponse,
		status: number,
		body: string,
		type: string,
		headers: Record<string, string> = {},
	): void {
		response.writeHead(status, {
			...headers,
			'Content-Type': type,
			'Content-Length': Buffer.byteLength(body),
		});
		response.end(body);
	}

	async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const path = new URL(request.url ?? '/', 'http://sandbox.invalid').pathname;
		const body = await readBody(request);
		if (request.method === 'POST' && path.toLowerCase() === SERVICE_PATH.toLowerCase()) {
			const answer = answerSoap(body, request.headers.soapaction as string | undefined);
			log.push({
				operation: answer.operation,
				parameters: answer.parameters,
				status: answer.status,
			});
			send(
				response,
				answer.status,
				answer.xml,
				answer.status === 503 || answer.status === 429 ? 'text/plain' : 'text/xml; charset=utf-8',
				answer.headers,
			);
			return;
		}
		if (path.startsWith('/_sandbox/')) {
			const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
			try {
				if (request.method === 'GET' && path === '/_sandbox/state')
					return send(response, 200, JSON.stringify(sandbox.state()), 'application/json');
				if (request.method === 'POST' && path === '/_sandbox/runs/lock')
					sandbox.lockRun(Number(input.companyId), Number(input.runId));
				else if (request.method === 'POST' && path === '/_sandbox/runs')
					sandbox.addRun(Number(input.companyId), input.run as SandboxRun);
				else if (request.method === 'POST' && path === '/_sandbox/faults')
					sandbox.planFault(input as unknown as PlannedFault);
				else if (request.method === 'POST' && path === '/_sandbox/reset') sandbox.reset();
				else
					return send(
						response,
						404,
						JSON.stringify({ message: `No control ${request.method} ${path}` }),
						'application/json',
					);
				return send(response, 200, JSON.stringify({ ok: true }), 'application/json');
			} catch (error) {
				return send(
					response,
					400,
					JSON.stringify({ message: (error as Error).message }),
					'application/json',
				);
			}
		}
		send(
			response,
			404,
			`No Nmbrs service at ${path}. The CompanyService is at ${SERVICE_PATH}.`,
			'text/plain',
		);
	}

	const server = createServer((request, response) => {
		handle(request, response).catch((error: unknown) =>
			send(response, 500, String(error), 'text/plain'),
		);
	});
	const host = options.host ?? '127.0.0.1';
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		...sandbox,
		url: `http://${host}:${port}`,
		port,
		close: () =>
			new Promise<void>((resolve, reject) =>
				server.close((error) => (error ? reject(error) : resolve())),
			),
	};
}
