import { readFileSync } from 'node:fs';
import { ZERO_UUID } from '../src/protocol/primitives/uuid.js';
import { contains, hull, intersect, parseVersions, type VersionRange } from './versions.js';
import { propertyName, structTypeName } from './naming.js';

/** A field or struct definition exactly as Kafka's JSON spells it. */
interface RawField {
  name: string;
  type: string;
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  default?: string | number | boolean | null;
  ignorable?: boolean;
  flexibleVersions?: string;
  about?: string;
  fields?: RawField[];
}

export interface RawMessage {
  apiKey?: number;
  type: string;
  name: string;
  validVersions: string;
  flexibleVersions: string;
  latestVersionUnstable?: boolean;
  listeners?: string[];
  fields: RawField[];
  commonStructs?: { name: string; versions?: string; fields: RawField[] }[];
}

export const PRIMITIVES = ['bool', 'int8', 'int16', 'uint16', 'int32', 'int64', 'float64', 'uuid', 'string', 'bytes', 'records'] as const;
export type Primitive = (typeof PRIMITIVES)[number];

export type ElementType = { kind: 'primitive'; name: Primitive } | { kind: 'struct'; struct: StructSpec };
export type FieldType = ElementType | { kind: 'array'; element: ElementType };

export interface FieldSpec {
  /** Schema name (PascalCase) and the camelCase property name. */
  readonly name: string;
  readonly prop: string;
  readonly type: FieldType;
  readonly versions: VersionRange | null;
  readonly nullableVersions: VersionRange | null;
  /** Where compact encodings apply to this field (per-field override or the message's). */
  readonly flexibleVersions: VersionRange | null;
  readonly tag: number | undefined;
  readonly ignorable: boolean;
  readonly rawDefault: string | number | boolean | null | undefined;
  readonly about: string;
}

export interface StructSpec {
  readonly name: string;
  /** TypeScript interface name, unique within the generated file. */
  readonly typeName: string;
  readonly fields: FieldSpec[];
  /** Versions in which this struct can be on the wire: bounds the version checks we emit. */
  context: VersionRange | null;
}

export interface MessageSpec {
  readonly name: string;
  readonly type: string;
  readonly apiKey: number | undefined;
  readonly validVersions: VersionRange;
  readonly flexibleVersions: VersionRange | null;
  readonly latestVersionUnstable: boolean;
  readonly listeners: readonly string[];
  readonly root: StructSpec;
  /** Every struct of the message, root first, then in order of first use. */
  readonly structs: StructSpec[];
}

/** Kafka's schema files are JSON plus whole-line `//` comments. */
export function readSchemaJson(file: string): RawMessage {
  const text = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n');
  return JSON.parse(text) as RawMessage;
}

