/**
 * Visma.net's model (nodes/core/vismaNetModel.ts) against Visma's own OpenAPI document
 * (test/fixtures/visma-net/openapi-gl-subset.json): every endpoint the package calls is a path
 * and method of it, every field of every DTO declared in the model is a property of the schema it
 * names, and every field of the bodies the package builds is one the schema knows (the schema
 * accepts unknown properties, so a misspelt field would otherwise pass its validator).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import ts from 'typescript';

import { partKey, type PostingPart } from '../../../nodes/core/buildJournalTransaction';
import {
	buildDifferenceTransaction,
	buildJournalTransaction,
	offHoldBody,
	readPostedBatch,
	standDownBody,
	VISMA_NET_API_URL,
	VISMA_NET_ENDPOINTS,
	withDerivedBatchNumber,
} from '../../../nodes/core/vismaNetModel';

const ROOT = path.resolve(__dirname, '../../..');
const MODEL_FILE = path.join(ROOT, 'nodes/core/vismaNetModel.ts');

interface OpenApi {
	servers: Array<{ url: string }>;
	paths: Record<string, Record<string, unknown>>;
	components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}
const openapi = JSON.parse(
	readFileSync(path.join(ROOT, 'test/fixtures/visma-net/openapi-gl-subset.json'), 'utf8'),
) as OpenApi;

function schemaFields(name: string): string[] {
	const schema = openapi.components.schemas[name];
	if (!schema) throw new Error(`no schema ${name} in Visma's OpenAPI document`);
	return Object.keys(schema.properties ?? {});
}

/** Each DTO of the model and the schema of Visma's document it stands for. */
const SCHEMA_OF: Record<string, string> = {
	PageMetadata: 'MetadataDto',
	AccountDto: 'AccountDto',
	SegmentValueDto: 'DtoSegmentValue',
	DimensionSegmentDto: 'DtoSegment',
	DimensionDto: 'DtoDimension',
	FinancialPeriodDto: 'FinancialPeriodDto',
	LedgerDto: 'LedgerDto',
	BranchLedgerDto: 'ledgerInBranchDto',
	BranchDto: 'BranchDto',
	LineSegmentDto: 'SegmentDto',
	LineSubaccountDto: 'subaccountInJournalTransactionLineDto',
	LineProjectDto: 'projectInJournalTransactionLineDto',
	JournalTransactionLineDto: 'JournalTransactionLineDto',
	JournalTransactionDto: 'JournalTransactionDto',
	ReleaseResultDto: 'ReleaseJournalTransactionActionResultDto',
	DtoValue: 'DtoValueOfString',
	SegmentUpdateDto: 'SegmentUpdateDto',
	JournalTransactionLineUpdateDto: 'JournalTransactionLineUpdateDto',
	JournalTransactionUpdateDto: 'JournalTransactionUpdateDto',
};

