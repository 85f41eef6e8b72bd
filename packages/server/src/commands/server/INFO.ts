import { command } from '../spec.js';

export const INFO = command(
  {
    name: 'info',
    group: 'server',
    summary: 'Returns information and statistics about the server.',
    since: '1.0.0',
    complexity: 'O(1)',
    arity: -1,
    flags: ['loading', 'stale'],
    arguments: [{ name: 'section', type: 'string', optional: true, multiple: true }],
    reply: {
      resp2: 'Bulk string: `# Section` headers followed by `field:value` lines.',
      resp3: 'Verbatim string: `# Section` headers followed by `field:value` lines.',
    },
    errors: [],
    example: ['> INFO persistence', '# Persistence', 'loading:0', '...'],
  },
  (c) => {
    const sections: string[] = [];
    for (let i = 1; i < c.args.argc; i++) sections.push(c.args.argString(i));
    c.out.verbatim(c.server.info(sections));
  },
);
