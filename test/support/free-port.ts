// Finds a free TCP port on loopback, for a spawned server (Hive Gateway) that does not report the port it bound.
import { createServer } from 'node:net';

/**
 * Binds port 0 on 127.0.0.1, reads the port the kernel picked and releases it. Another process could
 * take it in between, so a caller that fails to bind should ask again (see startHiveGateway).
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port was assigned'))));
    });
  });
}
