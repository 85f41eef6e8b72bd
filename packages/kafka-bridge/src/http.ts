/** The HTTP endpoints: `/healthz`, `/readyz` and `/metrics`. */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.js';
import type { Health, Readiness } from './probes.js';

export interface Probes {
  health(): Health;
  readiness(): Readiness;
}

/**
 * `/healthz`: 200 while the process works, whatever Kafka and the target do (the body says whether they
 * answer), so that a liveness probe never restarts the bridge for an outage it is riding out; 503 while
 * it shuts down. `/readyz`: 200 when caught up, else 503 with the reasons. `/metrics`: Prometheus text.
 */
export function createHttpServer(probes: Probes, metrics: Metrics): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body, null, 2)}\n`);
    };
    switch (path) {
      case '/healthz': {
        const health = probes.health();
        json(health.status === 'ok' ? 200 : 503, health);
        return;
      }
      case '/readyz': {
        const readiness = probes.readiness();
        json(readiness.ready ? 200 : 503, readiness);
        return;
      }
      case '/metrics':
        metrics.text().then(
          (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
          (err: unknown) => res.writeHead(500).end(String(err)),
        );
        return;
      default:
        json(404, { error: 'not found', endpoints: ['/healthz', '/readyz', '/metrics'] });
    }
  });
}

/** Listen on `host:port`; resolves with the port (useful with port 0). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
