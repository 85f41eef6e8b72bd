import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProtocolErrorMessages } from '../src/index.js';

describe('documentation', () => {
  it('documents every protocol error', () => {
    const page = readFileSync(new URL('../../../apps/docs/reference/protocol.md', import.meta.url), 'utf8');
    for (const message of Object.values(ProtocolErrorMessages)) {
      expect(page, message).toContain(`ERR ${message.replace('%c', 'x')}`);
    }
  });
});
