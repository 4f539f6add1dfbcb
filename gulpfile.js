// The build step n8n's own `n8n-node build` leaves out, for every package of this repository
// (run in the package's folder; the Nmbrs package calls it with --gulpfile ../../gulpfile.js --cwd .):
// copies the codex files (`<Node>.node.json`: category, aliases, documentation links) next to the
// compiled node classes, where n8n looks for them, and fails the build when a node n8n is told to
// load (package.json n8n.nodes) has no compiled class, no codex file, or a codex naming another
// node type than `<package name>.<node name>`.
const fs = require('node:fs');
const path = require('node:path');
const { src, dest, series, task } = require('gulp');

function copyCodex() {
	return src(['nodes/**/*.node.json'], { base: '.' }).pipe(dest('dist'));
}

function checkNodes(done) {
	const packageJson = JSON.parse(fs.readFileSync('package.json', 'utf8'));
	const problems = [];
	for (const entry of packageJson.n8n.nodes) {
		if (!fs.existsSync(entry)) problems.push(`${entry}: not built`);
		const codexPath = entry.replace(/\.js$/, '.json');
		if (!fs.existsSync(codexPath)) {
			problems.push(`${codexPath}: no codex file`);
			continue;
		}
		const { node } = JSON.parse(fs.readFileSync(codexPath, 'utf8'));
		const compiled = require(path.resolve(entry));
		const nodeClass = Object.values(compiled).find((value) => typeof value === 'function');
		const name = nodeClass ? new nodeClass().description.name : undefined;
		if (node !== `${packageJson.name}.${name}`)
			problems.push(`${codexPath}: names "${node}", the node is "${packageJson.name}.${name}"`);
	}
	done(
		problems.length
			? new Error(`package ${packageJson.name}:\n  ${problems.join('\n  ')}`)
			: undefined,
	);
}

task('build:codex', series(copyCodex, checkNodes));
