/**
 * The client-library load generator's process: `node client-worker.js '<LoadConfig as JSON>'` runs the
 * load and prints one line of JSON, the LoadResult. Errors go to stderr with exit status 1.
 */
import { type LoadConfig, runLoad } from './client-load.js';

try {
  const config = JSON.parse(process.argv[2] ?? '') as LoadConfig;
  const result = await runLoad(config);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (err) {
  process.stderr.write(`client load failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
}
