/**
 * Every JSON example in README.md passes Validate Journal (issue 14, item 6): each ```json or
 * ```jsonc block is read (comments removed), and every one that is a journal (it has `lines`)
 * goes through the Validate Journal node in n8n's engine and must leave by the Valid output.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { NODE_TYPES } from '../../../scripts/lib/harness/payrollFlow';
import {
	connectChain,
	harnessNode,
	PACKAGE_NAME,
	WorkflowHarness,
} from '../../../scripts/lib/harness/workflowHarness';

const README = path.resolve(__dirname, '..', '..', '..', 'README.md');

/** The ```json / ```jsonc blocks of a Markdown text, with their line numbers. */
export function jsonBlocks(markdown: string): Array<{ line: number; text: string }> {
	const blocks: Array<{ line: number; text: string }> = [];
	const pattern = /^```(json|jsonc)\s*\n([\s\S]*?)^```/gm;
	for (const match of markdown.matchAll(pattern)) {
		blocks.push({ line: markdown.slice(0, match.index).split('\n').length, text: match[2] });
	}
	return blocks;
}

/** JSON with comments (`// …` to the end of the line, outside strings) as JSON. */
export function stripJsonComments(text: string): string {
	return text.replace(/"(?:\\.|[^"\\])*"|\/\/[^\n]*/g, (token) =>
		token.startsWith('"') ? token : '',
	);
}

const blocks = jsonBlocks(fs.readFileSync(README, 'utf8'));

describe('README.md JSON examples', () => {
	it('has JSON examples, and every one is valid JSON once its comments are removed', () => {
		expect(blocks.length).toBeGreaterThan(0);
		for (const block of blocks)
			expect(() => JSON.parse(stripJsonComments(block.text))).not.toThrow();
	});

	it('every journal among them passes Validate Journal (Valid output, no errors)', async () => {
		const journals = blocks
			.map((block) => ({
				line: block.line,
				json: JSON.parse(stripJsonComments(block.text)) as IDataObject,
			}))
			.filter((block) => Array.isArray(block.json.lines));
		expect(journals.length).toBeGreaterThan(0);
		const harness = new WorkflowHarness({ nodeTypes: NODE_TYPES });
		const result = await harness.run({
			nodes: [
				harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
				harnessNode('Examples', 'n8n-nodes-base.code', {
					jsCode: `return ${JSON.stringify(journals.map((journal) => ({ json: journal.json })))};`,
				}),
				harnessNode('Validate Journal', `${PACKAGE_NAME}.vismaNetValidateJournal`, {
					inputFormat: 'canonical',
				}),
			],
			connections: connectChain('Start', 'Examples', 'Validate Journal'),
		});
		const refused = result
			.json('Validate Journal', 1)
			.map((json) => ({ reference: json.reference, errors: json.errors }));
		expect(refused).toEqual([]);
		expect(result.json('Validate Journal', 0)).toHaveLength(journals.length);
	});
});
