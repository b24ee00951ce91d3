import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/schema.ts';
import { parseJsonPath, readJsonPath } from './json-path.ts';

describe('parseJsonPath', () => {
  it('reads keys, indexes, wildcards and quoted keys', () => {
    expect(parseJsonPath('$.queues[*].depth')).toEqual([
      { kind: 'key', key: 'queues' },
      { kind: 'wildcard' },
      { kind: 'key', key: 'depth' },
    ]);
    expect(parseJsonPath('jvm["memory.used"][0]')).toEqual([
      { kind: 'key', key: 'jvm' },
      { kind: 'key', key: 'memory.used' },
      { kind: 'index', index: 0 },
    ]);
    expect(parseJsonPath('components.*.details.free')).toHaveLength(4);
  });

  it.each([
    ['', 'expected at least one key or index at character 1'],
    ['a..b', 'expected a key at character 3'],
    ['a[0]b', 'expected "." or "[" between steps at character 5'],
    ['a[x]', 'expected an index, "*" or a quoted key inside "[]" at character 2'],
    ['a[0', 'expected "]" at character 2'],
    ['a["b]', 'expected an index, "*" or a quoted key inside "[]" at character 2'],
  ])('rejects %j: %s', (path, message) => {
    expect(() => parseJsonPath(path)).toThrow(`JSON path "${path}": ${message}`);
  });
});

describe('readJsonPath', () => {
  const document = {
    components: { disk: { details: { free: 10 } }, db: { details: { free: '2.5e3' } } },
    list: [1, 'NaN', false, null, { a: 1 }],
  };

  it('walks object values with a wildcard, in their order', () => {
    expect(readJsonPath(document, parseJsonPath('components.*.details.free'))).toEqual({
      values: [10, 2500],
      errors: [],
    });
  });

  it('keeps the numbers it finds and names each miss by its concrete path', () => {
    const read = readJsonPath(document, parseJsonPath('list[*]'));
    expect(read.values).toEqual([1, Number.NaN, 0]);
    expect(read.errors).toEqual([
      '$.list[3]: expected a number, found null',
      '$.list[4]: expected a number, found an object with "a"',
    ]);
    expect(readJsonPath(document, parseJsonPath('list[9]')).errors).toEqual([
      '$.list: expected an array with an item [9], found an array of 5',
    ]);
  });
});

describe('config', () => {
  it('checks JSON paths and their URL when the config loads', () => {
    const result = configSchema.safeParse({
      services: [
        { name: 'a', jsonUrl: 'http://127.0.0.1:1/stats', jsonMetrics: { heap: 'jvm..used' } },
        { name: 'b', jsonMetrics: { heap: 'jvm.used' } },
      ],
    });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['services.0.jsonMetrics.heap', 'JSON path "jvm..used": expected a key at character 5'],
      ['services.1.jsonMetrics', 'jsonUrl and jsonMetrics go together: set both or neither'],
    ]);
  });
});
