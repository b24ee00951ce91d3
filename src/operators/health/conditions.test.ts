import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataPath, hasData, SKIP_NOTE } from '../../../test/support/data.ts';
import { checkJsonConditions } from './conditions.ts';

const body = {
  status: 'UP',
  components: { db: { status: 'UP', details: { database: 'H2' } } },
  checks: [{ name: 'disk', free: 120 }],
};

describe('checkJsonConditions', () => {
  it('holds when every condition holds', () => {
    expect(
      checkJsonConditions(body, [
        { path: 'status', equals: 'UP' },
        { path: 'components.db.status', oneOf: ['UP', 'UNKNOWN'] },
        { path: 'checks[0].free', atLeast: 100, atMost: 500 },
        { path: 'components.redis', exists: false },
      ]),
    ).toBeNull();
  });

  it('names the path, the value found and the value expected', () => {
    expect(
      checkJsonConditions(body, [{ path: 'components.db.details.database', equals: 'PostgreSQL' }]),
    ).toBe('components.db.details.database is "H2", expected "PostgreSQL"');
    expect(checkJsonConditions(body, [{ path: 'checks[0].free', atLeast: 500 }])).toBe(
      'checks[0].free is 120, expected a number of at least 500',
    );
    expect(checkJsonConditions(body, [{ path: 'components.mail.status', equals: 'UP' }])).toBe(
      'components.mail.status is missing, expected "UP"',
    );
    expect(checkJsonConditions(body, [{ path: 'checks[3].name', exists: true }])).toBe(
      'checks[3].name is missing',
    );
    expect(checkJsonConditions(body, [{ path: 'status', exists: false }])).toBe(
      'status is "UP", expected it absent',
    );
  });

  it('does not read through a string or into an array by key', () => {
    expect(checkJsonConditions(body, [{ path: 'status.length', exists: true }])).toBe(
      'status.length is missing',
    );
    expect(checkJsonConditions(body, [{ path: 'checks.name', exists: true }])).toBe(
      'checks.name is missing',
    );
  });
});

describe.skipIf(!hasData)(`the recorded Spring Boot Actuator body${SKIP_NOTE}`, () => {
  const actuator = (): unknown =>
    JSON.parse(
      readFileSync(dataPath('health-checks/camunda-issue-40377-actuator-health.json'), 'utf8'),
    );

  it('is up with every component up', () => {
    expect(
      checkJsonConditions(actuator(), [
        { path: 'status', equals: 'UP' },
        { path: 'components.brokerReady.status', equals: 'UP' },
        { path: 'components.db.status', equals: 'UP' },
        { path: 'groups[0]', equals: 'readiness' },
      ]),
    ).toBeNull();
  });

  it('is down when a condition asks for another database', () => {
    expect(
      checkJsonConditions(actuator(), [
        { path: 'components.db.details.database', equals: 'PostgreSQL' },
      ]),
    ).toBe('components.db.details.database is "H2", expected "PostgreSQL"');
  });
});
