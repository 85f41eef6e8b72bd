#!/usr/bin/env node
// sluice-bench's command: the code is in src/cli.ts, compiled to dist/ by `pnpm build`.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
