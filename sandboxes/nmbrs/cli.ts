/**
 * npm run sandbox:nmbrs -- --port 4020 [--host 127.0.0.1]
 */
import { parseArgs } from 'node:util';

import { startNmbrsSandbox } from './server';

async function main(): Promise<void> {
	const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
	const port = values.port === undefined ? 4020 : Number(values.port);
	if (!Number.isInteger(port) || port < 0)
		throw new Error(`--port must be a whole number, got '${values.port}'`);
	const sandbox = await startNmbrsSandbox({ port, host: values.host });
	const { username, token, domain } = sandbox.demo;
	console.log(
		`Nmbrs sandbox listening on ${sandbox.url} username=${username} token=${token} domain=${domain}`,
	);
	const stop = () => void sandbox.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
