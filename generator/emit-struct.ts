import { ifElse, ternary, versionCondition } from './conditions.js';
import { defaultValue, isNullableType, type ElementType, type FieldSpec, type FieldType, type StructSpec } from './schema.js';
import type { VersionRange } from './versions.js';

/** Names the generated code takes from the hand-written primitives; the file emitter imports them. */
export type Helper =
  | 'Reader'
  | 'Writer'
  | 'ZERO_UUID'
  | 'unsupportedField'
  | 'nonNull'
  | 'JsonObject'
  | 'JsonValue'
  | `read${string}`
  | `write${string}`;

/** Emits the interface, default factory, encoder and decoder of one struct. */
export class StructEmitter {
  constructor(
    private readonly struct: StructSpec,
    private readonly flexible: VersionRange | null,
    private readonly use: (helper: Helper) => string,
  ) {}

  private get context(): VersionRange {
    // A struct no version can carry (an unused common struct) still gets code, checked at no version.
    return this.struct.context ?? { lo: 0, hi: -1 };
  }

  /**
   * `withDefaultCheck`: also emit `isDefaultX`, for structs that must be compared with their
   * default; `withJson`: also `xToJson`, Kafka's JsonConverter.write (for records tools print).
   */
  emit(withDefaultCheck: boolean, withJson = false): string {
    const parts = [this.interface(), this.factory()];
    if (withDefaultCheck) parts.push(this.defaultCheck());
    parts.push(this.encoder(), this.decoder());
    if (withJson) parts.push(this.toJson());
    return parts.join('\n\n');
  }

  /**
   * Kafka's generated JsonConverter.write: every field the version has, under its camelCase name;
   * tagged fields only when not default. int64 stays bigint, bytes become base64 text.
   */
  private toJson(): string {
    const lines = [`const o: ${this.use('JsonObject')} = {};`];
    for (const f of this.struct.fields) {
      const present = versionCondition(f.versions, this.context);
      // A tagged field written only when not its null default needs no null check of its own.
      const nullable = isNullableType(f) && !(f.tag !== undefined && defaultValue(f) === null);
      const value = this.jsonValue(f.type, `m.${f.prop}`, nullable);
      const set = f.tag !== undefined ? [`if (${this.nonDefault(f, `m.${f.prop}`)}) o.${f.prop} = ${value};`] : [`o.${f.prop} = ${value};`];
      lines.push(
        ...ifElse(
          present,
          () => set,
          () => [],
        ),
      );
    }
    lines.push('return o;');
    const { typeName } = this.struct;
    const name = typeName.charAt(0).toLowerCase() + typeName.slice(1);
    return fn(`export function ${name}ToJson`, [`m: ${typeName}`, 'v: number'], this.use('JsonObject'), lines);
  }

  private jsonValue(t: FieldType, access: string, nullable: boolean): string {
    const orNull = (expr: string) => (nullable ? `${access} === null ? null : ${expr}` : expr);
    if (t.kind === 'struct') return orNull(`${lowerFirst(t.struct.typeName)}ToJson(${access}, v)`);
    if (t.kind === 'array') {
      const element = t.element;
      const each =
        element.kind === 'struct'
          ? `(e) => ${lowerFirst(element.struct.typeName)}ToJson(e, v)`
          : element.name === 'bytes'
            ? `(e: Buffer): ${this.use('JsonValue')} => e.toString('base64')`
            : undefined;
      return orNull(each === undefined ? `[...${access}]` : `${access}.map(${each})`);
    }
    if (t.name === 'bytes') return orNull(`${access}.toString('base64')`);
    if (t.name === 'records') return orNull(`${access}.length`);
    return access;
  }

  /** Field-by-field comparison with the default, without building a default instance. */
  private defaultCheck(): string {
    const tests = this.struct.fields.map((f) => this.isDefault(f, `m.${f.prop}`));
    const body = tests.length ? [`return (`, ...tests.map((t, i) => `  ${t}${i < tests.length - 1 ? ' &&' : ''}`), ');'] : ['return true;'];
    return fn(`export function isDefault${this.struct.typeName}`, [`m: ${this.struct.typeName}`], 'boolean', body);
  }

