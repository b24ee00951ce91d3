/** A TCP proxy on 127.0.0.1 that a test can cut, to take a real service away mid-test. */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Closes the listener and every open connection: the service looks gone. */
  cut(): Promise<void>;
}

/**
 * Starts a proxy to `host:port` on a random local port. With `gate`, each accepted connection
 * waits for the promise it returns before any byte passes.
 */
export async function startTcpProxy(
  host: string,
  port: number,
  gate?: () => Promise<void>,
): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted += 1;
    const upstream = createConnection({ host, port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    const connect = (): void => void client.pipe(upstream).pipe(client);
    if (gate === undefined) connect();
    else {
      client.pause();
      void gate().then(connect);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return accepted;
    },
    cut: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A local port with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
