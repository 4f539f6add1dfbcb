/**
 * The package's node and credential classes from their TypeScript sources, for code that runs
 * both under jest and under tsx (the fault suite script and its child process).
 *
 * Why not `NODE_TYPES` from payrollFlow.ts: under tsx, `import … from './X.node'` resolves to the
 * codex file `X.node.json` beside `X.node.ts` (Node's resolver tries `.json` before tsx tries
 * `.ts`), so the imported classes are `undefined`. Requiring the `.ts` file by its full name works
 * in both runners.
 */
import path from 'node:path';

import type { FlowTypes } from '../../scripts/lib/harness/payrollFlow';

const ROOT = path.resolve(__dirname, '..', '..');

const NODE_FILES = [
	'nodes/VismaNetValidateJournal/VismaNetValidateJournal.node.ts',
	'nodes/VismaNetSplitTwk/VismaNetSplitTwk.node.ts',
	'nodes/VismaNetMapDimensions/VismaNetMapDimensions.node.ts',
	'nodes/VismaNetPostJournal/VismaNetPostJournal.node.ts',
];
const CREDENTIAL_FILE = 'credentials/VismaNetOAuth2Api.credentials.ts';

/* eslint-disable @typescript-eslint/no-require-imports */
function firstExport(file: string): unknown {
	const loaded = require(path.join(ROOT, file)) as Record<string, unknown>;
	const found = Object.values(loaded).find((value) => typeof value === 'function');
	if (!found) throw new Error(`${file} exports no class`);
	return found;
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** The four nodes and the Visma.net credential, as classes, from the sources. */
export function sourceFlowTypes(): FlowTypes {
	return {
		nodeTypes: NODE_FILES.map(firstExport) as FlowTypes['nodeTypes'],
		credentialTypes: [firstExport(CREDENTIAL_FILE)] as FlowTypes['credentialTypes'],
	};
}