  private interface(): string {
    const lines = [`export interface ${this.struct.typeName} {`];
    for (const f of this.struct.fields) {
      const doc = [f.about.trim(), versionNote(f)].filter((s) => s.length > 0).join(' ');
      if (doc) lines.push(`  /** ${doc.replace(/\*\//g, '*\\/')} */`);
      lines.push(`  ${f.prop}: ${this.tsType(f)};`);
    }
    lines.push('}');
    return lines.join('\n');
  }

  private tsType(f: FieldSpec): string {
    const base = f.type.kind === 'array' ? `${elementTsType(f.type.element)}[]` : elementTsType(f.type);
    return isNullableType(f) ? `${base} | null` : base;
  }

  private factory(): string {
    const props = this.struct.fields.map((f) => `    ${f.prop}: ${this.defaultLiteral(f)},`);
    const body = props.length ? ['  return {', ...props, '  };'] : ['  return {};'];
    return [`export function default${this.struct.typeName}(): ${this.struct.typeName} {`, ...body, '}'].join('\n');
  }

  private defaultLiteral(f: FieldSpec): string {
    const value = defaultValue(f);
    if (value === null) return 'null';
    if (Array.isArray(value)) return '[]';
    if (Buffer.isBuffer(value)) return 'Buffer.alloc(0)';
    if (f.type.kind === 'struct') return `default${f.type.struct.typeName}()`;
    if (typeof value === 'bigint') return `${value}n`;
    if (f.type.kind === 'primitive' && f.type.name === 'uuid') return this.use('ZERO_UUID');
    if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    return String(value);
  }

  private isDefault(f: FieldSpec, access: string): string {
    const value = defaultValue(f);
    if (value === null) return `${access} === null`;
    if (Array.isArray(value) || Buffer.isBuffer(value)) {
      return isNullableType(f) ? `${access} !== null && ${access}.length === 0` : `${access}.length === 0`;
    }
    if (f.type.kind === 'struct') return `isDefault${f.type.struct.typeName}(${access})`;
    return `${access} === ${this.defaultLiteral(f)}`;
  }

  /** Expression that is true when the field holds something other than its default. */
  private nonDefault(f: FieldSpec, access: string): string {
    const value = defaultValue(f);
    if (value === null) return `${access} !== null`;
    if (Array.isArray(value) || Buffer.isBuffer(value)) {
      return isNullableType(f) ? `(${access} === null || ${access}.length !== 0)` : `${access}.length !== 0`;
    }
    if (f.type.kind === 'struct') return `!isDefault${f.type.struct.typeName}(${access})`;
    return `${access} !== ${this.defaultLiteral(f)}`;
  }

  private where(f: FieldSpec): string {
    return `'${this.struct.typeName}.${f.prop}'`;
  }

  /** Statement rejecting a non-default value at a version that lacks the field (unless ignorable). */
  private rejectIfSet(f: FieldSpec): string[] {
    if (f.ignorable) return [];
    return [`if (${this.nonDefault(f, `m.${f.prop}`)}) ${this.use('unsupportedField')}(${this.where(f)}, v);`];
  }

  private encoder(): string {
    const lines: string[] = [];
    const positional = this.struct.fields.filter((f) => f.tag === undefined);
    const tagged = this.struct.fields.filter((f) => f.tag !== undefined).sort((a, b) => a.tag! - b.tag!);
    for (const f of positional) {
      const present = versionCondition(f.versions, this.context);
      lines.push(
        ...ifElse(
          present,
          () => this.writeByVersion(f, present.whenTrue, 'w', false),
          () => this.rejectIfSet(f),
        ),
      );
    }
    const flex = versionCondition(this.flexible, this.context);
    for (const f of tagged) {
      const present = versionCondition(f.versions, this.context);
      lines.push(
        ...ifElse(
          present,
          () => [],
          () => this.rejectIfSet(f),
        ),
      );
    }
    lines.push(
      ...ifElse(
        flex,
        () => this.encodeTaggedSection(tagged, flex.whenTrue),
        () => [],
      ),
    );
    const { typeName } = this.struct;
    return fn(`export function encode${typeName}`, [`w: ${this.use('Writer')}`, `m: ${typeName}`, 'v: number'], 'void', lines);
  }

