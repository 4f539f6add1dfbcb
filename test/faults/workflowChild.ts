/**
 * A separate n8n process for the fault suite's "process killed" fault: it loads n8n and the
 * nodes, says `ready`, runs the chain on the journals the parent sends (`go`), and reports the
 * tokens n8n stored as soon as it has them (so the parent can scan for them after killing it).
 * The parent holds the sandbox and kills this process (SIGKILL) in the middle of the run.
 */
import nock from 'nock';

import type { FlowParameters } from '../../scripts/lib/harness/payrollFlow';
import { createFaultFlow, tokensOf, type SandboxTarget } from './flow';

export interface ChildGo {
	type: 'go';
	target: SandboxTarget;
	journals: object[];
	parameters: FlowParameters;
}

export type ChildMessage =
	| { type: 'ready' }
	| { type: 'tokens'; tokens: string[] }
	| { type: 'done'; statuses: string[]; error?: string };

function send(message: ChildMessage): void {
	process.send?.(message);
}

async function run(go: ChildGo): Promise<void> {
	nock.enableNetConnect('127.0.0.1');
	const flow = createFaultFlow(go.target);
	let reported = 0;
	const watch = setInterval(() => {
		const tokens = tokensOf(flow);
		if (tokens.length > reported) {
			reported = tokens.length;
			send({ type: 'tokens', tokens });
		}
	}, 5);
	try {
		const result = await flow.run(go.journals, go.parameters);
		send({ type: 'tokens', tokens: tokensOf(flow) });
		const post = result.nodes['Post Journal Transaction'];
		const statuses = (post?.items ?? []).map((item) =>
			String((item.json.visma as { status?: string } | undefined)?.status),
		);
		send({ type: 'done', statuses, ...(result.error ? { error: result.error.message } : {}) });
	} finally {
		clearInterval(watch);
	}
}

process.on('message', (message: ChildGo) => {
	if (message.type !== 'go') return;
	run(message).then(
		() => process.disconnect?.(),
		(error: unknown) => {
			process.stderr.write(`workflow child failed: ${String(error)}\n`);
			process.exit(1);
		},
	);
});
// Load n8n and the nodes before saying ready, so the parent's clock starts at the first request.
createFaultFlow({ url: 'http://127.0.0.1:1', clientId: '-', clientSecret: '-', tenantId: '-' });
send({ type: 'ready' });
