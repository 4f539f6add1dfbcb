import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadSandboxData, parseSandboxData } from '../../../sandboxes/visma-net/data';
import { startSandbox } from '../../../sandboxes/visma-net/server';
import { call, journalBody, serviceToken } from './helpers';

describe('sandbox: state and data files', () => {
	let dir: string;

	beforeAll(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'visma-sandbox-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('keeps batches and numbering across a restart with a state file', async () => {
		const stateFile = path.join(dir, 'state.json');
		const first = await startSandbox({ port: 0, stateFile });
		const token = await serviceToken(first);
		await call(first, 'POST', '/v2/journaltransaction', { token, body: journalBody() });
		await call(first, 'POST', '/v2/journaltransaction/000001/action/release', { token });
		await first.close();
		expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({ version: 1 });

		const second = await startSandbox({ port: 0, stateFile });
		const again = await serviceToken(second);
		expect(
			(await call(second, 'GET', '/v2/journaltransaction/000001', { token: again })).body,
		).toMatchObject({ status: 'Posted', debitTotal: 5100.55 });
		const created = await call(second, 'POST', '/v2/journaltransaction', {
			token: again,
			body: journalBody(),
		});
		expect(created.headers.get('location')).toMatch(/\/000002$/);
		second.reset();
		expect(
			JSON.parse(readFileSync(stateFile, 'utf8')).tenants[second.demo.tenantId].batches,
		).toEqual([]);
		await second.close();
	});

	it('loads a company mirror and names every problem of a bad one', async () => {
		const data = loadSandboxData();
		const mirror = structuredClone(data);
		mirror.companies = [{ ...data.companies[0], name: 'Mijn Eigen BV' }];
		const sandbox = await startSandbox({ port: 0, data: parseSandboxData(mirror) });
		expect(sandbox.demo.companies).toEqual([
			{ tenantId: data.companies[0].tenantId, name: 'Mijn Eigen BV' },
		]);
		await sandbox.close();

		const broken = structuredClone(data) as unknown as { companies: Record<string, unknown>[] };
		broken.companies[0].currency = 'EURO';
		broken.companies[0].defaultLedger = 'X';
		expect(() => parseSandboxData(broken)).toThrow(/companies\.0\.currency/);
		const badLedger = structuredClone(data);
		badLedger.companies[0].defaultLedger = 'X';
		expect(() => parseSandboxData(badLedger)).toThrow(/default ledger X is not defined/);
	});
});