  private encodeTaggedSection(tagged: FieldSpec[], known: VersionRange): string[] {
    const present = tagged.filter((f) => versionCondition(f.versions, known).test !== false);
    if (present.length === 0) return ['w.uvarint(0);'];
    const lines: string[] = [];
    const flags = present.map((f) => {
      const flag = `has${f.name}`;
      const inVersion = versionCondition(f.versions, known).test;
      const test = this.nonDefault(f, `m.${f.prop}`);
      lines.push(`const ${flag} = ${inVersion === true ? test : `${inVersion} && ${test}`};`);
      return flag;
    });
    const count = flags.length === 1 ? `${flags[0]} ? 1 : 0` : flags.map((flag) => `(${flag} ? 1 : 0)`).join(' + ');
    lines.push(`w.uvarint(${count});`);
    present.forEach((f, i) => {
      const write = this.writeByVersion(f, versionCondition(f.versions, known).whenTrue, 't', true);
      if (write.length !== 1) throw new Error(`${this.struct.typeName}.${f.prop}: tagged payload must be one statement`);
      lines.push(`if (${flags[i]}) w.taggedField(${f.tag}, (t) => ${write[0]!.replace(/;$/, '')});`);
    });
    return lines;
  }

  /** Writes the field, choosing compact/classic and nullable/non-null encodings by version. */
  private writeByVersion(f: FieldSpec, known: VersionRange, w: string, tagged: boolean): string[] {
    const flex = versionCondition(f.flexibleVersions, known);
    const perNullability = (compact: boolean, k: VersionRange) => {
      const nullable = versionCondition(f.nullableVersions, k);
      return ifElse(
        nullable,
        () => [this.writeStatement(f, w, compact, true, tagged)],
        () => [this.writeStatement(f, w, compact, false, tagged)],
      );
    };
    return ifElse(
      flex,
      () => perNullability(true, flex.whenTrue),
      () => perNullability(false, flex.whenFalse),
    );
  }

  private writeStatement(f: FieldSpec, w: string, compact: boolean, nullable: boolean, tagged: boolean): string {
    let value = `m.${f.prop}`;
    const needsNonNull = isNullableType(f) && (!nullable || (tagged && f.type.kind === 'struct'));
    if (needsNonNull) value = `${this.use('nonNull')}(${value}, ${this.where(f)}, v)`;
    const t = f.type;
    if (t.kind === 'struct') {
      if (nullable && !tagged) return `${w}.nullableStruct(${value}, encode${t.struct.typeName}, v);`;
      return `encode${t.struct.typeName}(${w}, ${value}, v);`;
    }
    if (t.kind === 'array') {
      return `${w}.${arrayMethod(compact, nullable)}(${value}, ${this.elementCodec('write', t.element, compact)}, v);`;
    }
    return `${w}.${primitiveMethod(t.name, compact, nullable)}(${value});`;
  }

  private elementCodec(direction: 'read' | 'write', element: ElementType, compact: boolean): string {
    if (element.kind === 'struct') return `${direction === 'read' ? 'decode' : 'encode'}${element.struct.typeName}`;
    const names: Partial<Record<string, string>> = {
      int8: 'Int8',
      int32: 'Int32',
      int64: 'Int64',
      uuid: 'Uuid',
      string: compact ? 'CompactString' : 'String',
    };
    const name = names[element.name];
    if (!name) throw new Error(`${this.struct.typeName}: arrays of ${element.name} are not supported`);
    return this.use(`${direction}${name}`);
  }

  private decoder(): string {
    const { typeName } = this.struct;
    const tagged = this.struct.fields.filter((f) => f.tag !== undefined).sort((a, b) => a.tag! - b.tag!);
    const flex = versionCondition(this.flexible, this.context);
    const props = this.struct.fields.map((f) => {
      if (f.tag !== undefined) return `  ${f.prop}: ${this.defaultLiteral(f)},`;
      const present = versionCondition(f.versions, this.context);
      const value = ternary(
        present,
        () => this.readByVersion(f, present.whenTrue, false),
        () => this.defaultLiteral(f),
      );
      return `  ${f.prop}: ${value},`;
    });
    const tagLines = ifElse(
      flex,
      () => this.decodeTaggedSection(tagged, flex.whenTrue),
      () => [],
    );
    const head = tagLines.length === 0 ? 'return' : `const m: ${typeName} =`;
    const lines = props.length ? [`${head} {`, ...props, '};'] : [`${head} {};`];
    if (tagLines.length !== 0) lines.push(...tagLines, 'return m;');
    return fn(`export function decode${typeName}`, [`r: ${this.use('Reader')}`, 'v: number'], typeName, lines);
  }

