/**
 * What a bookkeeper sees in n8n for hostile input to Validate Journal: "1,000" on the Invalid
 * output with the reason, and a journal with 200,000 problems reported (capped) rather than
 * crashing the node.
 */
import type { IDataObject } from 'n8n-workflow';

import { MAX_ISSUES_PER_ITEM } from '../../../nodes/core/issues';
import { smallJournal } from '../../helpers/journals';
import { NODE_TYPES } from '../../../scripts/lib/harness/payrollFlow';
import {
	connectChain,
	harnessNode,
	PACKAGE_NAME,
	WorkflowHarness,
} from '../../../scripts/lib/harness/workflowHarness';

async function validate(journal: object): Promise<IDataObject[]> {
	const harness = new WorkflowHarness({ nodeTypes: NODE_TYPES, credentialTypes: [] });
	const result = await harness.run({
		nodes: [
			harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
			harnessNode('Journals', 'n8n-nodes-base.code', {
				jsCode: `return [{ json: ${JSON.stringify(journal)} }];`,
			}),
			harnessNode('Validate', `${PACKAGE_NAME}.vismaNetValidateJournal`, {}),
		],
		connections: connectChain('Start', 'Journals', 'Validate'),
	});
	expect(result.status).toBe('success');
	expect(result.nodes.Validate.outputs[0] ?? []).toEqual([]);
	return result.nodes.Validate.outputs[1].map((item) => item.json);
}

describe('Validate Journal on hostile input (through n8n’s engine)', () => {
	it('sends "1,000" to Invalid, saying it could mean 1000 or 1', async () => {
		const journal = smallJournal();
		journal.lines[0].debit = '1,000';
		journal.lines[1].credit = '1,000';
		const [item] = await validate(journal);
		const errors = item.errors as IDataObject[];
		expect(errors.map((error) => [error.code, error.path])).toEqual([
			['AMOUNT_AMBIGUOUS', 'lines[0].debit'],
			['AMOUNT_AMBIGUOUS', 'lines[1].credit'],
		]);
		expect(errors[0].message).toBe(
			'Journal R2026-04, line 1 (account 4000): debit "1,000" could mean 1000 (with "," as a thousands separator) or 1 (with "," as the decimal separator): write 1000.00 or 1.00. Export amounts without thousands separators and with two decimals, such as 1000.00.',
		);
	});

	it('reports 200,000 lines without a date as the first 1,000 and a count of the rest', async () => {
		const journal = smallJournal({
			lines: Array.from({ length: 200_000 }, (_, index) => ({
				account: '4000',
				[index % 2 ? 'debit' : 'credit']: '1.00',
			})),
		});
		delete journal.run;
		const [item] = await validate(journal);
		const errors = item.errors as IDataObject[];
		expect(errors).toHaveLength(MAX_ISSUES_PER_ITEM + 1);
		expect(errors[0]).toMatchObject({ code: 'FIELD_REQUIRED', path: 'lines[0].bookingDate' });
		expect(errors[MAX_ISSUES_PER_ITEM]).toMatchObject({ code: 'TOO_MANY_PROBLEMS' });
		expect(errors[MAX_ISSUES_PER_ITEM].message).toContain(
			'and 199,000 more problems (of these kinds: FIELD_REQUIRED 199,000×)',
		);
	});
});
