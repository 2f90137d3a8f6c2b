// Regenerates the gallery's finished ads with the CLI (dist/cli.js, built by `npm run build:server`)
// and prints the sha256 of each final PNG's decoded pixels, so a refactor can show whether the
// pictures stayed byte-identical. Usage: node scripts/gallery.mjs [outDir]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

const root = resolve(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? join(tmpdir(), 'adforge-gallery'));
mkdirSync(out, { recursive: true });
const coffee = join(root, 'test/fixtures/photos/coffee.jpg');
const can = join(root, 'docs/gallery/input-can-photo.jpg');
const ITEMS = [
  [
    'wood-gold-auto',
    coffee,
    'rustic wooden table, warm morning light from the left',
    '아침의 향 Morning Brew',
    'gold metallic 3D text',
    'auto',
    'overlay',
    '1:1',
    7,
  ],
  ['marble-chrome-top', coffee, 'white marble countertop, soft window light', '새로운 상쾌함 FRESH', 'chrome reflective 3D text', 'top', 'overlay', '1:1', 7],
  ['nightcity-neon-behind', can, 'neon night city street', 'NIGHT DRIVE', 'neon glowing pink text', 'center', 'behind', '1:1', 11],
  ['beach-candy-bottom-4x5', can, 'sunny beach with sand', '여름 한정 특가', 'candy glossy 3D text', 'bottom', 'overlay', '4:5', 11],
  ['sunset-rosegold-blend', coffee, 'sunset golden hour', 'Golden Hour', 'rose gold lettering', 'top', 'blend', '1:1', 7],
  ['office-chrome-auto-16x9', coffee, '모던한 사무실, 창가의 자연광', '오늘의 커피 한 잔', '은색 크롬 글씨', 'auto', 'overlay', '16:9', 7],
  ['pastel-plastic-top-9x16', can, 'pastel studio, soft light', 'Spring Edition 봄 한정', 'glossy pastel plastic', 'top', 'overlay', '9:16', 11],
];
const dataDir = mkdtempSync(join(tmpdir(), 'adforge-gallery-data-'));
for (const [name, product, bg, text, style, position, mode, aspect, seed] of ITEMS) {
  const file = join(out, `${name}.png`);
  execFileSync(
    process.execPath,
    [
      join(root, 'dist/cli.js'),
      'generate',
      '--product',
      product,
      '--bg-prompt',
      bg,
      '--text',
      text,
      '--style',
      style,
      '--position',
      position,
      '--mode',
      mode,
      '--aspect',
      aspect,
      '--seed',
      String(seed),
      '--data-dir',
      dataDir,
      '-o',
      file,
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  const { data } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  console.log(`${createHash('sha256').update(data).digest('hex').slice(0, 16)}  ${name}`);
}
