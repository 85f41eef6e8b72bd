import { describe, expect, it } from 'vitest';
import { allCommands } from '../../src/commands/index.js';
import { CommandTable } from '../../src/commands/table.js';
import { Errors } from '../../src/errors.js';

describe('command table', () => {
  const table = new CommandTable(allCommands);

  it('validates every spec at construction', () => {
    expect(table.size).toBe(allCommands.length);
  });

  it('has the commands every client sends on connect', () => {
    for (const name of [
      'get',
      'set',
      'mget',
      'del',
      'ping',
      'hello',
      'auth',
      'select',
      'client',
      'info',
      'config',
      'command',
    ]) {
      expect(table.get(name), name).toBeDefined();
    }
    expect(table.get('client|setname')?.spec.arity).toBe(3);
    expect(table.get('CONFIG|GET')?.spec.name).toBe('config|get');
  });

  it('names only errors that exist in the error table', () => {
    const walk = (defs: typeof allCommands): void => {
      for (const d of defs) {
        for (const e of d.spec.errors) expect(Object.keys(Errors), `${d.spec.name}: ${e}`).toContain(e);
        walk(d.subcommands ?? []);
      }
    };
    walk(allCommands);
  });

  it('rejects a spec whose key arguments and key positions disagree', () => {
    const [get] = allCommands.filter((d) => d.spec.name === 'get');
    if (!get) throw new Error('get missing');
    expect(() => new CommandTable([{ ...get, spec: { ...get.spec, keys: undefined } }])).toThrow(/disagree/);
    expect(() => new CommandTable([{ ...get, spec: { ...get.spec, example: [] } }])).toThrow(/example/);
    expect(() => new CommandTable([{ ...get, spec: { ...get.spec, name: 'Get' } }])).toThrow(/lowercase/);
  });

  it("rejects a spec whose key positions or movablekeys flag disagree with redis-server's key specifications", () => {
    const [get] = allCommands.filter((d) => d.spec.name === 'get');
    if (!get) throw new Error('get missing');
    const keys = { first: 1, last: -1, step: 1 };
    expect(() => new CommandTable([{ ...get, spec: { ...get.spec, keys } }])).toThrow(/key specifications/);
    const flags = [...get.spec.flags, 'movablekeys' as const];
    expect(() => new CommandTable([{ ...get, spec: { ...get.spec, flags } }])).toThrow(/movablekeys/);
  });
});
