import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/util/errors.js';
import { exitCodeOf } from '../../../src/cli/errors.js';
import { bootstrapBrokers, formatBroker, formatBrokers, parseBootstrapServers } from '../../../src/client/bootstrap.js';

const parse = (value: string | undefined, env: NodeJS.ProcessEnv = {}) => parseBootstrapServers(value, env);
const hosts = (value: string) => formatBrokers(parse(value));

describe('parseBootstrapServers', () => {
  it('parses a comma-separated host:port list', () => {
    expect(parse('a:1,b.example.com:9093,10.0.0.1:19092')).toEqual([
      { host: 'a', port: 1 },
      { host: 'b.example.com', port: 9093 },
      { host: '10.0.0.1', port: 19092 },
    ]);
  });

  it('defaults the port to 9092', () => {
    expect(parse('kafka-1,kafka_2')).toEqual([
      { host: 'kafka-1', port: 9092 },
      { host: 'kafka_2', port: 9092 },
    ]);
  });

  it('accepts whitespace, full-width commas and surrounding brackets as written in notes', () => {
    expect(hosts(' a:1 ,  b:2\tc:3\n')).toBe('a:1,b:2,c:3');
    expect(hosts('a:1，b:2 ， c:3')).toBe('a:1,b:2,c:3');
    expect(hosts('【a:1，b:2】')).toBe('a:1,b:2');
    expect(hosts('[a:1, b:2]')).toBe('a:1,b:2');
    expect(hosts('[a:1]')).toBe('a:1');
    expect(hosts('【a:1】,【b】')).toBe('a:1,b:9092');
  });

  it('reads IPv6 literals in brackets, and tells them apart from a bracketed list', () => {
    expect(parse('[::1]:9092')).toEqual([{ host: '::1', port: 9092 }]);
    expect(parse('[::1]')).toEqual([{ host: '::1', port: 9092 }]);
    expect(parse('[fe80::1]:9093,[::1]')).toEqual([
      { host: 'fe80::1', port: 9093 },
      { host: '::1', port: 9092 },
    ]);
    expect(parse('[[::1]:9093, a:1]')).toEqual([
      { host: '::1', port: 9093 },
      { host: 'a', port: 1 },
    ]);
    expect(parse('【[2001:db8::5]:9094】')).toEqual([{ host: '2001:db8::5', port: 9094 }]);
  });

  it('drops a listener-style scheme pasted from broker configs', () => {
    expect(hosts('PLAINTEXT://a:1,SASL_SSL://[::1]:2')).toBe('a:1,[::1]:2');
  });

  it('drops duplicates and keeps the first order', () => {
    expect(hosts('b:1,a:1,b:1,a,a:9092,[::1],[::1]:9092')).toBe('b:1,a:1,a:9092,[::1]:9092');
  });

  it('falls back to KTS_BOOTSTRAP_SERVER, then localhost:9092', () => {
    expect(parse(undefined, { KTS_BOOTSTRAP_SERVER: 'env-host:1234' })).toEqual([{ host: 'env-host', port: 1234 }]);
    expect(parse(undefined, { KTS_BOOTSTRAP_SERVER: '  ' })).toEqual([{ host: 'localhost', port: 9092 }]);
    expect(parse(undefined, {})).toEqual([{ host: 'localhost', port: 9092 }]);
    expect(parse('given:1', { KTS_BOOTSTRAP_SERVER: 'env-host:1234' })).toEqual([{ host: 'given', port: 1 }]);
  });

  it.each([
    ['a:0', "invalid bootstrap server 'a:0': port must be 1-65535, not '0'"],
    ['a:65536', "invalid bootstrap server 'a:65536': port must be 1-65535, not '65536'"],
    ['a:x', "invalid bootstrap server 'a:x': port must be 1-65535, not 'x'"],
    ['a:', "invalid bootstrap server 'a:': missing port"],
    [':9092', "invalid bootstrap server ':9092': missing host"],
    ['b:1,ho$t:1', "invalid bootstrap server 'ho$t:1': not a valid host name"],
    ['a/b:1', "invalid bootstrap server 'a/b:1': not a valid host name"],
    ['-a:1', "invalid bootstrap server '-a:1': not a valid host name"],
    ['::1', "invalid bootstrap server '::1': put IPv6 addresses in brackets, e.g. [::1]:9092"],
    ['fe80::1:9092', "invalid bootstrap server 'fe80::1:9092': put IPv6 addresses in brackets, e.g. [::1]:9092"],
    ['[::1', "invalid bootstrap server '[::1': unclosed '['"],
    ['[::1]9092', "invalid bootstrap server '[::1]9092': expected host:port"],
    ['[::1]:99999', "invalid bootstrap server '[::1]:99999': port must be 1-65535, not '99999'"],
    ['[nothost]:1,a', "invalid bootstrap server '[nothost]:1': brackets are only for IPv6 addresses"],
    [' , ，', 'no bootstrap server given (expected host:port[,host:port...])'],
    ['', 'no bootstrap server given (expected host:port[,host:port...])'],
  ])('rejects %j with a one-line UsageError', (input, message) => {
    let caught: unknown;
    try {
      parse(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).message).toBe(`Error: ${message}`);
    expect(exitCodeOf(caught)).toBe(2);
  });
});

describe('formatBroker', () => {
  it('brackets IPv6 hosts only', () => {
    expect(formatBroker({ host: '::1', port: 9092 })).toBe('[::1]:9092');
    expect(formatBroker({ host: '127.0.0.1', port: 1 })).toBe('127.0.0.1:1');
    expect(formatBroker({ host: 'kafka', port: 2 })).toBe('kafka:2');
  });
});

describe('bootstrapBrokers', () => {
  it('takes --bootstrap-server over bootstrap.servers, and an empty property as unset', () => {
    const properties = new Map([['bootstrap.servers', 'props:1']]);
    expect(bootstrapBrokers({ bootstrapServer: 'flag:2', properties })).toEqual([{ host: 'flag', port: 2 }]);
    expect(bootstrapBrokers({ properties })).toEqual([{ host: 'props', port: 1 }]);
    const env = process.env.KTS_BOOTSTRAP_SERVER;
    process.env.KTS_BOOTSTRAP_SERVER = 'env:3';
    try {
      expect(bootstrapBrokers({ properties: new Map([['bootstrap.servers', '']]) })).toEqual([{ host: 'env', port: 3 }]);
    } finally {
      if (env === undefined) delete process.env.KTS_BOOTSTRAP_SERVER;
      else process.env.KTS_BOOTSTRAP_SERVER = env;
    }
  });
});
