import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { JOURNAL_FIELDS, toCanonicalHeaderJson, toCanonicalLineJson } from '../core/journal';
import {
	namesLineBranch,
	toleranceCents,
	validateJournal,
	type ValidationOptions,
} from '../core/validateJournal';
import { readJournalInput, type InputFormat, type XmlSource } from '../shared/journalInput';
import { calendarOptions } from '../shared/parameters';
import { runPerItem, toErrorJson, withoutKeys } from '../shared/runPerItem';
import { companyIdOf, itemTenants, perTenant } from '../shared/tenants';
import type { TenantChoice } from '../core/administrations';
import { loadAccountCatalog, loadBranches, loadFinancialPeriods } from '../shared/vismaReference';

const VALID = 0;
const INVALID = 1;
/** Fields a valid item's JSON gets from here: the journal's own, and the summary; errors are dropped. */
const WRITTEN_FIELDS = [...JOURNAL_FIELDS, 'errors', 'error', 'validation'];

export async function executeValidateJournal(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const checkInVismaNet = this.getNodeParameter('checkInVismaNet', 0, false) as boolean;
	// Visma.net's reference data is read once per tenant per execution, not per item. With the
	// credential's own tenant for every company (no Administrations), it is read before the items.
	const tenants = checkInVismaNet ? await itemTenants(this) : undefined;
	const reference = perTenant(async (tenant) => {
		const context = (tenants as NonNullable<typeof tenants>).context(this, tenant);
		return {
			catalog: await loadAccountCatalog.call(context),
			financialPeriods: await loadFinancialPeriods.call(context),
		};
	});
	const ownReference =
		tenants && !tenants.filled ? await reference({ tenantId: undefined, own: true }) : undefined;
	// Branches only for journals whose lines name one: most journals book in the batch's branch.
	const branchesOf = perTenant(async (tenant) =>
		loadBranches.call((tenants as NonNullable<typeof tenants>).context(this, tenant)),
	);

	return await runPerItem.call(
		this,
		async (item, itemIndex) => {
			const input = await readJournalInput(this, item, itemIndex, {
				inputFormat: this.getNodeParameter('inputFormat', itemIndex) as InputFormat,
				xmlSource: this.getNodeParameter('xmlSource', itemIndex, 'jsonField') as XmlSource,
				xmlField: this.getNodeParameter('xmlField', itemIndex, 'journalXml') as string,
				binaryProperty: this.getNodeParameter('binaryProperty', itemIndex, 'data') as string,
			});
			if (!input.ok)
				return [
					{
						output: INVALID,
						json: { errors: input.issues.map(toErrorJson), ...withoutKeys(item.json, ['errors']) },
					},
				];

			// The accounts and periods of the Visma.net company the item's company books in. A
			// journal without a company id is checked without them (it is refused for that anyway).
			let catalog: Awaited<ReturnType<typeof loadAccountCatalog>> | undefined;
			let financialPeriods: Awaited<ReturnType<typeof loadFinancialPeriods>> | undefined;
			let branches: Awaited<ReturnType<typeof loadBranches>> | undefined;
			if (tenants) {
				const companyId = companyIdOf(input.json);
				let known = ownReference;
				let tenant: TenantChoice | undefined = ownReference
					? { tenantId: undefined, own: true }
					: undefined;
				if (!known && companyId !== '') {
					const resolution = tenants.resolve(companyId, input.json.reference);
					if (!resolution.ok)
						return [
							{ output: INVALID, json: { ...item.json, errors: [toErrorJson(resolution.issue)] } },
						];
					tenant = resolution.tenant;
					known = await reference(resolution.tenant);
				}
				catalog = known?.catalog;
				financialPeriods = known?.financialPeriods;
				if (tenant && namesLineBranch(input.json)) branches = await branchesOf(tenant);
			}

			const roundingAccount = (
				this.getNodeParameter('roundingAccount', itemIndex, '') as string
			).trim();
			const options: ValidationOptions = {
				...calendarOptions(this, itemIndex),
				...(roundingAccount
					? {
							roundingAccount,
							roundingToleranceCents: toleranceCents(
								this.getNodeParameter('roundingTolerance', itemIndex) as number,
							),
						}
					: {}),
				...roundingDescriptionOption(
					this.getNodeParameter('options.roundingDescription', itemIndex, '') as string,
				),
				allowClosedPeriods: this.getNodeParameter(
					'options.allowClosedPeriods',
					itemIndex,
					false,
				) as boolean,
				...(catalog ? { accounts: catalog.accounts } : {}),
				...(branches ? { branches } : {}),
				...(financialPeriods ? { financialPeriods } : {}),
			};
			const result = validateJournal(input.json, options);
			if (!result.journal || !result.summary) {
				return [
					{
						output: INVALID,
						json: { errors: result.issues.map(toErrorJson), ...withoutKeys(item.json, ['errors']) },
					},
				];
			}
			const extra: IDataObject = {};
			for (const [key, value] of Object.entries(input.json))
				if (!WRITTEN_FIELDS.includes(key)) extra[key] = value;
			return [
				{
					output: VALID,
					json: {
						...extra,
						...toCanonicalHeaderJson(result.journal),
						lines: result.journal.lines.map(toCanonicalLineJson) as unknown as IDataObject[],
						validation: {
							...result.summary,
							periods: [...result.summary.periods],
							twkPeriods: [...result.summary.twkPeriods],
						},
					},
				},
			];
		},
		{ outputs: 2, errorOutput: INVALID },
	);
}

function roundingDescriptionOption(text: string): Pick<ValidationOptions, 'roundingDescription'> {
	return text.trim() ? { roundingDescription: text.trim() } : {};
}
