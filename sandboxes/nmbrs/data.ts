/**
 * Default data of the Nmbrs sandbox. The March 2026 run of Bakkerij De Vries BV carries the seed
 * journal: the amounts of test/fixtures/march-2026-with-twk.json (the canonical reference), with
 * the TWK over January and February as transactions of their own, dated at the end of the month
 * they concern, as Nmbrs exports them. Negative canonical amounts are written on the other side,
 * since Nmbrs' journal XML carries unsigned values.
 *
 * `testCompany` and `debtorBlocked` are what Nmbrs knows but its SOAP API does not expose
 * (Company and Debtor have no such fields): the sandbox never sends them; tests use them to set
 * the nodes' parameters, as a user would from what they see in Nmbrs.
 */

export type Side = 'debit' | 'credit';

export interface SandboxJournalLine {
	account: string;
	costCenter?: string;
	costUnit?: string;
	side: Side;
	/** Unsigned, two decimals. */
	value: string;
	description: string;
}

export interface SandboxTransaction {
	/** YYYYMMDD */
	date: string;
	description: string;
	lines: SandboxJournalLine[];
}

export interface SandboxRun {
	id: number;
	number: number;
	year: number;
	periodStart: number;
	periodEnd: number;
	description: string;
	/** xsd:dateTime */
	runAt: string;
	isLocked: boolean;
	journal: SandboxTransaction[];
}

export interface SandboxCodeDescription {
	id: number;
	code: string;
	description: string;
}

export interface SandboxCompany {
	id: number;
	number: number;
	name: string;
	/** LoonaangifteTijdvak: None | Month | Week4 | Month6 | Year */
	wageTaxPeriod: string;
	kvkNr?: string;
	debtorId: number;
	/** Not exposed by the API (see the file header). */
	testCompany: boolean;
	debtorBlocked: boolean;
	/** The Visma.net tenant this company books in (sandboxes/visma-net default data); documentation only. */
	vismaTenantId?: string;
	costCenters: SandboxCodeDescription[];
	costUnits: SandboxCodeDescription[];
	runs: SandboxRun[];
}

export interface NmbrsSandboxData {
	username: string;
	token: string;
	domain: string;
	companies: SandboxCompany[];
}

export const DEMO_USERNAME = 'salarisadministratie@vandijk.example';
export const DEMO_TOKEN = 'nmbrs-sandbox-token-3f9c2a71d8e44b6b';
export const DEMO_DOMAIN = 'vandijk';

const line = (
	account: string,
	side: Side,
	value: string,
	description: string,
	costCenter?: string,
	costUnit?: string,
): SandboxJournalLine => ({
	account,
	side,
	value,
	description,
	...(costCenter ? { costCenter } : {}),
	...(costUnit ? { costUnit } : {}),
});

/** The seed: March 2026 with TWK over January and February (= march-2026-with-twk.json). */
export function marchRunJournal(): SandboxTransaction[] {
	return [
		{
			date: '20260131',
			description: 'TWK januari 2026',
			lines: [
				line('4000', 'debit', '150.00', 'Bruto lonen TWK januari', '100'),
				line('1700', 'credit', '55.50', 'Loonheffingen TWK januari'),
				line('2100', 'credit', '94.50', 'Nettolonen TWK januari'),
			],
		},
		{
			date: '20260228',
			description: 'TWK februari 2026',
			lines: [
				line('4000', 'credit', '40.00', 'Bruto lonen TWK februari', '200'),
				line('1700', 'debit', '14.80', 'Loonheffingen TWK februari'),
				line('2100', 'debit', '25.20', 'Nettolonen TWK februari'),
			],
		},
		{
			date: '20260331',
			description: 'Maart 2026',
			lines: [
				line('4000', 'debit', '4250.00', 'Bruto lonen', '100', 'P001'),
				line('4000', 'debit', '2100.00', 'Bruto lonen', '200'),
				line('4050', 'debit', '1190.35', 'Sociale lasten werkgever', '100'),
				line('4010', 'debit', '508.00', 'Vakantiegeld', '100'),
				line('1700', 'credit', '2315.20', 'Loonheffingen'),
				line('1830', 'credit', '508.00', 'Reservering vakantiegeld'),
				line('2100', 'credit', '5225.15', 'Nettolonen te betalen'),
			],
		},
	];
}

/**
 * Schoonmaakbedrijf Bakker BV's March 2026 run, with a TWK correction over January: the amounts
 * of the Bakker journal of test/workflow/administrations.workflow.test.ts. Its Visma.net company
 * (tenant …5e03) has cost centres K100 and K200 and a year of 13 four-weekly periods, so with
 * periods read from Visma.net the March lines (dated 31 March) book in 202604 and the January TWK
 * (31 January) in 202602.
 */
export function bakkerMarchRunJournal(): SandboxTransaction[] {
	return [
		{
			date: '20260131',
			description: 'TWK januari 2026',
			lines: [
				line('4000', 'debit', '60.00', 'Bruto lonen TWK januari', 'K200'),
				line('2100', 'credit', '60.00', 'Nettolonen TWK januari'),
			],
		},
		{
			date: '20260331',
			description: 'Maart 2026',
			lines: [
				line('4000', 'debit', '1800.00', 'Bruto lonen', 'K100'),
				line('1700', 'credit', '500.00', 'Loonheffingen'),
				line('2100', 'credit', '1300.00', 'Nettolonen te betalen'),
			],
		},
	];
}

