/**
 * Draws the sample images the app offers on a first visit (public/samples/*.jpg) from SVG scenes,
 * rendered by Chromium so the text and edges are antialiased as in a photo. Generated here, so they
 * carry no one else's licence; re-run after changing a scene.
 *
 *   npm run make-samples
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { SAMPLE_IMAGES } from '../src/page/features/image-input/samples';

const WIDTH = 1024;
const HEIGHT = 768;

const SCENES: Record<string, string> = {
  street: `
    <rect width="1024" height="768" fill="#8ec5ff"/>
    <rect x="0" y="560" width="1024" height="208" fill="#6b6f76"/>
    <rect x="0" y="548" width="1024" height="16" fill="#b9bcc2"/>
    <rect x="120" y="150" width="780" height="400" fill="#f2c94c" stroke="#b08b1f" stroke-width="6"/>
    <polygon points="100,155 510,40 920,155" fill="#a0522d"/>
    <rect x="200" y="230" width="170" height="140" fill="#dff1ff" stroke="#6b4d12" stroke-width="8"/>
    <rect x="650" y="230" width="170" height="140" fill="#dff1ff" stroke="#6b4d12" stroke-width="8"/>
    <rect x="450" y="330" width="120" height="220" fill="#8b5a2b" stroke="#5b3a1a" stroke-width="6"/>
    <g transform="translate(0 20)">
      <path d="M160 560 L220 470 Q260 420 340 420 L640 420 Q720 420 770 480 L870 510 Q900 520 900 560 L900 600 L160 600 Z" fill="#2e9e4f" stroke="#1b5e2f" stroke-width="6"/>
      <path d="M300 440 L350 470 L620 470 L660 440 Z" fill="#cfe8ff" stroke="#1b5e2f" stroke-width="4"/>
      <circle cx="280" cy="600" r="62" fill="#222"/><circle cx="280" cy="600" r="26" fill="#999"/>
      <circle cx="760" cy="600" r="62" fill="#222"/><circle cx="760" cy="600" r="26" fill="#999"/>
    </g>`,
  sign: `
    <defs><linearGradient id="wall" x1="0" x2="0" y1="0" y2="1"><stop offset="0" stop-color="#d9d4cc"/><stop offset="1" stop-color="#b7b0a5"/></linearGradient></defs>
    <rect width="1024" height="768" fill="url(#wall)"/>
    <g transform="rotate(-3 512 300)">
      <rect x="130" y="150" width="760" height="280" rx="18" fill="#1f3b73" stroke="#0e1d3a" stroke-width="10"/>
      <text x="512" y="275" font-family="DejaVu Sans, Arial, sans-serif" font-size="108" font-weight="700" fill="#fff" text-anchor="middle">HELLO</text>
      <text x="512" y="390" font-family="DejaVu Sans, Arial, sans-serif" font-size="92" font-weight="700" fill="#ffd54a" text-anchor="middle">WORLD 2026</text>
    </g>
    <rect x="300" y="520" width="424" height="150" rx="8" fill="#fffdf5" stroke="#8a8170" stroke-width="4"/>
    <text x="512" y="585" font-family="DejaVu Sans, Arial, sans-serif" font-size="40" fill="#333" text-anchor="middle">OPEN 9 – 17</text>
    <text x="512" y="640" font-family="DejaVu Sans, Arial, sans-serif" font-size="32" fill="#555" text-anchor="middle">Mon to Sat</text>`,
  kites: `
    <defs><linearGradient id="sky" x1="0" x2="0" y1="0" y2="1"><stop offset="0" stop-color="#3f7fd6"/><stop offset="1" stop-color="#bfe0ff"/></linearGradient></defs>
    <rect width="1024" height="768" fill="url(#sky)"/>
    <ellipse cx="220" cy="150" rx="130" ry="42" fill="#fff" opacity="0.9"/>
    <ellipse cx="780" cy="110" rx="160" ry="46" fill="#fff" opacity="0.85"/>
    <rect x="0" y="640" width="1024" height="128" fill="#4c9a3f"/>
    <polygon points="560,180 650,290 560,420 470,290" fill="#e8453c" stroke="#7a1f1a" stroke-width="5"/>
    <line x1="560" y1="180" x2="560" y2="420" stroke="#7a1f1a" stroke-width="3"/>
    <line x1="470" y1="290" x2="650" y2="290" stroke="#7a1f1a" stroke-width="3"/>
    <path d="M560 420 Q520 520 470 560 T360 700" fill="none" stroke="#333" stroke-width="3"/>
    <path d="M250 330 q30 -30 60 0 q30 -30 60 0" fill="none" stroke="#1d1d1d" stroke-width="8" stroke-linecap="round"/>
    <path d="M800 380 q22 -22 44 0 q22 -22 44 0" fill="none" stroke="#1d1d1d" stroke-width="7" stroke-linecap="round"/>
    <circle cx="340" cy="690" r="22" fill="#f0c8a0"/><rect x="322" y="712" width="36" height="56" fill="#c23b6f"/>`,
};

const outputDir = resolve('public/samples');
await mkdir(outputDir, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
for (const sample of SAMPLE_IMAGES) {
  const scene = SCENES[sample.id];
  if (!scene) throw new Error(`No scene drawn for sample ${sample.id}`);
  await page.setContent(
    `<body style="margin:0"><svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">${scene}</svg></body>`,
  );
  const jpeg = await page.screenshot({ type: 'jpeg', quality: 82, clip: { x: 0, y: 0, width: WIDTH, height: HEIGHT } });
  await writeFile(resolve(outputDir, sample.file), jpeg);
  console.log(`${sample.file}: ${jpeg.length} bytes`);
}
await browser.close();
