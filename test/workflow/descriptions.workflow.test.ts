/**
 * Descriptions in the bookkeeper's own words (issue 14, "own wording"): Split TWK by Period's
 * options Batch Description and Line Description are templates, filled per part and per line, sent
 * by Post to the Visma.net sandbox after the tag; another wording never posts a journal twice.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	DEFAULT_BATCH_DESCRIPTION_TEMPLATE,
	renderTemplate,
	unknownPlaceholders,
} from '../../nodes/core/descriptionTemplate';
import { marchRunWithTwk } from '../helpers/journals';
import { batchesOf } from '../../scripts/lib/harness/payrollFlow';
import { usePayrollFlow } from '../helpers/usePayrollFlow';
import { useVismaSandbox } from '../helpers/sandboxes';

const sandbox = useVismaSandbox();
const flow = usePayrollFlow(sandbox);

/** The human text of a batch description: what follows the tag. */
const human = (description: unknown) => String(description).replace(/^\[vnp:[^\]]*\] /, '');

describe('description templates', () => {
	it('renders placeholders, {{ and }} as braces, and no double spaces from empty ones', () => {
		expect(
			renderTemplate(DEFAULT_BATCH_DESCRIPTION_TEMPLATE, {
				reference: 'R2026-03',
				twk: '',
				period: '2026-03',
			}),
		).toBe('Loonjournaal R2026-03 2026-03');
		expect(renderTemplate('{{x}} {a}  {b} {c}', { a: 'A', b: '', c: 'C' })).toBe('{x} A C');
		expect(unknownPlaceholders('{reference} {jaar} {jaar} {{x}}', ['reference'])).toEqual(['jaar']);
	});

	it('books batches and lines in the configured wording; the default wording is unchanged', async () => {
		await flow.run([marchRunWithTwk()], {
			split: {
				options: {
					batchDescription: 'Salarissen {companyName} {reference} {twk}{period}',
					lineDescription: '{description} ({reference}{twkPeriod})',
				},
			},
		});
		const batches = batchesOf(sandbox);
		expect(batches.map((batch) => human(batch.description))).toEqual([
			'Salarissen Bakkerij De Vries BV R2026-03 TWK 2026-01',
			'Salarissen Bakkerij De Vries BV R2026-03 TWK 2026-02',
			'Salarissen Bakkerij De Vries BV R2026-03 2026-03',
		]);
		const march = batches[2].journalTransactionLines ?? [];
		expect(march.map((line) => (line as IDataObject).transactionDescription)).toContain(
			'Bruto lonen (R2026-03)',
		);
		const january = batches[0].journalTransactionLines ?? [];
		expect(String((january[0] as IDataObject).transactionDescription)).toMatch(
			/ \(R2026-032026-01\)$/,
		);

		// Another wording is the same journal: a rerun posts nothing.
		const rerun = await flow.run([marchRunWithTwk()]);
		expect(
			rerun.json('Post Journal Transaction').map((json) => (json.visma as IDataObject).status),
		).toEqual(['alreadyPosted', 'alreadyPosted', 'alreadyPosted']);
	});

	it('the default wording stays "Loonjournaal R2026-03 TWK 2026-01"', async () => {
		await flow.run([marchRunWithTwk()]);
		expect(batchesOf(sandbox).map((batch) => human(batch.description))).toEqual([
			'Loonjournaal R2026-03 TWK 2026-01',
			'Loonjournaal R2026-03 TWK 2026-02',
			'Loonjournaal R2026-03 2026-03',
		]);
	});

	it('refuses an unknown placeholder, naming it and the known ones, and posts nothing', async () => {
		const result = await flow.run([marchRunWithTwk()], {
			split: { options: { batchDescription: 'Loon {jaar}' } },
		});
		expect(result.nodes['Split TWK by Period'].error?.message).toMatch(
			/Batch Description uses \{jaar\}, which is not known/,
		);
		expect(result.nodes['Split TWK by Period'].error?.description).toMatch(/\{reference\}/);
		expect(batchesOf(sandbox)).toHaveLength(0);
	});
});
