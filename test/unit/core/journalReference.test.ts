/**
 * The run reference names the journal in every issue, and it is what the journal schema reads:
 * text (or a whole number) with the spaces around it trimmed. Issues found before the journal is
 * read (the XML input of Validate Journal, an item Post refuses unread) name it the same way as the validation's issues and
 * as Split and Post key on it (`journal.reference`, trimmed).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { parseJournal } from '../../../nodes/core/journal';
import { readPart } from '../../../nodes/core/journalPart';
import { validateJournal } from '../../../nodes/core/validateJournal';
import { readJournalInput } from '../../../nodes/shared/journalInput';

async function xmlMissingMessage(reference: string | number | undefined): Promise<string> {
	const input = await readJournalInput(
		{} as IExecuteFunctions,
		{ json: { reference, company: { id: '1' } } },
		0,
		{
			inputFormat: 'nmbrsXml',
			xmlSource: 'binary',
			xmlField: 'journalXml',
			binaryProperty: 'data',
		},
	);
	if (input.ok) throw new Error('expected an issue');
	return input.issues[0].message;
}

function validationMessage(reference: string | number | undefined): string {
	return validateJournal({ reference, company: { id: '1' }, lines: [] }).issues[0].message;
}

describe('the run reference that names a journal in issues', () => {
	it.each([
		['  R2026-03  ', 'Journal R2026-03:'],
		['R2026-03', 'Journal R2026-03:'],
		[202603, 'Journal 202603:'],
		['   ', 'Journal:'],
		[undefined, 'Journal:'],
	])(
		'%j is named as the journal schema reads it, before and after reading',
		async (reference, named) => {
			expect(await xmlMissingMessage(reference)).toMatch(new RegExp(`^${named}`));
			expect(validationMessage(reference)).toMatch(new RegExp(`^${named}`));
			expect(readPart({ reference, error: 'earlier' }, {}).issues[0].message).toMatch(
				new RegExp(`^${named}`),
			);
			expect(
				parseJournal({ reference, company: { id: '1' }, lines: [] }).issues[0].message,
			).toMatch(new RegExp(`^${named}`));
		},
	);

	it('is the reference the read journal carries (what Split and Post key on)', () => {
		const read = parseJournal({
			reference: '  R2026-03  ',
			company: { id: '1' },
			lines: [{ account: '4000', debit: '1.00' }],
		});
		expect(read.journal?.reference).toBe('R2026-03');
	});
});
