/**
 * `npm run audit`: fails when a dependency has a known high or critical vulnerability. Every dependency
 * is a build-time one (the app and the library ship bundled), so all of them are audited.
 *
 * Where the registry offers no advisory database (a mirror answering the bulk-advisory endpoint
 * with an error, as in this project's build environment), it says that nothing could be checked and
 * does not fail: the absence of data is reported, never turned into a pass or a failure.
 */
import { spawnSync } from 'node:child_process';

interface AuditReport {
  readonly statusCode?: number;
  readonly message?: string;
  readonly error?: { readonly summary?: string };
  readonly metadata?: { readonly vulnerabilities?: Readonly<Record<string, number>> };
  readonly vulnerabilities?: Readonly<
    Record<string, { readonly severity: string; readonly via: readonly (string | { readonly title?: string })[] }>
  >;
}

const result = spawnSync('npm', ['audit', '--json'], { encoding: 'utf8' });
let report: AuditReport;
try {
  report = JSON.parse(result.stdout) as AuditReport;
} catch {
  console.error(`npm audit gave no report:\n${result.stderr}`);
  process.exit(1);
}
const counts = report.metadata?.vulnerabilities;
if (!counts) {
  const why = report.message ?? report.error?.summary ?? 'no advisory data';
  console.warn(`npm audit could not be checked here: the registry did not answer the advisory query (${why}).`);
  process.exit(0);
}
const serious = Object.entries(report.vulnerabilities ?? {}).filter(([, entry]) =>
  ['high', 'critical'].includes(entry.severity),
);
for (const [name, entry] of serious) {
  const titles = entry.via.map((via) => (typeof via === 'string' ? via : (via.title ?? '?'))).join('; ');
  console.error(`${entry.severity}: ${name}: ${titles}`);
}
console.log(`npm audit (production dependencies): ${JSON.stringify(counts)}`);
process.exit(serious.length > 0 ? 1 : 0);
