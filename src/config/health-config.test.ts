/** Validation of the cache, health and serve sections. */
import { describe, expect, it } from 'vitest';
import { loadConfig, validateConfig } from './load.ts';

function problem(input: unknown): string {
  try {
    validateConfig(input);
  } catch (error) {
    return (error as Error).message;
  }
  return 'valid';
}

describe('health, cache and serve settings', () => {
  it('has defaults that need no Redis and no checks', () => {
    const config = validateConfig({});

    expect(config.cache).toEqual({
      maxEntries: 1000,
      ttlJitter: 0.1,
      prefix: 'flywheel',
      redisTimeoutMs: 500,
      redisBreakMs: 10_000,
    });
    expect(config.health).toMatchObject({ failureThreshold: 3, successThreshold: 1, checks: [] });
    expect(config.serve).toEqual({ host: '127.0.0.1', port: 9464 });
  });

  it('reads durations and each kind of check', () => {
    const config = validateConfig({
      health: {
        downIntervalMs: '2s',
        checks: [
          {
            type: 'http',
            name: 'broker',
            url: 'http://127.0.0.1:9600/actuator/health',
            json: [{ path: 'components.db.status', equals: 'UP' }],
            maxLatencyMs: '500ms',
          },
          { type: 'tcp', name: 'pg-port', host: '127.0.0.1', port: 5432 },
          { type: 'redis', name: 'queue', urlEnv: 'QUEUE_URL' },
          { type: 'sql', name: 'warehouse', url: 'postgres://u@127.0.0.1:5432/db' },
        ],
      },
    });

    expect(config.health.downIntervalMs).toBe(2_000);
    expect(config.health.checks.map((check) => check.type)).toEqual([
      'http',
      'tcp',
      'redis',
      'sql',
    ]);
  });

  it('names the field of a bad check', () => {
    expect(
      problem({
        health: {
          checks: [
            { type: 'tcp', name: 'a', host: 'h', port: 70_000 },
            { type: 'redis', name: 'a' },
            { type: 'http', name: 'b', url: 'http://x', json: [{ path: 'a..b', equals: 1 }] },
          ],
        },
      }),
    ).toBe(
      [
        'invalid config:',
        '  - health.checks[0].port: Too big: expected number to be <=65535, got 70000',
        '  - health.checks[2].json[0].path: a path such as "status" or "components.db.status" or "checks[0].state", got "a..b"',
        '  - health.checks[1].name: the name "a" is used by an earlier check; names must be unique, got "a"',
        '  - health.checks[1]: a redis check needs "url" or "urlEnv", got {"type":"redis","name":"a","critical":false}',
      ].join('\n'),
    );
    expect(
      problem({
        health: {
          checks: [
            { type: 'redis', name: 'a' },
            { type: 'tcp', name: 'a', host: 'h', port: 1 },
          ],
        },
      }),
    ).toBe(
      [
        'invalid config:',
        '  - health.checks[0]: a redis check needs "url" or "urlEnv", got {"type":"redis","name":"a","critical":false}',
        '  - health.checks[1].name: the name "a" is used by an earlier check; names must be unique, got "a"',
      ].join('\n'),
    );
    expect(problem({ cache: { redisUrl: 'localhost:6379' } })).toMatch(
      /cache\.redisUrl: a Redis URL such as "redis:\/\/127\.0\.0\.1:6379", got "localhost:6379"/,
    );
  });

  it('takes the Redis URL from FLYWHEEL_CACHE__REDIS_URL', async () => {
    const config = await loadConfig({
      env: { FLYWHEEL_CACHE__REDIS_URL: 'redis://10.1.2.3:6379/2' },
    });

    expect(config.cache.redisUrl).toBe('redis://10.1.2.3:6379/2');
  });
});
