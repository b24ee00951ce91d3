/**
 * Says once, before the tests, which real parts are missing and so which tests will skip: the
 * default reporter does not show the titles of skipped tests, which carry the same reason.
 */
import { hasData, DATA_DIR } from './data.ts';
import { isPostgresUp, PG_URL } from './pg.ts';
import { isRedisUp, REDIS_URL } from './redis.ts';

export default async function reportMissingParts(): Promise<void> {
  const [isRedis, isPostgres] = await Promise.all([isRedisUp(), isPostgresUp()]);
  const missing = [
    hasData ? null : `${DATA_DIR} is absent: tests on the real recordings and datasets skip`,
    isRedis ? null : `no Redis at ${REDIS_URL}: the Redis cache and health tests skip`,
    isPostgres ? null : `no PostgreSQL at ${PG_URL}: the PostgreSQL health tests skip`,
  ].filter((line): line is string => line !== null);

  for (const line of missing) process.stderr.write(`note: ${line}\n`);
}
