// The `--help` text of every registered command, rendered in-process exactly as the binary prints it to a
// pipe (80 columns, no colour), and the sync of those texts into docs/cli.md's usage blocks.
import { buildProgram } from '../cli/program.ts';
import { fenced, replaceSectionBody, sectionBody } from './markdown.ts';

export const HELP_WIDTH = 80;

/** Command name → its `--help` output (trailing blank lines trimmed), in registration order. */
export function commandHelp(): Map<string, string> {
  let captured = '';
  const program = buildProgram((root) =>
    root.configureHelp({ helpWidth: HELP_WIDTH }).configureOutput({
      writeOut: (text) => (captured += text),
      writeErr: (text) => (captured += text),
      getOutHelpWidth: () => HELP_WIDTH,
      getOutHasColors: () => false,
    }),
  );
  const help = new Map<string, string>();
  for (const command of program.commands) {
    captured = '';
    command.outputHelp();
    help.set(command.name(), captured.trimEnd());
  }
  return help;
}

export const cliHeading = (name: string) => `## \`shiftlab ${name}\``;

/** The fenced block in a section that starts with `Usage: shiftlab NAME`, if there is one. */
const usageBlock = (name: string) => new RegExp(`\`\`\`\\nUsage: shiftlab ${name} [\\s\\S]*?\\n\`\`\``);

/** The help text documented in a command's section, or undefined when the section or its block is missing. */
export function documentedHelp(markdown: string, name: string): string | undefined {
  const block = sectionBody(markdown, cliHeading(name))?.match(usageBlock(name))?.[0];
  return block?.slice(4, -4);
}

/**
 * docs/cli.md with every command's usage block set to its help text. A section without a block gets one
 * right under its heading; a command without a section gets one at the end (its owner adds the prose).
 * Everything else in the document is left as it was.
 */
export function syncCliDoc(markdown: string, help: Map<string, string>): string {
  let doc = markdown;
  for (const [name, text] of help) {
    const heading = cliHeading(name);
    const body = sectionBody(doc, heading);
    if (body === undefined) {
      doc = `${doc.trimEnd()}\n\n${heading}\n\n${fenced(text)}\n`;
    } else if (usageBlock(name).test(body)) {
      doc = replaceSectionBody(
        doc,
        heading,
        body.replace(usageBlock(name), () => fenced(text)),
      );
    } else {
      doc = replaceSectionBody(doc, heading, `\n${fenced(text)}\n${body}`);
    }
  }
  return doc;
}
