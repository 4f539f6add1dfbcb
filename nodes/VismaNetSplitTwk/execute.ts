import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import {
	BATCH_PLACEHOLDERS,
	DEFAULT_BATCH_DESCRIPTION_TEMPLATE,
	DEFAULT_LINE_DESCRIPTION_TEMPLATE,
	LINE_PLACEHOLDERS,
	renderTemplate,
	unknownPlaceholders,
} from '../core/descriptionTemplate';

import { writePart, writePartLine } from '../core/journalPart';
import { formatFinancialPeriod } from '../core/period';
import { splitJournal, type ClosedPeriodPolicy } from '../core/splitTwk';
import { calendarOptions } from '../shared/parameters';
import { ItemIssuesError, runPerItem } from '../shared/runPerItem';
import { companyIdOf, itemTenants, perTenant } from '../shared/tenants';
import { loadFinancialPeriods } from '../shared/vismaReference';

export async function executeSplitTwk(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const readPeriods = this.getNodeParameter('readPeriodsFromVismaNet', 0, false) as boolean;
	// Once per tenant per execution; with the credential's own tenant for every company (no
	// Administrations), before the items.
	const tenants = readPeriods ? await itemTenants(this) : undefined;
	const periodsOf = perTenant(
		async (tenant) =>
			await loadFinancialPeriods.call(
				(tenants as NonNullable<typeof tenants>).context(this, tenant),
			),
	);
	const ownPeriods =
		tenants && !tenants.filled ? await periodsOf({ tenantId: undefined, own: true }) : undefined;

	return await runPerItem.call(this, async (item, itemIndex) => {
		let financialPeriods = ownPeriods;
		if (tenants && !financialPeriods) {
			const resolution = tenants.resolve(companyIdOf(item.json), item.json.reference);
			if (!resolution.ok) throw new ItemIssuesError([resolution.issue]);
			financialPeriods = await periodsOf(resolution.tenant);
		}
		const closedPeriodPolicy = (
			readPeriods ? this.getNodeParameter('closedPeriodPolicy', itemIndex, 'fail') : 'fail'
		) as ClosedPeriodPolicy;
		const { parts, issues } = splitJournal(item.json, {
			...calendarOptions(this, itemIndex),
			closedPeriodPolicy,
			...(financialPeriods ? { financialPeriods } : {}),
		});
		if (issues.length > 0) throw new ItemIssuesError(issues);
		const batchTemplate = template(
			this,
			itemIndex,
			'batchDescription',
			DEFAULT_BATCH_DESCRIPTION_TEMPLATE,
			BATCH_PLACEHOLDERS,
		);
		const lineTemplate = template(
			this,
			itemIndex,
			'lineDescription',
			DEFAULT_LINE_DESCRIPTION_TEMPLATE,
			LINE_PLACEHOLDERS,
		);
		return parts.map((part, index) => {
			const concerns = formatFinancialPeriod(part.movedFrom ?? part.financialPeriod);
			const bookedIn = formatFinancialPeriod(part.financialPeriod);
			const values: Record<string, string | undefined> = {
				reference: part.journal.reference,
				period: concerns,
				twk: part.isTwk ? 'TWK ' : '',
				twkPeriod: part.isTwk ? concerns : '',
				bookedIn,
				companyId: part.journal.company.id,
				companyName: part.journal.company.name,
			};
			// A moved part always says where it came from, whatever the wording.
			const description =
				batchTemplate === undefined
					? part.description
					: `${renderTemplate(batchTemplate, values)}${part.movedFrom ? ` (periode gesloten, geboekt in ${bookedIn})` : ''}`;
			const lines = part.journal.lines.map((line) => writePartLine(line));
			if (lineTemplate !== undefined) {
				for (const line of lines) {
					const code = (value: unknown) =>
						value && typeof value === 'object'
							? String((value as IDataObject).code ?? '')
							: typeof value === 'string'
								? value
								: undefined;
					line.description = renderTemplate(lineTemplate, {
						...values,
						description: typeof line.description === 'string' ? line.description : '',
						account: String(line.account ?? ''),
						costCenter: code(line.costCenter),
						costUnit: code(line.costUnit),
					});
				}
			}
			return {
				json: writePart(
					item.json,
					part,
					{ number: index + 1, of: parts.length },
					{ description, lines },
				) as IDataObject,
			};
		});
	});
}

/** A description template of the Options, or undefined for the default wording (left as the core writes it). */
function template(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	fallback: string,
	allowed: readonly string[],
): string | undefined {
	const value = String(
		context.getNodeParameter(`options.${name}`, itemIndex, fallback) ?? '',
	).trim();
	if (value === '' || value === fallback) return undefined;
	const unknown = unknownPlaceholders(value, allowed);
	if (unknown.length > 0) {
		throw new NodeOperationError(
			context.getNode(),
			`The ${name === 'batchDescription' ? 'Batch' : 'Line'} Description uses ${unknown.map((placeholder) => `{${placeholder}}`).join(', ')}, which is not known`,
			{
				itemIndex,
				description: `Placeholders: ${allowed.map((placeholder) => `{${placeholder}}`).join(', ')}.`,
			},
		);
	}
	return value;
}
