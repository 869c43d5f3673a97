import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestOptions } from 'vitest';
import { kafkaProtocolDir } from '../../generator/kafka-protocol-dir.js';

/**
 * What interop tests need beyond npm's dependencies: third-party programs and packages (run as
 * separate processes) and Kafka's JSON schemas. A test or suite takes `needs(...)` as its options:
 * it is skipped when something is missing, and the run ends with one line naming what was skipped
 * (test/helpers/skip-summary.ts). With KTS_TEST_STRICT=1 (CI) a missing requirement fails instead.
 */

/** Debian's python3, which the python3-* packages install into (a pyenv or venv `python3` on PATH may lack them). */
export const PYTHON = process.env.KTS_TEST_PYTHON || '/usr/bin/python3';
/** Debian's Apache ZooKeeper 3.8 (package zookeeper): zkServer.sh, zkCli.sh. */
export const ZOOKEEPER_BIN = '/usr/share/zookeeper/bin';
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const SETUP_COMMAND = 'npm run setup:interop';

interface Requirement {
  /** How the skip summary names it. */
  readonly label: string;
  /** The Debian packages that provide it (all in scripts/interop-packages), or how else to get it. */
  readonly packages: readonly string[];
  /** Why it is unavailable, or undefined when it is there. */
  probe(): string | undefined;
}

/** Runs `command args` (no shell); a reason unless it exits 0. */
function runs(command: string, args: string[]): string | undefined {
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
  if (r.error) return `${command}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`;
  if (r.status === 0) return undefined;
  const last = r.stderr.toString().trim().split('\n').at(-1) ?? '';
  return `${command} ${args.join(' ')} exited ${r.status ?? r.signal}${last ? `: ${last}` : ''}`;
}

function program(name: string, versionArgs: string[], pkg = name): Requirement {
  return { label: name, packages: [pkg], probe: () => runs(name, versionArgs) };
}

function pythonModules(label: string, modules: string[], packages: string[]): Requirement {
  return { label, packages, probe: () => runs(PYTHON, ['-c', `import ${modules.join(', ')}`]) };
}

export const REQUIREMENTS = {
  kcat: program('kcat', ['-V']),
  lz4: program('lz4', ['-V']),
  zstd: program('zstd', ['-V']),
  openssl: program('openssl', ['version']),
  /** The completion scripts are run in the shells they are for. */
  zsh: program('zsh', ['--version']),
  fish: program('fish', ['--version']),
  'kafka-python': pythonModules('kafka-python', ['kafka'], ['python3-kafka']),
  /** kafka-python's snappy, lz4 and zstd codecs. */
  'kafka-python-codecs': pythonModules(
    'kafka-python codecs',
    ['snappy', 'lz4.frame', 'zstandard'],
    ['python3-snappy', 'python3-lz4', 'python3-zstandard'],
  ),
  'confluent-kafka': pythonModules('confluent-kafka', ['confluent_kafka'], ['python3-confluent-kafka']),
  kazoo: pythonModules('kazoo', ['kazoo'], ['python3-kazoo']),
  'apache-zookeeper': {
    label: 'Apache ZooKeeper',
    packages: ['zookeeper'],
    probe: () => {
      const script = ['zkServer.sh', 'zkCli.sh'].map((s) => join(ZOOKEEPER_BIN, s)).find((s) => !existsSync(s));
      if (script) return `${script} not found`;
      // The scripts run java from $JAVA_HOME or PATH.
      return runs(process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin/java') : 'java', ['-version']);
    },
  },
  'kafka-schemas': {
    label: "Kafka's JSON schemas",
    packages: [],
    probe: () => {
      const { dir, source } = kafkaProtocolDir(REPO_ROOT);
      return existsSync(join(dir, 'messages')) ? undefined : `no ${join(dir, 'messages')} (from ${source})`;
    },
  },
} satisfies Record<string, Requirement>;

export type RequirementName = keyof typeof REQUIREMENTS;

/** How to get what is missing: one command for the packages, a setting for the schemas. */
export function remedy(name: RequirementName): string {
  return REQUIREMENTS[name].packages.length > 0 ? `install with \`${SETUP_COMMAND}\`` : 'point KAFKA_PROTOCOL_DIR at them';
}

declare module 'vitest' {
  interface TaskMeta {
    /** The requirements a skipped test lacked (set by `needs`). */
    missing?: RequirementName[];
  }
}

const strict = process.env.KTS_TEST_STRICT === '1';
const probed = new Map<RequirementName, string | undefined>();

/** Why `name` is unavailable on this machine, or undefined when it is there (probed once per test file). */
export function whyMissing(name: RequirementName): string | undefined {
  if (!probed.has(name)) probed.set(name, REQUIREMENTS[name].probe());
  return probed.get(name);
}

export function has(name: RequirementName): boolean {
  return whyMissing(name) === undefined;
}

/**
 * Test or suite options for something that needs `names`: skipped (naming them) when any is
 * missing, or, with KTS_TEST_STRICT=1, a failure of the test file.
 */
export function needs(...names: RequirementName[]): TestOptions {
  const missing = names.filter((name) => !has(name));
  if (missing.length === 0) return {};
  if (strict) {
    const reasons = missing.map((name) => `${REQUIREMENTS[name].label} (${whyMissing(name)}; ${remedy(name)})`);
    throw new Error(`KTS_TEST_STRICT=1 and this test needs what is missing: ${reasons.join('; ')}`);
  }
  return { skip: true, meta: { missing } };
}
