/**
 * The company mirror a sandbox serves: what `--data <file.json>` contains. It describes master data
 * only (clients, companies, chart of accounts, SUBACCOUNT segments, periods, ledgers, branches,
 * customers); batches live in the store. The format is documented in sandboxes/visma-net/README.md.
 */

export interface SandboxData {
	/** Visma Connect applications allowed to ask for tokens. */
	clients: ClientData[];
	/** Visma "customer" tenants: they get tokens, but the ERP API answers 401 with them. */
	customerTenants: CustomerTenantData[];
	/** One Visma.net ERP company (administration) per company tenant. */
	companies: CompanyData[];
}

export interface ClientData {
	clientId: string;
	/** Absent for a public client (PKCE required, no client secret). */
	clientSecret?: string;
	/** Registered redirect URIs; empty or absent accepts any http(s) URI (a dev convenience). */
	redirectUris?: string[];
	/** Tenants this client may get service tokens for; absent means every company tenant. */
	tenants?: string[];
	/**
	 * The scopes the application has in the Visma Developer Portal; absent means every known scope.
	 * Asking for any other scope is refused as IdentityServer refuses it: `invalid_scope` at the
	 * token endpoint (client credentials), an `invalid_scope` redirect at the authorize endpoint.
	 */
	scopes?: string[];
}

export interface CustomerTenantData {
	tenantId: string;
	name: string;
}

export interface CompanyData {
	tenantId: string;
	name: string;
	/** Base currency, e.g. EUR. */
	currency: string;
	/** Other currencies a batch may use (with an exchange rate). */
	currencies?: string[];
	/** GL preference "Automatically post on release": release gives Posted (true) or Unposted. */
	autoPostOnRelease: boolean;
	/**
	 * GL numbering sequence for batches: next number and its width ("000001"). `allowManualNumbering`
	 * is the series' *Allow manual numbering on imports* box (Number series, CS201010; default off):
	 * only with it ticked may a POST set its own `batchNumber` (`overrideNumberSeries`).
	 */
	batchNumbering: { start: number; width: number; prefix?: string; allowManualNumbering?: boolean };
	defaultLedger: string;
	defaultBranch: string;
	/** The year-to-date net income account: no manual journal entries allowed. */
	ytdNetIncomeAccount?: string;
	accounts: AccountData[];
	subaccount: SubaccountKeyData;
	financialPeriods: FinancialPeriodsData;
	ledgers: LedgerData[];
	branches: BranchData[];
	customers: CustomerData[];
	/**
	 * The Projects workspace, when the company uses it (Project accounting preferences, PM101000):
	 * every journal line then has a project, `nonProjectCode` on a line sent without one, and a
	 * line's project and task must exist (the sandbox's wording of those refusals).
	 */
	projects?: ProjectsData;
}

export interface ProjectsData {
	nonProjectCode: string;
	projects: ProjectData[];
}

export interface ProjectData {
	id: string;
	description: string;
	active: boolean;
	/** The ids of the project's tasks. */
	tasks: string[];
}

export type AccountType = 'Asset' | 'Liability' | 'Income' | 'Expense';

export interface AccountData {
	accountCD: string;
	description: string;
	type: AccountType;
	active: boolean;
	accountClass?: string;
	accountGroupCD?: string;
	/** AR, AP, CA, ... for control accounts; these refuse manual GL entries. */
	controlAccountModule?: string;
	/** Defaults to true unless the account is a control account. */
	allowManualEntry?: boolean;
	cashAccount?: boolean;
	publicCode1?: string;
}

export interface SubaccountKeyData {
	description: string;
	segments: SegmentData[];
}

export interface SegmentData {
	segmentId: number;
	description: string;
	length: number;
	/** When true only the listed values are accepted; otherwise any value up to `length` characters. */
	validate: boolean;
	values: SegmentValueData[];
}

export interface SegmentValueData {
	value: string;
	description: string;
	active: boolean;
}

/**
 * Financial periods are generated per year. A period list entry is `YYYY` (whole year), `YYYYPP`
 * (one period) or `YYYYPP-YYYYPP` (inclusive range).
 */
export interface FinancialPeriodsData {
	years: number[];
	/** 12 = calendar months; 13 = twelve 28-day periods and a thirteenth that ends 31 December. */
	periodsPerYear: 12 | 13;
	/** Closed in GL (and therefore in every subledger). */
	closedInGeneralLedger: string[];
	/** Defined but not active for posting. */
	inactive: string[];
}

export interface LedgerData {
	number: string;
	description: string;
	balanceType: 'Actual' | 'Report' | 'Statistical' | 'Budget';
	currencyId: string;
}

export interface BranchData {
	number: string;
	name: string;
	isMainBranch: boolean;
	isActive: boolean;
	ledger: string;
	corporateId?: string;
	vatRegistrationId?: string;
}

export interface CustomerData {
	number: string;
	name: string;
	status: 'Active' | 'OnHold' | 'CreditHold' | 'Inactive' | 'OneTime';
	currencyId: string;
	corporateId?: string;
	vatRegistrationId?: string;
	city?: string;
	postalCode?: string;
	addressLine1?: string;
	countryId?: string;
}
