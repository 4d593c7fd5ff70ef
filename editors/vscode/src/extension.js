// The VS Code client: starts `shiftlab lsp` (stdio) for .study files. The command is the configured
// `shiftlab.serverPath`, else the workspace's node_modules/.bin/shiftlab (the project's own version), else
// `shiftlab` on the PATH. The server itself lives in the shiftlab package; this file only finds and starts it.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** The shiftlab command to run, and where it was found (for the output channel). */
function serverCommand() {
  const configured = vscode.workspace.getConfiguration('shiftlab').get('serverPath', '').trim();
  if (configured) return { command: configured, from: 'the shiftlab.serverPath setting' };
  const bin = process.platform === 'win32' ? 'shiftlab.cmd' : 'shiftlab';
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = path.join(folder.uri.fsPath, 'node_modules', '.bin', bin);
    if (existsSync(local)) return { command: local, from: `the workspace (${folder.name})` };
  }
  return { command: bin, from: 'the PATH' };
}

async function start(context) {
  const { command, from } = serverCommand();
  const output = vscode.window.createOutputChannel('shiftlab');
  output.appendLine(`starting ${command} lsp (from ${from})`);
  const run = {
    command,
    args: ['lsp'],
    transport: TransportKind.stdio,
    options: { shell: process.platform === 'win32' },
  };
  client = new LanguageClient(
    'shiftlab',
    'shiftlab',
    { run, debug: run },
    {
      documentSelector: [{ language: 'study' }],
      outputChannel: output,
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/results/**/results.json') },
    },
  );
  try {
    await client.start();
  } catch (error) {
    const message =
      `shiftlab: could not start \`${command} lsp\` (from ${from}): ${error instanceof Error ? error.message : error}. ` +
      'Install shiftlab in the workspace (npm install shiftlab) or set shiftlab.serverPath.';
    vscode.window.showErrorMessage(message);
  }
  context.subscriptions.push(output);
}

async function activate(context) {
  await start(context);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('shiftlab.serverPath')) return;
      await deactivate();
      await start(context);
    }),
  );
}

async function deactivate() {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}

module.exports = { activate, deactivate };