/** The exported interfaces and object type aliases of the model, with their field names. */
function declaredDtos(): Map<string, string[]> {
	const source = ts.createSourceFile(
		MODEL_FILE,
		readFileSync(MODEL_FILE, 'utf8'),
		ts.ScriptTarget.ES2022,
		true,
	);
	const found = new Map<string, string[]>();
	const exported = (node: ts.Node) =>
		ts.canHaveModifiers(node) &&
		(ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
	const names = (members: ts.NodeArray<ts.TypeElement>) =>
		members.filter(ts.isPropertySignature).map((member) => member.name.getText(source));
	source.forEachChild((node) => {
		if (!exported(node)) return;
		if (ts.isInterfaceDeclaration(node)) found.set(node.name.text, names(node.members));
		if (ts.isTypeAliasDeclaration(node) && ts.isTypeLiteralNode(node.type))
			found.set(node.name.text, names(node.type.members));
	});
	return found;
}

/** A part of two lines, each with one SUBACCOUNT segment. */
const PART: PostingPart = {
	companyId: '5678',
	reference: 'R2026-04',
	currency: 'EUR',
	financialPeriod: { year: 2026, period: 4 },
	transactionDate: '2026-04-30',
	description: 'Loonjournaal april',
	lines: (
		[
			['4000', 150000n, 0n, '100'],
			['2100', 0n, 150000n, '000'],
		] as const
	).map(([account, debitCents, creditCents, segmentValue]) => ({
		account,
		description: `Rekening ${account}`,
		debitCents,
		creditCents,
		subaccount: [{ segmentId: 1, segmentValue }],
	})),
};

describe("Visma.net's model against Visma's OpenAPI document", () => {
	it('the production API is the server the document names', () => {
		expect(openapi.servers.map((server) => server.url)).toContain(VISMA_NET_API_URL);
	});

	it.each([
		['journalTransactions', VISMA_NET_ENDPOINTS.journalTransactions, ['get', 'post']],
		['journalTransaction', VISMA_NET_ENDPOINTS.journalTransaction('GL/7 X'), ['get', 'put']],
		[
			'releaseJournalTransaction',
			VISMA_NET_ENDPOINTS.releaseJournalTransaction('000123'),
			['post'],
		],
		['accounts', VISMA_NET_ENDPOINTS.accounts, ['get']],
		['subaccountDimension', VISMA_NET_ENDPOINTS.subaccountDimension, ['get']],
		['financialPeriods', VISMA_NET_ENDPOINTS.financialPeriods, ['get']],
		['ledgers', VISMA_NET_ENDPOINTS.ledgers, ['get']],
		['branches', VISMA_NET_ENDPOINTS.branches, ['get']],
	])('endpoint %s (%s) is a path of the document, with %p', (_name, called, methods) => {
		const matching = Object.keys(openapi.paths).filter((template) =>
			new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(called),
		);
		// The most literal template wins (`/v1/dimension/{dimensionId}` for SUBACCOUNT).
		expect(matching.length).toBeGreaterThan(0);
		const [template] = matching.sort(
			(a, b) => a.split('{').length - b.split('{').length || b.length - a.length,
		);
		for (const method of methods) expect(Object.keys(openapi.paths[template])).toContain(method);
	});

	it('every DTO the model declares names a schema of the document', () => {
		const dtos = [...declaredDtos().keys()].filter((name) => /Dto$|^PageMetadata$/.test(name));
		expect(dtos.length).toBeGreaterThan(10);
		expect(dtos.filter((name) => SCHEMA_OF[name] === undefined)).toEqual([]);
	});

	it.each(Object.entries(SCHEMA_OF))('every field of %s is a property of %s', (ours, schema) => {
		const fields = declaredDtos().get(ours);
		expect(fields).toBeDefined();
		const known = schemaFields(schema);
		expect(fields!.filter((field) => !known.includes(field))).toEqual([]);
	});

	it('every field of the bodies sent is one the document knows', () => {
		const key = partKey(PART);
		const body = withDerivedBatchNumber(
			buildJournalTransaction(PART, { hold: true, ledger: 'L', branch: '1' }, key),
			key.identity,
			0,
		);
		const difference = buildDifferenceTransaction(
			PART,
			key.nets,
			{ hold: false, branch: '1' },
			key,
			['000001'],
			1,
		);
		const batch = readPostedBatch({ batchNumber: '000001', description: 'x' })!;
		const header = schemaFields('JournalTransactionUpdateDto');
		const line = schemaFields('JournalTransactionLineUpdateDto');
		const segment = schemaFields('SegmentUpdateDto');
		for (const sent of [body, difference, standDownBody(batch, batch), offHoldBody()]) {
			expect(Object.keys(sent).filter((field) => !header.includes(field))).toEqual([]);
		}
		for (const sentLine of [
			...body.journalTransactionLines,
			...difference.journalTransactionLines,
		]) {
			expect(Object.keys(sentLine).filter((field) => !line.includes(field))).toEqual([]);
			for (const sentSegment of sentLine.subaccount ?? [])
				expect(Object.keys(sentSegment).filter((field) => !segment.includes(field))).toEqual([]);
		}
		expect(body.journalTransactionLines[0].subaccount).toHaveLength(1);
	});
});
