/**
 * The regular expressions of nodes/ and credentials/ on 100,000 hostile characters: each risky one
 * (or the function that uses it) must finish well under 250 ms. A quadratic regex takes seconds
 * here (`/\/+$/` on 100,000 slashes and an "x": 19 s).
 */
import type { INode } from 'n8n-workflow';

import { VismaNetOAuth2Api } from '../../../credentials/VismaNetOAuth2Api.credentials';
import { parseJournal } from '../../../nodes/core/journal';
import { mapLineDimensions } from '../../../nodes/core/mapDimensions';
import { parseAmount } from '../../../nodes/core/money';
import { readNmbrsJournalXml } from '../../../nodes/core/nmbrsXml';
import { vismaCodeKey } from '../../../nodes/core/buildJournalTransaction';
import {
	financialPeriodOfDate,
	parseFinancialPeriodText,
	parseIsoDate,
	readVismaFinancialPeriods,
} from '../../../nodes/core/period';
import { formatReference } from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/canonicalJournal';
import { nextStepForFault } from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/errors';
import { periodTypeFromCurrentPeriod } from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/operations';
import {
	escapeXml,
	nmbrsBaseUrl,
} from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/soapEnvelope';
import { readSoapXml } from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/soapReader';
import { readVismaErrorBody } from '../../../nodes/transport/errors';
import { checkCustomBaseUrl } from '../../../nodes/transport/customUrl';
import { batchNumberFromLocation, checkCustomUrl } from '../../../nodes/transport/request';
import { parseRetryAfter } from '../../../nodes/transport/retry';
import { smallJournal } from '../../helpers/journals';

const N = 100_000;
const BOUND_MS = 250;

function ms(run: () => unknown): number {
	const start = process.hrtime.bigint();
	run();
	return Number(process.hrtime.bigint() - start) / 1e6;
}

const slashes = '/'.repeat(N);
const NODE = {
	name: 'Node',
	type: 'test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
} as unknown as INode;

