/** Envelope building and escaping, the SOAP answer reader, and fault → error mapping. */
import { NodeApiError, type INode } from 'n8n-workflow';

import { NmbrsApi } from '../../../packages/n8n-nodes-nmbrs/credentials/NmbrsApi.credentials';
import { formatReference } from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/canonicalJournal';
import {
	faultToNodeApiError,
	nextStepForFault,
} from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/errors';
import { periodTypeFromCurrentPeriod } from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/operations';
import {
	buildSoapEnvelope,
	escapeXml,
	insertAuthHeader,
	nmbrsBaseUrl,
	soapAction,
} from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/soapEnvelope';
import {
	readSoapFault,
	readSoapXml,
	soapBodyContent,
} from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/soapReader';
import { harnessNode } from '../../../scripts/lib/harness/harnessNode';

const NODE: INode = harnessNode('Nmbrs Trigger', 'n8n-nodes-nmbrs.nmbrsTrigger', {}, { id: '1' });

describe('SOAP envelope', () => {
	it('names the operation and parameters in the CompanyService namespace, with an empty header', () => {
		const envelope = buildSoapEnvelope({
			service: 'CompanyService',
			operation: 'Run_GetList',
			parameters: [
				['CompanyId', 1234],
				['Year', 2026],
			],
		});
		expect(envelope).toBe(
			'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:nmbrs="https://api.nmbrs.nl/soap/v3/CompanyService"><soap:Header/><soap:Body><nmbrs:Run_GetList><nmbrs:CompanyId>1234</nmbrs:CompanyId><nmbrs:Year>2026</nmbrs:Year></nmbrs:Run_GetList></soap:Body></soap:Envelope>',
		);
		expect(soapAction({ service: 'CompanyService', operation: 'Run_GetList' })).toBe(
			'https://api.nmbrs.nl/soap/v3/CompanyService/Run_GetList',
		);
	});

	it('escapes the five XML characters and drops what XML cannot carry', () => {
		expect(escapeXml(`a&b<c>d"e'f\u0001g`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;fg');
	});

	it('refuses an element name that is not one (a bug, never input)', () => {
		expect(() => buildSoapEnvelope({ service: 'CompanyService', operation: 'x><y' })).toThrow(
			/Not an XML element name/,
		);
	});

	it('gets the AuthHeaderWithDomain from the credential, escaped, and the URL of the environment', async () => {
		const envelope = buildSoapEnvelope({ service: 'CompanyService', operation: 'List_GetAll' });
		const signed = await new NmbrsApi().authenticate(
			{
				username: 'a&b@example.com',
				token: 'to<ken',
				domain: 'mijn',
				environment: 'custom',
				customUrl: 'http://127.0.0.1:4020',
			},
			{ url: '/CompanyService.asmx', method: 'POST', body: envelope },
		);
		expect(signed.url).toBe('http://127.0.0.1:4020/soap/v3/CompanyService.asmx');
		expect(signed.body).toContain(
			'<soap:Header><nmbrs:AuthHeaderWithDomain><nmbrs:Username>a&amp;b@example.com</nmbrs:Username><nmbrs:Token>to&lt;ken</nmbrs:Token><nmbrs:Domain>mijn</nmbrs:Domain></nmbrs:AuthHeaderWithDomain></soap:Header><soap:Body>',
		);
		expect(insertAuthHeader('<no placeholder/>', { username: 'u', token: 't' })).toBe(
			'<no placeholder/>',
		);
	});

	it('uses production by default and allows http only on this machine', () => {
		expect(nmbrsBaseUrl('production', 'http://evil.example')).toEqual({
			url: 'https://api.nmbrs.nl/soap/v3',
		});
		expect(nmbrsBaseUrl('custom', 'https://proxy.example/nmbrs/soap/v3/')).toEqual({
			url: 'https://proxy.example/nmbrs/soap/v3',
		});
		expect(nmbrsBaseUrl('custom', 'http://payroll.example:8080')).toMatchObject({
			problem: expect.stringMatching(/must use https/),
		});
		expect(nmbrsBaseUrl('custom', 'not a url')).toMatchObject({
			problem: expect.stringMatching(/not a valid URL/),
		});
	});

	it.each([
		['https://proxy.example/soap/v3#', /fragment/],
		['https://proxy.example/soap/v3?x=', /query/],
		['https://user:pw-9f8e7d@proxy.example/soap/v3', /user name or password/],
	])(
		'refuses the custom URL %p: it would swallow /CompanyService.asmx or hold a password',
		(url, problem) => {
			const result = nmbrsBaseUrl('custom', url);
			expect(result).toMatchObject({ problem: expect.stringMatching(problem) });
			expect(JSON.stringify(result)).not.toContain('pw-9f8e7d');
		},
	);
});

describe('SOAP answer reader', () => {
	it('reads an answer with a namespaced body and the journal as escaped text', () => {
		const read = readSoapXml(
			'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Journals_GetByRunCompany_v2Response xmlns="https://api.nmbrs.nl/soap/v3/CompanyService"><Journals_GetByRunCompany_v2Result>&lt;root&gt;&lt;transaction/&gt;&lt;/root&gt;</Journals_GetByRunCompany_v2Result></Journals_GetByRunCompany_v2Response></soap:Body></soap:Envelope>',
		);
		if (!('root' in read)) throw new Error(read.problem);
		const content = soapBodyContent(read.root);
		expect(content?.name).toBe('Journals_GetByRunCompany_v2Response');
		expect(content?.children[0].text).toBe('<root><transaction/></root>');
	});

	it.each([
		['', /empty/],
		['<a><b></a>', /<b> was opened at line 1, column 4 but <\/a> closes it \(line 1, column 7\)/],
		['<a>', /<a> .* is still open/],
		['<!DOCTYPE x [<!ENTITY a "b">]><a/>', /DOCTYPE/],
		['<a/><b/>', /a second element <b> follows <\/a>/],
		['text', /text before the first element/],
	])('says what is wrong with %j and never throws', (xml, problem) => {
		const read = readSoapXml(xml);
		expect('problem' in read && read.problem).toMatch(problem);
	});

	it('reads SOAP 1.1 faults', () => {
		const read = readSoapXml(
			'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Company 9 not found &amp; no access.</faultstring></soap:Fault></soap:Body></soap:Envelope>',
		);
		if (!('root' in read)) throw new Error(read.problem);
		expect(readSoapFault(read.root)).toEqual({
			code: 'soap:Server',
			message: 'Company 9 not found & no access.',
		});
	});
});

describe('fault mapping', () => {
	it('keeps Nmbrs’ text, names the operation and says what to do', () => {
		const error = faultToNodeApiError(
			NODE,
			{ code: 'soap:Server', message: 'Invalid token' },
			{ what: 'list the companies', operation: 'List_GetAll' },
			500,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Nmbrs refused to list the companies: Invalid token');
		expect(error.description).toMatch(
			/Check the username, API token and domain in the Nmbrs credential.*List_GetAll/,
		);
		expect(error.httpCode).toBe('500');
	});

	it.each([
		['Company 9 not found or no access.', /company id, run id and year/],
		['User has no access to this company', /no access to this company/],
		['Something else', /try again later/],
	])('next step for %j', (message, step) => {
		expect(nextStepForFault(message)).toMatch(step);
	});
});

describe('run details', () => {
	it('reads the period type from Company_GetCurrentPeriod', () => {
		expect(periodTypeFromCurrentPeriod('2010-5-M')).toBe('month');
		expect(periodTypeFromCurrentPeriod('2010-4-4W')).toBe('4weeks');
		expect(periodTypeFromCurrentPeriod('2010-4-X')).toBeUndefined();
	});

	it('formats references with padding', () => {
		const run = {
			id: '88121',
			number: 3,
			year: 2026,
			periodStart: 3,
			periodEnd: 3,
			description: '',
			isLocked: true,
		};
		expect(formatReference('R{year}-{period:02}', { id: '1234', number: 1 }, run)).toEqual({
			reference: 'R2026-03',
		});
		expect(
			formatReference('{companyNumber}/{runId}/{run:03}', { id: '1234', number: 1 }, run),
		).toEqual({ reference: '1/88121/003' });
		expect(formatReference('  ', { id: '1234' }, run)).toMatchObject({
			problem: expect.stringMatching(/empty/),
		});
	});
});
