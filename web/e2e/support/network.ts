/**
 * Real PassCom nodes for the browser tests: `passcom serve` processes started by the test, each
 * with a generated config (free ports, its own temporary data directory, a fresh key, the
 * others' keys pinned), fast heartbeats and three days of schedule. `stop()` ends them and
 * deletes their data; they are also killed if the test process exits.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const airlines = ['rumos', 'giro', 'boreal'] as const;
export type AirlineId = (typeof airlines)[number];

export const ADMIN_TOKEN = 'e2e-admin-token-0123456789';

export type Node = {
  airline: AirlineId;
  url: string;
  consolePort: number;
  process: ChildProcess;
  log: string;
};

export type Network = {
  nodes: Partial<Record<AirlineId, Node>>;
  node: (airline: AirlineId) => Node;
  dir: string;
  /** Takes `airline` offline the way an operator would: `shutdown` on its console. */
  shutdown: (airline: AirlineId) => Promise<void>;
  /**
   * Stops `airline`'s process where it stands (SIGSTOP), like a machine that hangs: its
   * connections stay open and nothing answers, until `thaw`.
   */
  freeze: (airline: AirlineId) => void;
  /** Lets a frozen process go on (SIGCONT). */
  thaw: (airline: AirlineId) => void;
  stop: () => Promise<void>;
};

type Options = {
  airlines?: readonly AirlineId[];
  /** Extra `[limits]` keys, e.g. a short session timeout. */
  limits?: Record<string, number>;
  /** `[network]` keys replacing the tests' defaults (fast heartbeats). */
  network?: Record<string, number>;
  /** `[commit]` keys: the timing of purchases across airlines. */
  commit?: Record<string, number>;
};

/** The tests' `[network]` timing: heartbeats every second, so that offline shows quickly. */
const networkDefaults: Record<string, number> = {
  heartbeat_interval_ms: 1000,
  heartbeat_timeout_ms: 800,
  replication_retry_ms: 200,
};

const running = new Set<ChildProcess>();

/**
 * The environment of the nodes: the test's, without `PASSCOM_*` variables (the node reads those
 * as configuration, and the tests' own — PASSCOM_BIN, PASSCOM_SCREENSHOTS — are not).
 */
function nodeEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PASSCOM_')));
  return { ...env, RUST_LOG: 'warn' };
}
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/** The `passcom` binary: $PASSCOM_BIN, else the workspace's debug build. */
export function passcomBinary(): string {
  const binary = resolve(process.env.PASSCOM_BIN ?? join(import.meta.dirname, '../../../target/debug/passcom'));
  if (!existsSync(binary)) {
    throw new Error(`no passcom binary at ${binary}: build it (cargo build -p passcom) or set PASSCOM_BIN`);
  }
  return binary;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** TOML lines `key = value`. */
function keys(table: Record<string, number>): string {
  return Object.entries(table)
    .map(([key, value]) => `${key} = ${value}`)
    .join('\n');
}

function config(airline: AirlineId, dir: string, http: number, console: number, peers: string, options: Options): string {
  return `[airline]
id = "${airline}"

[http]
listen = "127.0.0.1:${http}"

[storage]
data_dir = "${dir}"

[admin]
token = "${ADMIN_TOKEN}"

[seed]
days = 3

[passwords]
memory_kib = 1024
iterations = 1

[limits]
${keys(options.limits ?? {})}

[network]
${keys({ ...networkDefaults, ...options.network })}

[commit]
${keys(options.commit ?? {})}

[console]
listen = "127.0.0.1:${console}"

${peers}
`;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

async function json(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

/** Starts the nodes and waits until each is up and, with peers, sees every peer online and caught up. */
export async function startNetwork(options: Options = {}): Promise<Network> {
  const binary = passcomBinary();
  const which = options.airlines ?? airlines;
  const dir = mkdtempSync(join(tmpdir(), 'passcom-e2e-'));
  const ports = new Map<AirlineId, { http: number; console: number; key: string }>();
  for (const airline of which) {
    mkdirSync(join(dir, airline));
    const key = execFileSync(binary, ['keygen', '--out', join(dir, airline, 'peer.key')], {
      env: nodeEnvironment(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    ports.set(airline, { http: await freePort(), console: await freePort(), key });
  }
  const nodes: Partial<Record<AirlineId, Node>> = {};
  for (const airline of which) {
    const own = ports.get(airline)!;
    const peers = which
      .filter((peer) => peer !== airline)
      .map((peer) => {
        const them = ports.get(peer)!;
        return `[[network.peers]]\nairline = "${peer}"\nurl = "http://127.0.0.1:${them.http}"\npublic_key = "${them.key}"\n`;
      })
      .join('\n');
    const file = join(dir, `${airline}.toml`);
    writeFileSync(file, config(airline, join(dir, airline), own.http, own.console, peers, options));
    const log = join(dir, `${airline}.log`);
    const child = spawn(binary, ['serve', '--config', file], {
      env: nodeEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = createWriteStream(log);
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    running.add(child);
    child.on('exit', () => running.delete(child));
    nodes[airline] = { airline, url: `http://127.0.0.1:${own.http}`, consolePort: own.console, process: child, log };
  }
  const node = (airline: AirlineId) => {
    const found = nodes[airline];
    if (!found) throw new Error(`${airline} is not in this network`);
    return found;
  };

  const network: Network = {
    nodes,
    node,
    dir,
    shutdown: async (airline) => {
      const target = node(airline);
      await consoleCommands(target.consolePort, [`auth ${ADMIN_TOKEN}`, 'shutdown']);
      await exited(target.process, 15_000);
    },
    freeze: (airline) => {
      node(airline).process.kill('SIGSTOP');
    },
    thaw: (airline) => {
      node(airline).process.kill('SIGCONT');
    },
    stop: async () => {
      await Promise.all(
        Object.values(nodes).map(async (n) => {
          if (n.process.exitCode === null && n.process.signalCode === null) {
            n.process.kill('SIGCONT'); // a frozen process would not act on SIGTERM
            n.process.kill('SIGTERM');
            if (!(await exited(n.process, 12_000))) n.process.kill('SIGKILL');
          }
        }),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    for (const airline of which) {
      await waitFor(`${airline} to answer`, async () => ((await json(`${node(airline).url}/healthz`)) ? true : undefined), 90_000);
    }
    if (which.length > 1) {
      for (const airline of which) {
        await waitFor(
          `${airline} to see its peers online and caught up`,
          async () => {
            const view = (await json(`${node(airline).url}/api/v1/network`)) as {
              peers: { status: string; replication: { lag_entries: number; owner_head: number } }[];
            };
            const ready =
              view.peers.length === which.length - 1 &&
              view.peers.every((p) => p.status === 'online' && p.replication.lag_entries === 0 && p.replication.owner_head > 0);
            return ready ? true : undefined;
          },
          60_000,
        );
      }
    }
  } catch (error) {
    await new Promise((r) => setTimeout(r, 300)); // let the logs' last lines reach their files
    const logs = Object.values(nodes)
      .map((n) => `--- ${n.airline} (exit ${n.process.exitCode ?? n.process.signalCode ?? 'running'}):\n${tail(n.log)}`)
      .join('\n');
    await network.stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logs}`, { cause: error });
  }
  return network;
}

/** The last lines of a log file. */
function tail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Waits up to `timeoutMs` for `child` to exit; whether it did. */
function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

/** Sends `commands` to a console, each after the previous answer's prompt. */
function consoleCommands(port: number, commands: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1');
    let transcript = '';
    const pending = [...commands];
    const timer = setTimeout(() => {
      socket.destroy();
      fail(new Error(`console on ${port} did not answer: ${transcript}`));
    }, 10_000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      transcript += chunk;
      // Every answer ends with the prompt (`boreal> `, no newline): then the next command.
      if (transcript.endsWith('> ')) {
        const next = pending.shift();
        if (next) socket.write(`${next}\n`);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      done(transcript);
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (pending.length === 0) done(transcript);
      else fail(error);
    });
  });
}