export function buildMessage(raw: RawMessage): MessageSpec {
  const validVersions = parseVersions(raw.validVersions);
  if (validVersions === null) throw new Error(`${raw.name}: no valid versions`);
  const flexibleVersions = parseVersions(raw.flexibleVersions);
  const byName = new Map<string, StructSpec>();
  const commonRaw = new Map((raw.commonStructs ?? []).map((s) => [s.name, s]));

  const makeStruct = (name: string, rawFields: RawField[]): StructSpec => {
    if (byName.has(name)) throw new Error(`${raw.name}: struct ${name} defined twice`);
    const struct: StructSpec = { name, typeName: structTypeName(raw.name, name), fields: [], context: null };
    byName.set(name, struct);
    struct.fields.push(...rawFields.map((f) => makeField(f)));
    return struct;
  };

  const elementType = (typeName: string, field: RawField): ElementType => {
    if ((PRIMITIVES as readonly string[]).includes(typeName)) {
      return { kind: 'primitive', name: typeName as Primitive };
    }
    if (field.fields) return { kind: 'struct', struct: makeStruct(typeName, field.fields) };
    const existing = byName.get(typeName);
    if (existing) return { kind: 'struct', struct: existing };
    const common = commonRaw.get(typeName);
    if (!common) throw new Error(`${raw.name}.${field.name}: unknown type ${typeName}`);
    return { kind: 'struct', struct: makeStruct(typeName, common.fields) };
  };

  const makeField = (f: RawField): FieldSpec => {
    const versions = parseVersions(f.versions);
    const type: FieldType = f.type.startsWith('[]') ? { kind: 'array', element: elementType(f.type.slice(2), f) } : elementType(f.type, f);
    if (f.tag !== undefined) {
      const tagged = parseVersions(f.taggedVersions);
      // Kafka allows a field to be positional in early versions and tagged later; 3.9 never does.
      if (tagged === null || versions === null || tagged.lo !== versions.lo || !contains(flexibleVersions, tagged)) {
        throw new Error(`${raw.name}.${f.name}: tagged versions must equal versions and be flexible`);
      }
    }
    return {
      name: f.name,
      prop: propertyName(f.name),
      type,
      versions,
      nullableVersions: parseVersions(f.nullableVersions),
      flexibleVersions: parseVersions(f.flexibleVersions, flexibleVersions),
      tag: f.tag,
      ignorable: f.ignorable === true,
      rawDefault: f.default,
      about: f.about ?? '',
    };
  };

  const root = makeStruct(raw.name, raw.fields);
  // Common structs nobody references are still part of the file's vocabulary.
  for (const name of commonRaw.keys()) if (!byName.has(name)) makeStruct(name, commonRaw.get(name)!.fields);
  assignContexts(root, validVersions);
  return {
    name: raw.name,
    type: raw.type,
    apiKey: raw.apiKey,
    validVersions,
    flexibleVersions,
    latestVersionUnstable: raw.latestVersionUnstable === true,
    listeners: raw.listeners ?? [],
    root,
    structs: [...byName.values()],
  };
}

/** Widens each struct's context to cover every version in which a parent field can carry it. */
function assignContexts(struct: StructSpec, range: VersionRange | null): void {
  if (range === null || contains(struct.context, range)) return;
  struct.context = hull(struct.context, range);
  for (const field of struct.fields) {
    const child = structOf(field.type);
    if (child) assignContexts(child, intersect(struct.context, field.versions));
  }
}

export function structOf(type: FieldType): StructSpec | undefined {
  if (type.kind === 'struct') return type.struct;
  if (type.kind === 'array' && type.element.kind === 'struct') return type.element.struct;
  return undefined;
}

/** True when the field's TypeScript type must admit null. */
export function isNullableType(field: FieldSpec): boolean {
  return (
    field.nullableVersions !== null ||
    field.rawDefault === 'null' ||
    field.rawDefault === null ||
    (field.type.kind === 'primitive' && field.type.name === 'records')
  );
}

/** The value a field takes when it is not on the wire, as a runtime value (structs built recursively). */
export function defaultValue(field: FieldSpec): unknown {
  const d = field.rawDefault;
  const isNull = d === 'null' || d === null;
  const t = field.type;
  if (t.kind === 'array') return isNull ? null : [];
  if (t.kind === 'struct') return isNull ? null : structDefault(t.struct);
  switch (t.name) {
    case 'bool':
      return d === true || d === 'true';
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'float64': {
      const n = d === undefined ? 0 : Number(d);
      if (Number.isNaN(n)) throw new Error(`${field.name}: bad default ${String(d)}`);
      return n;
    }
    case 'int64':
      return d === undefined ? 0n : BigInt(d as string | number);
    case 'uuid':
      return ZERO_UUID;
    case 'string':
      return isNull ? null : String(d ?? '');
    case 'bytes':
      return isNull ? null : Buffer.alloc(0);
    case 'records':
      return null;
  }
}

export function structDefault(struct: StructSpec): Record<string, unknown> {
  return Object.fromEntries(struct.fields.map((f) => [f.prop, defaultValue(f)]));
}
