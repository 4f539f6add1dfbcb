import {
	credentialAdministrations,
	readAdministrations,
	resolveTenant,
} from '../../../nodes/core/administrations';

const OWN = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e01';
const JANSEN = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e02';
const BAKKER = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e03';
const list = readAdministrations({
	administration: [
		{ companyId: ' 1234 ', tenantId: OWN, name: 'Bakkerij De Vries BV' },
		{ companyId: '5678', tenantId: JANSEN, name: 'Installatiebedrijf Jansen BV' },
		{ companyId: '9012', tenantId: BAKKER },
		{ companyId: '', tenantId: 'ignored' },
	],
});

describe('administrations: the one rule for the tenant of an item', () => {
	it('reads the fixed collection of the credential (trimmed, rows without company left out); only the Service API has it', () => {
		expect(list).toEqual([
			{ companyId: '1234', tenantId: OWN, name: 'Bakkerij De Vries BV' },
			{ companyId: '5678', tenantId: JANSEN, name: 'Installatiebedrijf Jansen BV' },
			{ companyId: '9012', tenantId: BAKKER },
		]);
		expect(readAdministrations(undefined)).toEqual([]);
		expect(readAdministrations({ administration: 'x' })).toEqual([]);
		const administrations = { administration: [{ companyId: '1', tenantId: 'T' }] };
		expect(
			credentialAdministrations({ grantType: 'clientCredentials', administrations }),
		).toHaveLength(1);
		expect(credentialAdministrations({ administrations })).toHaveLength(1);
		expect(credentialAdministrations({ grantType: 'pkce', administrations })).toEqual([]);
	});

	it("empty list: the credential's own tenant for every company (as before)", () => {
		for (const company of ['1234', '5678', 'anything', '']) {
			expect(
				resolveTenant(company, 'R1', { administrations: [], credentialTenantId: OWN }),
			).toEqual({ ok: true, tenant: { tenantId: OWN, own: true } });
		}
	});

	it('filled list: the mapped tenant; the credential\'s own tenant is "own" (n8n\'s token), any other is not', () => {
		expect(resolveTenant('5678', 'R1', { administrations: list, credentialTenantId: OWN })).toEqual(
			{ ok: true, tenant: { tenantId: JANSEN, own: false, name: 'Installatiebedrijf Jansen BV' } },
		);
		expect(
			resolveTenant('1234', 'R1', { administrations: list, credentialTenantId: OWN.toUpperCase() }),
		).toMatchObject({ ok: true, tenant: { tenantId: OWN, own: true } });
		expect(resolveTenant('9012', 'R1', { administrations: list, credentialTenantId: OWN })).toEqual(
			{ ok: true, tenant: { tenantId: BAKKER, own: false } },
		);
	});

	it('filled list: a company not in it is refused, naming the known companies and what to do', () => {
		const resolution = resolveTenant('4444', 'R2026-03', {
			administrations: list,
			credentialTenantId: OWN,
		});
		expect(resolution.ok).toBe(false);
		if (resolution.ok) return;
		expect(resolution.issue).toMatchObject({
			code: 'ADMINISTRATION_UNKNOWN',
			path: 'company.id',
			value: '"4444"',
		});
		expect(resolution.issue.message).toMatch(
			/^Journal R2026-03: payroll company 4444 is not in the Administrations of the Visma\.net credential \(known: 1234 \(Bakkerij De Vries BV\), 5678 \(Installatiebedrijf Jansen BV\), 9012\)[\s\S]*Nothing was sent for it\. Add company 4444 to Administrations in the Visma\.net credential with the company tenant id/,
		);
	});

	it('a long list is named in part', () => {
		const many = readAdministrations({
			administration: Array.from({ length: 45 }, (_, index) => ({
				companyId: String(index + 1),
				tenantId: `T${index}`,
			})),
		});
		const resolution = resolveTenant('999', 'R', {
			administrations: many,
			credentialTenantId: OWN,
		});
		expect(!resolution.ok && resolution.issue.message).toMatch(
			/known: 1, 2, [\d, ]*20 and 25 more\)/,
		);
	});

	it('a listed company without a tenant id is refused', () => {
		const resolution = resolveTenant('1', 'R', {
			administrations: readAdministrations({ administration: [{ companyId: '1', tenantId: ' ' }] }),
			credentialTenantId: OWN,
		});
		expect(!resolution.ok && resolution.issue).toMatchObject({
			code: 'ADMINISTRATION_UNKNOWN',
			message: expect.stringMatching(/without a tenant id/),
		});
	});

	it("Post's older node-level table must agree with where the company resolves to", () => {
		const nodeTable = readAdministrations({
			administration: [
				{ companyId: '1234', tenantId: OWN },
				{ companyId: '5678', tenantId: JANSEN },
			],
		});
		// Empty credential list: as before, a company mapped to another tenant than the credential's is refused.
		const before = resolveTenant('5678', 'R', {
			administrations: [],
			credentialTenantId: OWN,
			nodeAdministrations: nodeTable,
		});
		expect(!before.ok && before.issue).toMatchObject({
			code: 'ADMINISTRATION_MISMATCH',
			message: expect.stringMatching(
				/books in Visma\.net tenant .*5e02, but this node's credential is for tenant .*5e01\. Nothing was sent\./,
			),
		});
		expect(
			resolveTenant('1234', 'R', {
				administrations: [],
				credentialTenantId: OWN,
				nodeAdministrations: nodeTable,
			}).ok,
		).toBe(true);
		expect(
			resolveTenant('9012', 'R', {
				administrations: [],
				credentialTenantId: OWN,
				nodeAdministrations: nodeTable,
			}),
		).toMatchObject({ ok: false, issue: { code: 'ADMINISTRATION_MISMATCH' } });
		// Filled credential list: the node table agrees, or the item is refused.
		expect(
			resolveTenant('5678', 'R', {
				administrations: list,
				credentialTenantId: OWN,
				nodeAdministrations: nodeTable,
			}),
		).toMatchObject({ ok: true, tenant: { tenantId: JANSEN } });
		const disagree = resolveTenant('5678', 'R', {
			administrations: list,
			credentialTenantId: OWN,
			nodeAdministrations: readAdministrations({
				administration: [{ companyId: '5678', tenantId: BAKKER }],
			}),
		});
		expect(!disagree.ok && disagree.issue.message).toMatch(
			/the credential's Administrations map it to tenant .*5e02/,
		);
	});
});