/** A small balanced one-period journal. */
export function simpleJournal(
	date: string,
	description: string,
	grossText: string,
	taxText: string,
	netText: string,
): SandboxTransaction[] {
	return [
		{
			date,
			description,
			lines: [
				line('4000', 'debit', grossText, 'Bruto lonen', '100'),
				line('1700', 'credit', taxText, 'Loonheffingen'),
				line('2100', 'credit', netText, 'Nettolonen te betalen'),
			],
		},
	];
}

export function defaultNmbrsData(): NmbrsSandboxData {
	return {
		username: DEMO_USERNAME,
		token: DEMO_TOKEN,
		domain: DEMO_DOMAIN,
		companies: [
			{
				id: 1234,
				number: 1,
				name: 'Bakkerij De Vries BV',
				wageTaxPeriod: 'Month',
				kvkNr: '34123456',
				debtorId: 501,
				testCompany: false,
				debtorBlocked: false,
				vismaTenantId: '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e01',
				costCenters: [
					{ id: 11, code: '100', description: 'Productie' },
					{ id: 12, code: '200', description: 'Verkoop' },
				],
				costUnits: [{ id: 21, code: 'P001', description: 'Brood' }],
				runs: [
					{
						id: 88121,
						number: 3,
						year: 2026,
						periodStart: 3,
						periodEnd: 3,
						description: 'Maart 2026',
						runAt: '2026-03-25T10:15:00',
						isLocked: true,
						journal: marchRunJournal(),
					},
					{
						id: 88131,
						number: 4,
						year: 2026,
						periodStart: 4,
						periodEnd: 4,
						description: 'April 2026',
						runAt: '2026-04-24T09:30:00',
						isLocked: false,
						journal: simpleJournal('20260430', 'April 2026', '6350.00', '2300.00', '4050.00'),
					},
				],
			},
			{
				id: 1235,
				number: 2,
				name: 'Testbedrijf De Vries (oefenomgeving)',
				wageTaxPeriod: 'Month',
				debtorId: 501,
				testCompany: true,
				debtorBlocked: false,
				costCenters: [{ id: 31, code: '100', description: 'Productie' }],
				costUnits: [],
				runs: [
					{
						id: 88221,
						number: 3,
						year: 2026,
						periodStart: 3,
						periodEnd: 3,
						description: 'Maart 2026 (test)',
						runAt: '2026-03-25T11:00:00',
						isLocked: true,
						journal: simpleJournal('20260331', 'Maart 2026', '1000.00', '300.00', '700.00'),
					},
				],
			},
			{
				id: 1236,
				number: 3,
				name: 'Kapsalon Smit BV',
				wageTaxPeriod: 'Month',
				debtorId: 502,
				testCompany: false,
				debtorBlocked: true,
				costCenters: [{ id: 41, code: '100', description: 'Salon' }],
				costUnits: [],
				runs: [
					{
						id: 88321,
						number: 3,
						year: 2026,
						periodStart: 3,
						periodEnd: 3,
						description: 'Maart 2026',
						runAt: '2026-03-26T08:00:00',
						isLocked: true,
						journal: simpleJournal('20260331', 'Maart 2026', '2400.00', '600.00', '1800.00'),
					},
				],
			},
			{
				id: 2345,
				number: 4,
				name: 'Installatiebedrijf Jansen BV',
				wageTaxPeriod: 'Week4',
				kvkNr: '56123789',
				debtorId: 503,
				testCompany: false,
				debtorBlocked: false,
				vismaTenantId: '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e02',
				costCenters: [{ id: 51, code: '100', description: 'Montage' }],
				costUnits: [],
				runs: [
					{
						id: 89003,
						number: 3,
						year: 2026,
						periodStart: 3,
						periodEnd: 3,
						description: 'Periode 3 2026',
						runAt: '2026-03-18T14:00:00',
						isLocked: true,
						journal: simpleJournal('20260322', 'Periode 3 2026', '9600.00', '3100.00', '6500.00'),
					},
				],
			},
			{
				id: 9012,
				number: 5,
				name: 'Schoonmaakbedrijf Bakker BV',
				wageTaxPeriod: 'Month',
				kvkNr: '78123456',
				debtorId: 504,
				testCompany: false,
				debtorBlocked: false,
				vismaTenantId: '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e03',
				costCenters: [
					{ id: 61, code: 'K100', description: 'Kantoren' },
					{ id: 62, code: 'K200', description: 'Zorginstellingen' },
				],
				costUnits: [],
				runs: [
					{
						id: 66003,
						number: 3,
						year: 2026,
						periodStart: 3,
						periodEnd: 3,
						description: 'Maart 2026',
						runAt: '2026-03-20T09:00:00',
						isLocked: true,
						journal: bakkerMarchRunJournal(),
					},
				],
			},
		],
	};
}
