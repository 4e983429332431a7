/**
 * A TCP relay from a fixed loopback port to a port that can change. Pointing workerd's config at
 * the relay instead of each test's fake upstream lets one workerd serve a whole test file; bytes
 * and closes pass through as they are, so a client abort still reaches the upstream.
 */
import { connect, createServer, type Socket } from "node:net";

export interface TcpRelay {
  port: number;
  /** Relays new connections to `port` and drops the ones open now (they lead to the old one). */
  retarget(port: number): void;
  close(): Promise<void>;
}

export async function startTcpRelay(): Promise<TcpRelay> {
  let target = 0;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target, "127.0.0.1");
    const pair = [client, upstream];
    for (const socket of pair) {
      open.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => {
        open.delete(socket);
        for (const other of pair) other.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const drop = () => {
    for (const socket of open) socket.destroy();
  };
  return {
    port: typeof address === "object" && address ? address.port : 0,
    retarget(port) {
      target = port;
      drop();
    },
    close: () =>
      new Promise<void>((resolve) => {
        drop();
        server.close(() => resolve());
      }),
  };
}
