import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { chmodSync, rmSync } from 'node:fs';
import type { Logger } from '../log.js';
import type { CommandIo } from './command-io.js';
import type { CommandContext } from './commands/context.js';
import {
  isCommandName,
  runCommand,
  type CommandInput,
  type CommandName,
} from './commands/registry.js';

/** One line of the control protocol, server to client. */
type ControlEvent =
  | { type: 'out'; text: string }
  | { type: 'progress-start'; total: number; label: string; itemName?: string }
  | { type: 'progress'; delta: number; items?: number }
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
    // A command whose `docket` was interrupted (Ctrl-C) writes into a closed socket: EPIPE, which
    // with no listener would end the server. A long command stops at its next step.
    socket.on('error', (error) => log.info({ err: error }, 'control client went away'));
    const gone = new AbortController();
    socket.once('close', () => gone.abort(new Error('the docket command was interrupted')));
    const lines = createInterface({ input: socket });
    lines.once('line', (line) => {
      lines.close();
      void handle(socket, line, gone.signal);
    });
  });
  async function handle(socket: Socket, line: string, signal: AbortSignal): Promise<void> {
    const send = (event: ControlEvent) => {
      if (socket.writable) socket.write(`${JSON.stringify(event)}\n`);
    };
    const io: CommandIo = {
      out: (text) => send({ type: 'out', text }),
      progress(total, label, itemName) {
        send({ type: 'progress-start', total, label, itemName });
        return {
          tick: (delta = 1, items = 0) => send({ type: 'progress', delta, items }),
          stop: () => send({ type: 'progress-stop' }),
        };
      },
    };
    try {
      const request = JSON.parse(line) as { command: unknown; input: unknown };
      if (!isCommandName(request.command))
        throw new Error(`unknown command ${String(request.command)}`);
      await runCommand(request.command, { ...context, io, signal }, request.input as never);
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

/** How long a command waits for a server that holds the data directory but is still starting. */
const STARTUP_WAIT_MS = 60_000;

/**
 * Runs a command in the server listening on `socketPath`; rejects with the command's error. A
 * server that is still starting (its lock taken, its socket not yet open) is waited for.
 */
export async function runRemoteCommand<N extends CommandName>(
  socketPath: string,
  command: N,
  input: CommandInput<N>,
  io: CommandIo,
): Promise<void> {
  const socket = await connectWhenReady(socketPath, Date.now() + STARTUP_WAIT_MS);
  return new Promise((resolve, reject) => {
    let progress: ReturnType<CommandIo['progress']> | null = null;
    let finished = false;
    socket.on('error', reject);
    socket.write(`${JSON.stringify({ command, input })}\n`);
    const lines = createInterface({ input: socket });
    lines.on('line', (line) => {
      const event = JSON.parse(line) as ControlEvent;
      switch (event.type) {
        case 'out':
          io.out(event.text);
          break;
        case 'progress-start':
          progress = io.progress(event.total, event.label, event.itemName);
          break;
        case 'progress':
          progress?.tick(event.delta, event.items);
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

async function connectWhenReady(socketPath: string, deadline: number): Promise<Socket> {
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = createConnection(socketPath);
        socket.once('connect', () => {
          socket.off('error', reject);
          resolve(socket);
        });
        socket.once('error', reject);
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ECONNREFUSED') || Date.now() > deadline) {
        throw new Error(
          `cannot reach the running docket server at ${socketPath} (${code ?? String(error)})`,
          {
            cause: error,
          },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
