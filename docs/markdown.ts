// Finding and replacing the parts of a Markdown document that the doc generators own.

/** The line range of a `## ` section: from its heading line up to (not including) the next `## ` heading. */
function sectionBounds(lines: string[], heading: string): { start: number; end: number } | undefined {
  const start = lines.indexOf(heading);
  if (start < 0) return undefined;
  const next = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  return { start, end: next < 0 ? lines.length : next };
}

/** The text of a `## ` section without its heading, or undefined when there is no such heading. */
export function sectionBody(markdown: string, heading: string): string | undefined {
  const lines = markdown.split('\n');
  const bounds = sectionBounds(lines, heading);
  return bounds && lines.slice(bounds.start + 1, bounds.end).join('\n');
}

/** The document with a `## ` section's body replaced (the heading must exist). */
export function replaceSectionBody(markdown: string, heading: string, body: string): string {
  const lines = markdown.split('\n');
  const bounds = sectionBounds(lines, heading);
  if (!bounds) throw new Error(`no section '${heading}'`);
  return [...lines.slice(0, bounds.start + 1), ...body.split('\n'), ...lines.slice(bounds.end)].join('\n');
}

/** A fenced code block (``` … ```) holding `text`. */
export function fenced(text: string): string {
  return `\`\`\`\n${text}\n\`\`\``;
}

/** Text safe inside a table cell: `|` would end the cell, even inside backticks. */
export function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
