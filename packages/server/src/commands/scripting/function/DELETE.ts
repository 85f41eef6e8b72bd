import { errorReply } from '../../../errors.js';
import { command } from '../../spec.js';
import { base } from './_shared.js';

export const FUNCTION_DELETE = command(
  {
    ...base,
    name: 'function|delete',
    summary: 'Deletes a library and its functions.',
    complexity: 'O(1)',
    arity: 3,
    flags: ['write', 'noscript'],
    arguments: [{ name: 'library-name', type: 'string' }],
    reply: { resp2: 'Simple string OK.', resp3: 'Simple string OK.' },
    errors: ['libraryNotFound'],
    example: ['> FUNCTION DELETE mylib', 'OK'],
  },
  (c) => {
    if (!c.server.scripts.deleteLibrary(c.args.argString(2))) {
      c.out.error(errorReply('libraryNotFound'));
      return;
    }
    c.server.saveFunctions();
    c.out.ok();
  },
);
