import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { REQUIREMENTS, remedy, type RequirementName } from './requirements.js';

/**
 * A vitest reporter: after the run, one line naming what was skipped because this machine lacks
 * a requirement (`needs(...)` in test/helpers/requirements.ts), and how to get it.
 */
export default class SkipSummary implements Reporter {
  #vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.#vitest = vitest;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const line = skipSummary(modules);
    if (line !== undefined) this.#vitest?.logger.log(line);
  }
}

export function skipSummary(modules: ReadonlyArray<TestModule>): string | undefined {
  const counts = new Map<RequirementName, number>();
  let skipped = 0;
  for (const module of modules) {
    for (const test of module.children.allTests('skipped')) {
      const missing = test.meta().missing ?? [];
      if (missing.length > 0) skipped++;
      for (const name of missing) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  if (skipped === 0) return undefined;
  const byRemedy = new Map<string, string[]>();
  for (const [name, count] of counts) {
    const how = remedy(name);
    byRemedy.set(how, [...(byRemedy.get(how) ?? []), `${REQUIREMENTS[name].label} (${count})`]);
  }
  const parts = [...byRemedy].map(([how, what]) => `${what.join(', ')} — ${how}`);
  return `Skipped ${skipped} test${skipped === 1 ? '' : 's'} for lack of ${parts.join('; ')}`;
}
