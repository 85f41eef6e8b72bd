import { type CommandDef, type CommandGroup, command } from './spec.js';

/** The HELP subcommand of a container command (CLIENT HELP, CONFIG HELP, …): its lines as simple strings. */
export function helpSubcommand(container: string, group: CommandGroup, lines: readonly string[]): CommandDef {
  const upper = container.toUpperCase();
  return command(
    {
      name: `${container}|help`,
      group,
      summary: `Returns helpful text about the ${upper} subcommands.`,
      since: '5.0.0',
      complexity: 'O(1)',
      arity: 2,
      flags: ['loading', 'stale'],
      arguments: [],
      reply: { resp2: 'Array of simple strings.', resp3: 'Array of simple strings.' },
      errors: [],
      example: [`> ${upper} HELP`, `1) ${lines[0] ?? ''}`, '...'],
    },
    (c) => {
      c.out.arrayHeader(lines.length);
      for (const line of lines) c.out.simple(line);
    },
  );
}
