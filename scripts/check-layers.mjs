// Checks that src/ imports only downwards and has no import cycle (rules: .dependency-cruiser.cjs),
// and prints the import graph between the layers. `npm run lint` runs it; any violation exits 1.
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

/** Layers from the top down, as the summary lists them; the first prefix a module matches wins. */
const LAYERS = [
  ['index', /^src\/index\.ts$/],
  ['cli', /^src\/cli\//],
  ['tools', /^src\/tools\//],
  ['broker', /^src\/broker\//],
  ['zookeeper/client', /^src\/zookeeper\/client\//],
  ['zookeeper/jute', /^src\/zookeeper\/jute\//],
  ['zookeeper/protocol', /^src\/zookeeper\/protocol\//],
  ['zookeeper', /^src\/zookeeper\//],
  ['client', /^src\/client\//],
  ['protocol', /^src\/protocol\//],
  ['util', /^src\/util\//],
];

const layerOf = (path) => LAYERS.find(([, pattern]) => pattern.test(path))?.[0] ?? path;

const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
const { output } = await cruise(['src'], { ...options, outputType: 'json' }, {}, { tsConfig: extractTSConfig('tsconfig.json') });
const result = typeof output === 'string' ? JSON.parse(output) : output;

const edges = new Map();
for (const module of result.modules) {
  if (!module.source.startsWith('src/')) continue;
  for (const dep of module.dependencies) {
    if (!dep.resolved.startsWith('src/')) continue;
    const from = layerOf(module.source);
    const to = layerOf(dep.resolved);
    if (from === to) continue;
    const targets = edges.get(from) ?? new Map();
    targets.set(to, (targets.get(to) ?? 0) + 1);
    edges.set(from, targets);
  }
}
const order = LAYERS.map(([name]) => name);
const width = Math.max(...order.map((name) => name.length));
console.log('Imports between layers (number of module → module imports):');
for (const from of order) {
  const targets = edges.get(from);
  if (!targets) continue;
  const list = [...targets].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)).map(([to, n]) => `${to} ${n}`);
  console.log(`  ${from.padEnd(width)} → ${list.join(', ')}`);
}

const rules = new Map(options.ruleSet.forbidden.map((rule) => [rule.name, rule.comment]));
const violations = result.summary.violations;
const { totalCruised, totalDependenciesCruised } = result.summary;
if (violations.length === 0) {
  console.log(`No import from a lower layer to a higher one, no cycle (${totalCruised} modules, ${totalDependenciesCruised} imports).`);
} else {
  for (const v of violations) {
    const path = v.cycle ? [v.from, ...v.cycle.map((step) => step.name ?? step)].join(' → ') : `${v.from} → ${v.to}`;
    console.error(`${v.rule.name}: ${path}\n  ${rules.get(v.rule.name) ?? ''}`);
  }
  console.error(`${violations.length} import(s) break the layering rules in .dependency-cruiser.cjs.`);
  process.exitCode = 1;
}
