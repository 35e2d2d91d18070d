import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { chmodSync, rmSync } from 'node:fs';
import type { Logger } from '../log.js';
import type { CommandIo } from './command-io.js';
import type { CommandContext } from './commands/context.js';
import { isCommandName, runCommand, type CommandInput, type CommandName } from './commands/registry.js';

/** One line of the control protocol, server to client. */
type ControlEvent =
  | { type: 'out'; text: string }
  | { type: 'progress-start'; total: number; label: string }
  | { type: 'progress'; delta: number }
  | { type: 'progress-stop' }
  | { type: 'done'; error?: string };

/**
 * Lets `docket` commands run inside a `docket serve` that holds the embedded database: the CLI
 * sends one JSON request over a Unix socket in the data directory (owner-only), and the server
 * runs the command with its own database and streams the output back.
 */
export function serveControlSocket(
  socketPath: string,
  context: Omit<CommandContext, 'io'>,
  log: Logger,
): Promise<Server> {
  rmSync(socketPath, { force: true });
  const server = createServer((socket) => {
    const lines = createInterface({ input: socket });
    lines.once('line', (line) => {
      lines.close();
      void handle(socket, line);
    });
  });
  async function handle(socket: Socket, line: string): Promise<void> {
    const send = (event: ControlEvent) => socket.write(`${JSON.stringify(event)}\n`);
    const io: CommandIo = {
      out: (text) => send({ type: 'out', text }),
      progress(total, label) {
        send({ type: 'progress-start', total, label });
        return { tick: (delta = 1) => send({ type: 'progress', delta }), stop: () => send({ type: 'progress-stop' }) };
      },
    };
    try {
      const request = JSON.parse(line) as { command: unknown; input: unknown };
      if (!isCommandName(request.command)) throw new Error(`unknown command ${String(request.command)}`);
      await runCommand(request.command, { ...context, io }, request.input as never);
      send({ type: 'done' });
    } catch (error) {
      log.info({ err: error }, 'control command failed');
      send({ type: 'done', error: error instanceof Error ? error.message : String(error) });
    }
    socket.end();
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      chmodSync(socketPath, 0o600);
      resolve(server);
    });
  });
}

/** Runs a command in the server listening on `socketPath`; rejects with the command's error. */
export function runRemoteCommand<N extends CommandName>(
  socketPath: string,
  command: N,
  input: CommandInput<N>,
  io: CommandIo,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let progress: ReturnType<CommandIo['progress']> | null = null;
    let finished = false;
    socket.once('error', reject);
    socket.on('connect', () => socket.write(`${JSON.stringify({ command, input })}\n`));
    const lines = createInterface({ input: socket });
    lines.on('line', (line) => {
      const event = JSON.parse(line) as ControlEvent;
      switch (event.type) {
        case 'out':
          io.out(event.text);
          break;
        case 'progress-start':
          progress = io.progress(event.total, event.label);
          break;
        case 'progress':
          progress?.tick(event.delta);
          break;
        case 'progress-stop':
          progress?.stop();
          break;
        case 'done':
          finished = true;
          if (event.error) reject(new Error(event.error));
          else resolve();
          break;
      }
    });
    lines.on('close', () => {
      if (!finished) reject(new Error('the running docket server closed the connection'));
    });
  });
}
