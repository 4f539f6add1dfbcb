/**
 * A test file's payroll flow, kept with the tests: it registers a jest hook, and the harness in
 * scripts/lib/harness (used by the demo and the benchmark too) knows nothing of jest.
 */
import type { Sandbox } from '../../sandboxes/visma-net/server';
import { createPayrollFlow, type PayrollFlow } from '../../scripts/lib/harness/payrollFlow';

/**
 * The payroll flow of a test file (createPayrollFlow on the file's sandbox), created anew before
 * each test (after the sandbox's reset, when useVismaSandbox is declared first); the returned
 * object is the current test's flow.
 */
export function usePayrollFlow(sandbox: Sandbox, tenantId?: string): PayrollFlow {
	const flow = {} as PayrollFlow;
	beforeEach(() => {
		Object.assign(flow, createPayrollFlow(sandbox, tenantId));
	});
	return flow;
}