const CASES: ReadonlyArray<[string, () => unknown]> = [
	// `/\/+$/` (fixed: a run of slashes is tried from every one of its slashes)
	[
		'transport/request.ts batchNumberFromLocation /\\/+$/ (a Location header from the network)',
		() => batchNumberFromLocation(`/a${slashes}x`),
	],
	[
		'transport/request.ts checkCustomUrl /\\/+$/',
		() => {
			try {
				checkCustomUrl(`https://example.com/a${slashes}x`, 'API URL', NODE);
			} catch {
				/* refused is fine */
			}
		},
	],
	[
		'nmbrsSoap/soapEnvelope.ts nmbrsBaseUrl /\\/+$/',
		() => nmbrsBaseUrl('custom', `https://example.com/a${slashes}x`),
	],
	[
		'transport/customUrl.ts CUSTOM_URL_RULE host labels',
		() => checkCustomBaseUrl(`https://${'a.'.repeat(N / 2)}!`),
	],
	[
		'transport/customUrl.ts CUSTOM_URL_RULE digits',
		() => checkCustomBaseUrl(`https://${'1'.repeat(N)}`),
	],
	[
		'transport/customUrl.ts CUSTOM_URL_RULE within the 2,048 bound',
		() => {
			for (let i = 0; i < 50; i++)
				checkCustomBaseUrl(`https://${'a1.'.repeat(600)}/${'%'.repeat(200)}?`);
		},
	],
	// linear by construction; run anyway
	[
		'nmbrsSoap/operations.ts /-([0-9]*[A-Za-z]+)$/ digits',
		() => periodTypeFromCurrentPeriod(`-${'0'.repeat(N)}!`),
	],
	[
		'nmbrsSoap/operations.ts /-([0-9]*[A-Za-z]+)$/ letters and dashes',
		() => periodTypeFromCurrentPeriod(`${'-a'.repeat(N / 2)}!`),
	],
	['transport/retry.ts /^\\d+(\\.\\d+)?$/', () => parseRetryAfter(`${'1'.repeat(N)}x`)],
	[
		'transport/retry.ts /^\\d+(\\.\\d+)?$/ with a point',
		() => parseRetryAfter(`1.${'1'.repeat(N)}x`),
	],
	[
		'transport/errors.ts /^\\s*VismaId:\\s*([0-9a-fA-F-]{8,})\\.?\\s*/',
		() => readVismaErrorBody({ message: `${' '.repeat(N)}x` }),
	],
	[
		'transport/errors.ts VismaId with a long id',
		() => readVismaErrorBody({ message: `VismaId: ${'a'.repeat(N)}` }),
	],
	['nmbrsSoap/soapReader.ts an unterminated entity', () => readSoapXml(`<a>&${'a'.repeat(N)}</a>`)],
	['nmbrsSoap/soapReader.ts entity of hex digits', () => readSoapXml(`<a>&#x${'f'.repeat(N)}</a>`)],
	['nmbrsSoap/soapReader.ts many ampersands', () => readSoapXml(`<a>${'&a'.repeat(N / 2)}</a>`)],
	[
		'nmbrsSoap/canonicalJournal.ts /\\{(\\w+)(?::(\\d{1,2}))?\\}/g',
		() =>
			formatReference(
				`{${'a'.repeat(N)}`,
				{ id: 1, number: 1 } as never,
				{ year: 2026, period: 3 } as never,
			),
	],
	[
		'nmbrsSoap/canonicalJournal.ts many braces',
		() =>
			formatReference(
				'{a:1'.repeat(N / 4),
				{ id: 1, number: 1 } as never,
				{ year: 2026, period: 3 } as never,
			),
	],
	['nmbrsSoap/errors.ts fault keyword alternations /i', () => nextStepForFault('x'.repeat(N))],
	['nmbrsSoap/soapEnvelope.ts escapeXml (lone surrogates)', () => escapeXml('\uD800'.repeat(N))],
	[
		'core/mapDimensions.ts /\\s+/g (normalize)',
		() => {
			const json = smallJournal();
			json.lines[0].costCenter = { code: '100', description: `a${' \t'.repeat(499)}b` };
			const { journal } = parseJournal(json);
			mapLineDimensions(
				journal!,
				[
					{
						segmentId: 1,
						description: ` ${' '.repeat(N)}Kostenplaats`,
						length: 3,
						validate: true,
						values: [],
					},
				],
				{
					useCostCenters: true,
					costCenterDimension: `${' \t'.repeat(N / 2)}Kostenplaats`,
					useCostUnits: false,
					costUnitDimension: 'Kostendrager',
					matchValuesBy: 'description',
				},
			);
		},
	],
	[
		'core/period.ts /^(\\d{4})-(\\d{2})-(\\d{2})$/ and /^(\\d{4})-?(\\d{2})$/',
		() => {
			parseIsoDate('1'.repeat(N));
			parseFinancialPeriodText('1'.repeat(N));
		},
	],
	[
		'core/period.ts /^(\\d{4}-\\d{2}-\\d{2})(?:$|[T ])/ (Visma.net dates)',
		() =>
			financialPeriodOfDate('2026-03-31', [
				{
					year: 2026,
					period: 3,
					startDate: `2026-03-01${'T'.repeat(N)}`,
					endDate: `2026-03-31${' '.repeat(N)}`,
				},
			]),
	],
	[
		'core/nmbrsXml.ts dates and character references',
		() =>
			readNmbrsJournalXml(
				`<root><transaction><header><date>${'1'.repeat(N)}</date></header><lines><line><dim1>&#${'1'.repeat(N)};</dim1></line></lines></transaction></root>`,
			),
	],
	['core/nmbrsXml.ts /\\r\\n?/g', () => readNmbrsJournalXml(`<root>${'\r'.repeat(N)}</root>`)],
	['core/money.ts amount scan', () => parseAmount(`1.${'0'.repeat(N)}1`)],
	[
		'transport/errors.ts /^Error\\b[^:]{0,100}:\\s*\\S/ (Visma.net validation text)',
		() =>
			readVismaErrorBody({
				message: `VismaId: 6f0c1e52-9a3b-4d2e-8c7f-1a2b3c4d5e6f. Error${' '.repeat(N)}`,
			}),
	],
	[
		'core/buildJournalTransaction.ts vismaCodeKey /\\s+/g',
		() => vismaCodeKey(`a${' \t\u00a0'.repeat(N / 3)}b`),
	],
	[
		'core/period.ts FinancialPeriodDto.period forms',
		() =>
			readVismaFinancialPeriods([
				{ year: 2026, period: '1'.repeat(N), startDate: '2026-03-01', endDate: '2026-03-31' },
				{
					year: 2026,
					period: `2026${'-'.repeat(N)}03`,
					startDate: '2026-03-01',
					endDate: '2026-03-31',
				},
				{
					year: 2026,
					period: `${' '.repeat(N)}03-2026`,
					startDate: '2026-03-01',
					endDate: '2026-03-31',
				},
			]),
	],
	[
		'core/journal.ts /^[A-Z]{3}$/ (currency)',
		() => parseJournal({ ...smallJournal(), currency: 'E'.repeat(N) }),
	],
];

describe('every regular expression stays linear on 100,000 hostile characters', () => {
	it.each(CASES)('%s', (_name, run) => {
		run(); // warm up (compilation), then the best of two: the machine is shared
		expect(Math.min(ms(run), ms(run))).toBeLessThan(BOUND_MS);
	});

	it('the Visma.net credential expressions trim trailing slashes linearly', () => {
		const text = JSON.stringify(new VismaNetOAuth2Api());
		const sources = [...text.matchAll(/\.replace\(\/((?:[^/\\]|\\\\.)+)\/([a-z]*), /g)].map(
			(match) => [match[1].replace(/\\\\/g, '\\'), match[2]] as const,
		);
		expect(sources.length).toBeGreaterThanOrEqual(2);
		for (const [source, flags] of sources) {
			const regex = new RegExp(source, flags);
			expect('https://x.test///'.replace(regex, '')).toBe('https://x.test');
			expect(ms(() => `a${slashes}x`.replace(regex, ''))).toBeLessThan(BOUND_MS);
		}
	});
});
