// A free TCP port on 127.0.0.1, for a child process that must be told its port up front.
import { createServer } from 'node:net';

/** Binds port 0 on loopback, reads the port the OS picked, and releases it. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}
