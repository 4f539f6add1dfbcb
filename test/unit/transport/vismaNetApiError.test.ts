/**
 * A Visma.net failure is one error class (issue 15): `VismaNetApiError`, an n8n `NodeApiError`
 * that n8n still tells by its name, with what the package decides on as typed fields rather than
 * flags in its `context`.
 */
import { NodeApiError, type INode } from 'n8n-workflow';

import {
	isOutcomeUnknown,
	isRefusedWithVismaText,
	toNodeApiError,
	VismaNetApiError,
	type FailureContext,
} from '../../../nodes/transport/errors';
import { harnessNode } from '../../../scripts/lib/harness/harnessNode';

const NODE: INode = harnessNode(
	'Post Journal Transaction',
	'n8n-nodes-visma-net-payroll.vismaNetPostJournal',
	{},
	{ id: '1' },
);
const POST: FailureContext = {
	operation: 'posting journal R2026-03 for 2026-03',
	method: 'POST',
	path: '/v2/journaltransaction',
	attempts: 1,
};
const VISMA_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('VismaNetApiError', () => {
	it('is an n8n NodeApiError by class and by name (n8n rethrows and stores node errors by name)', () => {
		const error = toNodeApiError(NODE, { kind: 'final', statusCode: 400, body: {} }, POST);
		expect(error).toBeInstanceOf(VismaNetApiError);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.name).toBe('NodeApiError');
		expect((error.toJSON!() as { name: string }).name).toBe('NodeApiError');
		// Re-wrapping hands back the same error (what runPerItem's removed re-wrap did).
		expect(new NodeApiError(NODE, error as never)).toBe(error);
	});

	it('a refusal: outcome known, its VismaId typed and in the context, no flags in the context', () => {
		const error = toNodeApiError(
			NODE,
			{ kind: 'final', statusCode: 400, body: { message: 'Error: x', vismaId: VISMA_ID } },
			POST,
		);
		expect(error.vismaId).toBe(VISMA_ID);
		expect(error.outcomeUnknown).toBe(false);
		expect(error.refusedWithVismaText).toBe(false);
		expect(isOutcomeUnknown(error)).toBe(false);
		expect(error.context.vismaId).toBe(VISMA_ID);
		expect(Object.keys(error.context).filter((key) => key.startsWith('vismaNet'))).toEqual([]);
	});

	it('a timeout of a POST: outcome unknown', () => {
		const error = toNodeApiError(NODE, { kind: 'outcomeUnknown', networkCode: 'ETIMEDOUT' }, POST);
		expect(error.outcomeUnknown).toBe(true);
		expect(isOutcomeUnknown(error)).toBe(true);
		expect(error.vismaId).toBeUndefined();
	});

	it('a 5xx with Visma.net’s own validation text: refused with its text, outcome unknown', () => {
		const error = toNodeApiError(
			NODE,
			{
				kind: 'outcomeUnknown',
				statusCode: 500,
				body: {
					message: 'Error creating document. Error: x',
					vismaId: VISMA_ID,
					validationText: true,
				},
			},
			POST,
		);
		expect(error.refusedWithVismaText).toBe(true);
		expect(isRefusedWithVismaText(error)).toBe(true);
		expect(isOutcomeUnknown(error)).toBe(true);
	});

	it('another error is neither', () => {
		const plain = new NodeApiError(NODE, { message: 'x' });
		expect(isOutcomeUnknown(plain)).toBe(false);
		expect(isRefusedWithVismaText(plain)).toBe(false);
	});
});
