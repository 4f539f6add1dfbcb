/**
 * npm run sandbox -- --port 4010 [--host 127.0.0.1] [--data company.json] [--state state.json]
 *   [--token-lifetime 3600] [--rate-limit 10000] [--max-page-size 1000] [--seed 1] [--public-url URL]
 *   [--quirk NAME]...
 */
import { parseArgs } from 'node:util';
import { QUIRK_NAMES, readQuirks, SANDBOX_QUIRKS } from './quirks';
import { startSandbox } from './server';

const HELP = `Visma.net sandbox
  --port <n>            port to listen on (0 = any free port; default 4010)
  --host <addr>         address to bind (default 127.0.0.1)
  --data <file.json>    company mirror (default sandboxes/visma-net/fixtures/default-company.json)
  --state <file.json>   persist batches and numbering here across restarts
  --token-lifetime <s>  access token lifetime in seconds (default 3600)
  --rate-limit <n>      calls per hour per tenant + client (default 10000)
  --max-page-size <n>   largest list page (default 1000)
  --seed <n>            seed for random faults (default 1)
  --public-url <url>    base URL written into Location headers (default: the Host used)
  --quirk <name>        switch on an answer Visma.net may plausibly give where its spec is
                        silent; several allowed (--quirk a --quirk b). Known quirks:
${QUIRK_NAMES.map((name) => `                          ${name}: ${SANDBOX_QUIRKS[name]}`).join('\n')}`;

function integer(value: string | undefined, name: string): number | undefined {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0)
		throw new Error(`--${name} must be a whole number, got '${value}'`);
	return n;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			host: { type: 'string' },
			data: { type: 'string' },
			state: { type: 'string' },
			'token-lifetime': { type: 'string' },
			'rate-limit': { type: 'string' },
			'max-page-size': { type: 'string' },
			seed: { type: 'string' },
			'public-url': { type: 'string' },
			quirk: { type: 'string', multiple: true },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help) {
		process.stdout.write(`${HELP}\n`);
		return;
	}
	const rateLimit = integer(values['rate-limit'], 'rate-limit');
	const sandbox = await startSandbox({
		port: integer(values.port, 'port') ?? 4010,
		host: values.host,
		dataFile: values.data,
		stateFile: values.state,
		tokenLifetimeSeconds: integer(values['token-lifetime'], 'token-lifetime'),
		rateLimit: rateLimit === undefined ? undefined : { limit: rateLimit },
		maxPageSize: integer(values['max-page-size'], 'max-page-size'),
		seed: integer(values.seed, 'seed'),
		publicUrl: values['public-url'],
		quirks: readQuirks(values.quirk ?? []),
	});
	const { demo } = sandbox;
	process.stdout.write(
		`Visma.net sandbox listening on ${sandbox.url} client_id=${demo.clientId} client_secret=${demo.clientSecret} tenant_id=${demo.tenantId}` +
			`${demo.customerTenantId ? ` customer_tenant_id=${demo.customerTenantId}` : ''}\n`,
	);
	for (const company of demo.companies)
		process.stdout.write(`  company ${company.tenantId} ${company.name}\n`);
	for (const quirk of values.quirk ?? []) process.stdout.write(`  quirk ${quirk}\n`);
	const stop = () => {
		sandbox.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
