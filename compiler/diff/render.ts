// Renderers for a computed diff: text (terminal), markdown (a pull-request comment), json (versioned).
import type { ChangeImpact, Impact } from './impact.ts';
import type { Change } from './structural.ts';
import type { StudyDiff } from './types.ts';

/** Bumped when the JSON shape changes. */
export const DIFF_FORMAT_VERSION = 1;

const number = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, word: string) => `${number(n)} ${word}${n === 1 ? '' : 's'}`;

/** One line per attribute: `lr 3e-4 → 1e-4`; what a change is, without its impact. */
export function describeChange(change: Change): string[] {
  const subject = change.kind === 'expect' ? 'expect' : `${change.kind} ${change.name}`;
  switch (change.type) {
    case 'added':
      return [`${subject} added`];
    case 'removed':
      return [`${subject} removed`];
    case 'renamed':
      return [`${subject} renamed to ${change.newName}`];
    case 'changed': {
      const renamed = change.newName ? ` (renamed to ${change.newName})` : '';
      return change.attributes.map((a) => {
        const what =
          a.old === null
            ? `${a.attribute} ${a.new} added`
            : a.new === null
              ? `${a.attribute} ${a.old} removed`
              : `${a.attribute === 'expression' || a.attribute === 'chain' ? '' : `${a.attribute} `}${a.old} → ${a.new}`;
        return `${subject}${renamed}: ${what}`;
      });
    }
  }
}

/** What a change costs; an added declaration is described by what it adds (`adds ft[0.8] (trains …)`). */
export function describeImpact(impact: Impact | null, change?: Change): string {
  if (!impact) return 'impact unknown (this change does not check on its own)';
  if (change?.type === 'added' && change.kind !== 'expect' && change.kind !== 'study') {
    // Its own training goes unnamed; anything else it trains (a pretrain it alone uses) is named.
    const others = impact.retrains.map((r) => r.model).filter((model) => model !== change.name);
    const trains = impact.retrains.length
      ? `trains ${others.length ? `${others.join(', ')}: ` : ''}${number(impact.sampleEpochs)} samples × epochs; `
      : '';
    return `adds ${change.name} (${trains}${plural(impact.invalidated.length, 'job')} to run)`;
  }
  const jobs = plural(impact.invalidated.length, 'job');
  switch (impact.class) {
    case 'retrains':
      return `retrains ${impact.retrains.map((r) => r.model).join(', ')} (${number(impact.sampleEpochs)} samples × epochs; ${jobs} re-run)`;
    case 're-evaluates':
      return impact.invalidated.length
        ? `re-evaluates (${jobs} re-run)`
        : `re-evaluates (${plural(impact.dropped.length, 'job')} dropped)`;
    case 'analysis':
      return impact.invalidated.length
        ? `analysis only (${jobs} re-run)`
        : `analysis only (${plural(impact.dropped.length, 'job')} dropped)`;
    case 'cosmetic':
      return 'cosmetic (no job changes)';
  }
}

const marker = (change: Change) => ({ added: '+', removed: '-', renamed: '>', changed: '~' })[change.type];

export function renderText(diff: StudyDiff, options: { color?: boolean } = {}): string {
  const paint = (code: string, text: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const colours: Record<Impact['class'], string> = {
    retrains: '1;31',
    're-evaluates': '33',
    analysis: '36',
    cosmetic: '2',
  };
  const header = `${diff.old.file} → ${diff.new.file}`;
  if (diff.changes.length === 0) return `${header}: no semantic change\n`;
  const lines = [`${header}: ${plural(diff.changes.length, 'change')}`];
  for (const { change, impact } of diff.changes) {
    const [first, ...rest] = describeChange(change);
    lines.push(`  ${marker(change)} ${first}`, ...rest.map((line) => `    ${line}`));
    lines.push(`      ${paint(impact ? colours[impact.class] : '2', describeImpact(impact, change))}`);
  }
  lines.push(
    `total: ${paint(colours[diff.total.class], describeImpact(diff.total))}${diff.total.dropped.length ? `, ${plural(diff.total.dropped.length, 'job')} dropped` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Escapes what would end a table cell or start markup. */
const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(diff: StudyDiff): string {
  const title = `### Study diff: \`${cell(diff.old.file)}\` → \`${cell(diff.new.file)}\``;
  if (diff.changes.length === 0) return `${title}\n\nNo semantic change.\n`;
  const rows = diff.changes.map(({ change, impact }: ChangeImpact) => {
    const description = describeChange(change).map(cell).join('<br>');
    const consequence = describeImpact(impact, change).replace(
      /^(retrains|re-evaluates|analysis only|cosmetic|adds)/,
      '**$1**',
    );
    return `| ${marker(change)} | ${description} | ${cell(consequence)} |`;
  });
  return [
    title,
    '',
    '| | Change | Impact |',
    '|---|---|---|',
    ...rows,
    '',
    `**Total:** ${cell(describeImpact(diff.total))}${diff.total.dropped.length ? `, ${plural(diff.total.dropped.length, 'job')} dropped` : ''}.`,
    '',
  ].join('\n');
}

export function renderJson(diff: StudyDiff): string {
  const json = {
    formatVersion: DIFF_FORMAT_VERSION,
    old: diff.old,
    new: diff.new,
    semanticChange: diff.changes.length > 0,
    changes: diff.changes.map(({ change, impact }) => ({ ...change, impact })),
    impact: diff.total,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
