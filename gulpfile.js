// Copies the node and credential icons (SVG) and the codex files next to the compiled classes,
// which is where n8n looks for `file:` icons and `.node.json` codex files.
const { src, dest, task } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.svg', 'nodes/**/*.png', 'credentials/**/*.svg', 'icons/**/*.svg'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

function copyCodex() {
	return src(['nodes/**/*.node.json'], { base: '.' }).pipe(dest('dist'));
}

task('build:icons', (done) => {
	copyIcons().on('end', () => copyCodex().on('end', done));
});
