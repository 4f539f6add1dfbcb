/**
 * Descriptions in the bookkeeper's own words: a template with `{placeholder}`s, filled per journal
 * part (the batch description) or per line. Unknown placeholders are refused before anything is
 * sent, naming them; `{{` and `}}` stand for a literal brace.
 */

export const DEFAULT_BATCH_DESCRIPTION_TEMPLATE = 'Loonjournaal {reference} {twk}{period}';
export const DEFAULT_LINE_DESCRIPTION_TEMPLATE = '{description}';

/** What a batch description may name. */
export const BATCH_PLACEHOLDERS = [
	'reference',
	'period',
	'twk',
	'twkPeriod',
	'bookedIn',
	'companyId',
	'companyName',
] as const;
/** What a line description may name: the batch's and the line's own. */
export const LINE_PLACEHOLDERS = [
	...BATCH_PLACEHOLDERS,
	'description',
	'account',
	'costCenter',
	'costUnit',
] as const;

const PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z]+)\}/g;

/** The placeholders a template uses that are not in `allowed`, in order, each once. */
export function unknownPlaceholders(template: string, allowed: readonly string[]): string[] {
	const unknown = new Set<string>();
	for (const match of template.matchAll(PLACEHOLDER)) {
		if (match[1] !== undefined && !allowed.includes(match[1])) unknown.add(match[1]);
	}
	return [...unknown];
}

/** The template with every placeholder replaced by its value (empty when it has none). */
export function renderTemplate(
	template: string,
	values: Readonly<Record<string, string | undefined>>,
): string {
	return template
		.replace(PLACEHOLDER, (token, name: string | undefined) =>
			token === '{{' ? '{' : token === '}}' ? '}' : (values[name as string] ?? ''),
		)
		.replace(/ {2,}/g, ' ')
		.trim();
}
