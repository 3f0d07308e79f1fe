/**
 * The package as a developer gets it: `npm pack` of this project, installed offline from the tarball
 * into a scratch Vite app that imports the library, type-checks against its declarations, builds,
 * and answers a caption in Chromium on the test model.
 */

import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, GENERATED_MODELS, test } from './fixtures';
import { scriptedAnswer } from './support/expected-answers';
import { StaticServer } from './support/static-server';

const ROOT = resolve('.');
const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' },
  });

const SCRATCH_MAIN = `
import { createFlorence2, type Florence2Result, type TaskToken } from 'florence2-web';

const florence = createFlorence2({ model: new URLSearchParams(location.search).get('model') ?? 'florence-2-base-ft' });
const canvas = document.createElement('canvas');
canvas.width = 320;
canvas.height = 240;
const context = canvas.getContext('2d');
if (context) {
  context.fillStyle = '#3a7';
  context.fillRect(0, 0, 320, 240);
}
const task: TaskToken = '<CAPTION>';
florence.run(task, canvas).then(
  (answer: Florence2Result) => {
    document.body.dataset.answer = answer.text;
  },
  (error: Error) => {
    document.body.dataset.answer = \`error: \${error.message}\`;
  },
);
`;

test('the packed tarball installs offline into a Vite app that type-checks, builds and answers', async ({ page }) => {
  test.setTimeout(300_000);
  const scratch = await mkdtemp(join(tmpdir(), 'florence2-package-'));
  try {
    // npm pack runs prepack (the library's build) first, whose output comes before the JSON.
    const packOutput = run('npm', ['pack', '--json', '--pack-destination', scratch], ROOT);
    const packed = JSON.parse(packOutput.slice(packOutput.search(/^\[\s*\{/m))) as {
      filename: string;
      files: { path: string }[];
    }[];
    const tarball = packed[0];
    if (!tarball) throw new Error('npm pack made no tarball');
    // What is published: the built library and its declarations, not the app's sources.
    const paths = tarball.files.map((file) => file.path);
    expect(paths).toContain('dist/lib/florence2.js');
    expect(paths).toContain('dist/lib/florence2.worker.js');
    expect(paths).toContain('dist/lib/types/page/library/index.d.ts');
    expect(paths.filter((path) => path.startsWith('src/'))).toEqual([]);

    const app = join(scratch, 'app');
    await mkdir(join(app, 'src'), { recursive: true });
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }));
    await writeFile(
      join(app, 'index.html'),
      '<!doctype html><html><body><script type="module" src="/src/main.ts"></script></body></html>',
    );
    await writeFile(join(app, 'src/main.ts'), SCRATCH_MAIN);
    // As the README says for Vite: module workers, and the library left out of dependency pre-bundling.
    await writeFile(
      join(app, 'vite.config.mjs'),
      "export default { worker: { format: 'es' }, optimizeDeps: { exclude: ['florence2-web'] } };\n",
    );
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'bundler',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        include: ['src'],
      }),
    );
    run('npm', ['install', '--offline', join(scratch, tarball.filename)], app);
    const installed = JSON.parse(await readFile(join(app, 'node_modules/florence2-web/package.json'), 'utf8'));
    expect(installed.dependencies).toBeUndefined();

    run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', app], app);
    run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], app);
    const assets = await readdir(join(app, 'dist/assets'));
    expect(assets.some((name) => name.endsWith('.wasm'))).toBe(true);

    const server = new StaticServer(join(app, 'dist'), {
      port: 0,
      headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
      mounts: { '/test-models/': resolve(GENERATED_MODELS) },
    });
    await server.start();
    try {
      await page.goto(`${server.origin}/?model=${encodeURIComponent('/test-models/florence2-tiny/')}`);
      await expect(page.locator('body')).toHaveAttribute('data-answer', scriptedAnswer('<CAPTION>'), {
        timeout: 90_000,
      });
      // The worker and the runtime came from the scratch app's own build.
      expect(server.requests.some((request) => /\.wasm$/.test(request.path))).toBe(true);
    } finally {
      await server.stop();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
});
