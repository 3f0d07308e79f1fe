/**
 * A browser for measuring: a persistent profile in a temporary folder, so the Cache API keeps model
 * files on disk as in a real browser (Playwright's default in-memory profile refuses entries of a few
 * hundred megabytes), and the memory of its whole process tree.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from '@playwright/test';

/**
 * What WebGPU adapter the page's browser offers: none, a CPU emulation (SwiftShader, about 100x slower
 * than WASM, so its timings say nothing about a GPU), or a real one. The page must be on the site.
 */
export async function webgpuAdapterKind(page: Page): Promise<'none' | 'software' | 'real'> {
  return page.evaluate(async () => {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    const adapter = (await gpu?.requestAdapter()) as {
      info?: { architecture?: string; isFallbackAdapter?: boolean };
    } | null;
    if (!adapter) return 'none';
    const software = Boolean(adapter.info?.isFallbackAdapter) || /swiftshader/i.test(adapter.info?.architecture ?? '');
    return software ? 'software' : 'real';
  });
}

/** Resident memory of a process and all its children (Linux /proc), in MB. */
export async function processTreeRssMb(rootPid: number): Promise<number> {
  let total = 0;
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.pop() as number;
    try {
      const statm = await readFile(`/proc/${pid}/statm`, 'utf8');
      total += Number(statm.split(' ')[1] ?? 0) * 4096;
      const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
      queue.push(...children.split(' ').filter(Boolean).map(Number));
    } catch {
      // The process ended while being read.
    }
  }
  return total / 1e6;
}

/** Samples a process tree's memory every `everyMs` until stopped, keeping the highest reading, MB. */
export function watchPeakMemory(rootPid: number, everyMs: number): { peakMb(): number; stop(): void } {
  let peak = 0;
  const timer = setInterval(() => {
    void processTreeRssMb(rootPid).then((mb) => {
      peak = Math.max(peak, mb);
    });
  }, everyMs);
  return { peakMb: () => peak, stop: () => clearInterval(timer) };
}

/** The browser's main process: the one started with this profile folder that is not a child type. */
async function mainProcessOf(profile: string): Promise<number> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
      if (commandLine.some((arg) => arg.includes(profile)) && !commandLine.some((arg) => arg.startsWith('--type='))) {
        return Number(entry);
      }
    } catch {
      // Gone, or not ours to read.
    }
  }
  throw new Error('The browser process was not found');
}

export interface MeasuredBrowser {
  readonly context: BrowserContext;
  readonly pid: number;
  close(): Promise<void>;
}

export async function launchMeasuredBrowser(
  executablePath: string | undefined,
  args: readonly string[],
  viewport = { width: 1280, height: 900 },
): Promise<MeasuredBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'florence-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...(executablePath ? { executablePath } : {}),
    args: [...args],
    viewport,
  });
  const pid = await mainProcessOf(profile);
  return {
    context,
    pid,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
