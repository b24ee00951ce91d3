/** Real PostgreSQL for integration tests: 127.0.0.1:5432 with trust auth. */
import pg from 'pg';

export const PG_URL =
  process.env.FLYWHEEL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Whether PostgreSQL answers within a second; tests that need it skip with a message otherwise. */
export async function isPostgresUp(url = PG_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
