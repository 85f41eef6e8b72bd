import { Args } from '@sluice/protocol';
import { describe, expect, it } from 'vitest';
import { errorReply } from '../../../src/errors.js';
import { R, useKeyspace } from '../context.js';

describe('MULTI, EXEC, DISCARD, WATCH, UNWATCH', () => {
  const { context } = useKeyspace();

  it('MULTI opens a transaction once; a nested MULTI is an error', () => {
    const c = context();
    expect(c.call('MULTI')).toBe(R.ok);
    expect(c.session.multi).toEqual([]);
    expect(c.call('MULTI')).toBe(R.err(errorReply('multiNested')));
  });

  it('EXEC and DISCARD without MULTI are errors', () => {
    const c = context();
    expect(c.call('EXEC')).toBe(R.err(errorReply('execWithoutMulti')));
    expect(c.call('DISCARD')).toBe(R.err(errorReply('discardWithoutMulti')));
  });

  it('EXEC hands the queued commands to the server to run as one transaction', () => {
    const c = context();
    c.call('MULTI');
    const set = c.server.commands.get('set');
    const incr = c.server.commands.get('incr');
    if (set === undefined || incr === undefined) throw new Error('commands missing');
    c.session.multi?.push(
      { def: set, args: argsOf('SET', 'n', '41') },
      { def: incr, args: argsOf('INCR', 'n') },
    );
    expect(c.call('EXEC')).toBe(`*2\r\n${R.ok}${R.int(42)}`);
    expect(c.server.calls).toEqual(['runTransaction(7,set,incr)']);
    expect(c.session.multi).toBeNull();
    // The transaction's writes joined a batch, which the EXEC's reply waits for.
    expect(c.commits.length).toBe(1);
  });

  it('EXEC answers EXECABORT when a command was refused while queuing, and leaves MULTI', () => {
    const c = context();
    c.call('MULTI');
    c.session.multiFailed = true;
    expect(c.call('EXEC')).toBe(R.err(errorReply('execAbort')));
    expect(c.session.multi).toBeNull();
    expect(c.server.calls).toEqual([]);
  });

  it('a write to a WATCHed key makes EXEC answer a null array, and runs nothing', () => {
    const c = context();
    const other = context(8);
    expect(c.call('WATCH', 'w', 'x')).toBe(R.ok);
    other.call('SET', 'x', '1');
    expect(c.session.watchedChanged).toBe(true);
    c.call('MULTI');
    expect(c.call('EXEC')).toBe('*-1\r\n');
    expect(c.server.calls).toEqual([]);
    // EXEC forgets the WATCHed keys: the next transaction runs.
    other.call('SET', 'x', '2');
    expect(c.session.watchedChanged).toBe(false);
  });

  it('WATCH inside MULTI is an error; UNWATCH forgets the keys', () => {
    const c = context();
    c.call('WATCH', 'k');
    expect(c.call('UNWATCH')).toBe(R.ok);
    context(8).call('SET', 'k', 'v');
    expect(c.session.watchedChanged).toBe(false);
    c.call('MULTI');
    expect(c.call('WATCH', 'k')).toBe(R.err(errorReply('watchInMulti')));
  });

  it('DISCARD leaves MULTI and forgets the WATCHed keys', () => {
    const c = context();
    c.call('WATCH', 'k');
    c.call('MULTI');
    expect(c.call('DISCARD')).toBe(R.ok);
    expect(c.session.multi).toBeNull();
    context(8).call('SET', 'k', 'v');
    expect(c.session.watchedChanged).toBe(false);
  });
});

function argsOf(...words: string[]) {
  return Args.of(words.map((w) => Buffer.from(w)));
}
