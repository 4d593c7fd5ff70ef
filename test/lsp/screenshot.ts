// Regenerates docs/editors-neovim.png: Neovim (in tmux) with shiftlab lsp on a broken study, showing its
// diagnostics and a hover. The pane is captured with its colours and drawn as an SVG rendered by sharp.
//
//   node --import tsx test/lsp/screenshot.ts
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { repoRoot } from '../helpers/cli.ts';

const COLUMNS = 100;
const ROWS = 30;
const session = `shiftlab-shot-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

tmux(
  'new-session',
  '-d',
  '-s',
  session,
  '-x',
  String(COLUMNS),
  '-y',
  String(ROWS),
  '-e',
  `SHIFTLAB_ROOT=${repoRoot}`,
  '-e',
  'HOVER_AT== tinted',
  `cd ${repoRoot} && nvim --clean -n -i NONE -c 'luafile test/lsp/screenshot.lua' test/lsp/fixtures/neovim.study`,
);
let ansi = '';
try {
  // Wait for the hover window (its border or text) to appear.
  for (let i = 0; i < 120 && !/declared on line/.test(ansi); i++) {
    await sleep(500);
    ansi = tmux('capture-pane', '-e', '-p', '-t', session);
  }
  await sleep(500);
  ansi = tmux('capture-pane', '-e', '-p', '-t', session);
} finally {
  tmux('kill-session', '-t', session);
}

// ---------------------------------------------------------------- ANSI → SVG
const base = ['#1e1e1e', '#e06c75', '#98c379', '#e5c07b', '#61afef', '#c678dd', '#56b6c2', '#dcdfe4'];
const bright = ['#5c6370', '#ff7b86', '#b5e890', '#ffd68a', '#8cc8ff', '#e09cff', '#7fdbe6', '#ffffff'];
function xterm(n: number): string {
  if (n < 8) return base[n]!;
  if (n < 16) return bright[n - 8]!;
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const c = n - 16;
  const level = (x: number) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(c / 36))},${level(Math.floor(c / 6) % 6)},${level(c % 6)})`;
}
interface Style {
  fg: string;
  bg: string | null;
  bold: boolean;
  reverse: boolean;
}
const FG = '#dcdfe4';
const BG = '#1e1e1e';
const CELL_W = 9;
const CELL_H = 18;
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const parts: string[] = [];
ansi
  .split('\n')
  .slice(0, ROWS)
  .forEach((line, row) => {
    let style: Style = { fg: FG, bg: null, bold: false, reverse: false };
    let column = 0;
    for (const token of line.split(/(\x1b\[[0-9;]*m)/)) {
      const sgr = /^\x1b\[([0-9;]*)m$/.exec(token);
      if (sgr) {
        const codes = sgr[1] === '' ? [0] : sgr[1]!.split(';').map(Number);
        for (let i = 0; i < codes.length; i++) {
          const code = codes[i]!;
          if (code === 0) style = { fg: FG, bg: null, bold: false, reverse: false };
          else if (code === 1) style.bold = true;
          else if (code === 22) style.bold = false;
          else if (code === 7) style.reverse = true;
          else if (code === 27) style.reverse = false;
          else if (code >= 30 && code <= 37) style.fg = base[code - 30]!;
          else if (code >= 90 && code <= 97) style.fg = bright[code - 90]!;
          else if (code >= 40 && code <= 47) style.bg = base[code - 40]!;
          else if (code >= 100 && code <= 107) style.bg = bright[code - 100]!;
          else if (code === 39) style.fg = FG;
          else if (code === 49) style.bg = null;
          else if ((code === 38 || code === 48) && codes[i + 1] === 5) {
            const color = xterm(codes[i + 2]!);
            if (code === 38) style.fg = color;
            else style.bg = color;
            i += 2;
          } else if ((code === 38 || code === 48) && codes[i + 1] === 2) {
            const color = `rgb(${codes[i + 2]},${codes[i + 3]},${codes[i + 4]})`;
            if (code === 38) style.fg = color;
            else style.bg = color;
            i += 4;
          }
        }
        continue;
      }
      if (!token) continue;
      const chars = [...token];
      const fg = style.reverse ? (style.bg ?? BG) : style.fg;
      const bg = style.reverse ? style.fg : style.bg;
      const x = 8 + column * CELL_W;
      const y = 8 + row * CELL_H;
      if (bg) parts.push(`<rect x="${x}" y="${y}" width="${chars.length * CELL_W}" height="${CELL_H}" fill="${bg}"/>`);
      parts.push(
        `<text x="${x}" y="${y + 14}" fill="${fg}"${style.bold ? ' font-weight="bold"' : ''} textLength="${chars.length * CELL_W}" lengthAdjust="spacingAndGlyphs">${escape(token)}</text>`,
      );
      column += chars.length;
    }
  });
const width = 16 + COLUMNS * CELL_W;
const height = 16 + ROWS * CELL_H;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${BG}"/><g font-family="DejaVu Sans Mono" font-size="14" xml:space="preserve">${parts.join('')}</g></svg>`;
await sharp(Buffer.from(svg))
  .png()
  .toFile(new URL('../../docs/editors-neovim.png', import.meta.url).pathname);
process.stdout.write('wrote docs/editors-neovim.png\n');