  private decodeTaggedSection(tagged: FieldSpec[], known: VersionRange): string[] {
    const present = tagged.filter((f) => versionCondition(f.versions, known).test !== false);
    if (present.length === 0) return ['r.skipTaggedFields();'];
    const branches = present.map((f, i) => {
      const inVersion = versionCondition(f.versions, known);
      const test = inVersion.test === true ? `tag === ${f.tag}` : `tag === ${f.tag} && ${inVersion.test}`;
      return `${i === 0 ? 'if' : 'else if'} (${test}) m.${f.prop} = ${this.readByVersion(f, inVersion.whenTrue, true)};`;
    });
    return [
      'for (let n = r.uvarint(); n > 0; n--) {',
      '  const tag = r.uvarint();',
      '  const end = r.taggedFieldEnd();',
      ...branches.map((b) => `  ${b}`),
      '  else r.pos = end;',
      '  r.endTaggedField(end);',
      '}',
    ];
  }

  private readByVersion(f: FieldSpec, known: VersionRange, tagged: boolean): string {
    const flex = versionCondition(f.flexibleVersions, known);
    const perNullability = (compact: boolean, k: VersionRange) => {
      const nullable = versionCondition(f.nullableVersions, k);
      return ternary(
        nullable,
        () => this.readExpression(f.type, compact, true, tagged),
        () => this.readExpression(f.type, compact, false, tagged),
      );
    };
    return ternary(
      flex,
      () => perNullability(true, flex.whenTrue),
      () => perNullability(false, flex.whenFalse),
    );
  }

  private readExpression(t: FieldType, compact: boolean, nullable: boolean, tagged: boolean): string {
    if (t.kind === 'struct') {
      if (nullable && !tagged) return `r.nullableStruct(decode${t.struct.typeName}, v)`;
      return `decode${t.struct.typeName}(r, v)`;
    }
    if (t.kind === 'array') {
      const method = arrayMethod(compact, nullable);
      return `r.${method}(${this.elementCodec('read', t.element, compact)}, v)`;
    }
    return `r.${primitiveMethod(t.name, compact, nullable)}()`;
  }
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function elementTsType(t: ElementType): string {
  if (t.kind === 'struct') return t.struct.typeName;
  switch (t.name) {
    case 'bool':
      return 'boolean';
    case 'int64':
      return 'bigint';
    case 'uuid':
    case 'string':
      return 'string';
    case 'bytes':
    case 'records':
      return 'Buffer';
    default:
      return 'number';
  }
}

function arrayMethod(compact: boolean, nullable: boolean): string {
  if (compact) return nullable ? 'compactNullableArray' : 'compactArray';
  return nullable ? 'nullableArray' : 'array';
}

function primitiveMethod(name: string, compact: boolean, nullable: boolean): string {
  if (name === 'string' || name === 'bytes' || name === 'records') {
    const base = name === 'string' ? 'String' : 'Bytes';
    if (compact) return nullable ? `compactNullable${base}` : `compact${base}`;
    return nullable ? `nullable${base}` : base.toLowerCase();
  }
  return name;
}

function versionNote(f: FieldSpec): string {
  const range = (r: VersionRange | null) =>
    r === null ? 'none' : r.hi === Infinity ? `${r.lo}+` : r.lo === r.hi ? `${r.lo}` : `${r.lo}-${r.hi}`;
  const parts = [`Versions ${range(f.versions)}`];
  if (f.nullableVersions) parts.push(`nullable ${range(f.nullableVersions)}`);
  if (f.tag !== undefined) parts.push(`tag ${f.tag}`);
  return `(${parts.join(', ')}.)`;
}

/** A function declaration; parameters the body never mentions get a `_` prefix (noUnusedParameters). */
function fn(head: string, params: string[], returns: string, body: string[]): string {
  const text = body.join('\n');
  const named = params.map((p) => {
    const name = p.slice(0, p.indexOf(':'));
    return new RegExp(`\\b${name}\\b`).test(text) ? p : `_${p}`;
  });
  return [`${head}(${named.join(', ')}): ${returns} {`, ...body.map((l) => (l ? `  ${l}` : l)), '}'].join('\n');
}
