/**
 * A setting that could not be read. `problem` is the bare complaint (`argument must be between 0 and 65535
 * inclusive`), for CONFIG SET's `ERR CONFIG SET failed (possibly related to argument 'port') - <problem>`;
 * `message` adds where it came from (`config file /x.conf line 3: 'port 99999': <problem>`).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problem: string;
  /** The setting concerned, when known. */
  readonly setting: string | undefined;
  /** Where the bad value came from, when known. */
  readonly where: string | undefined;

  constructor(problem: string, options: { setting?: string | undefined; where?: string | undefined } = {}) {
    const { setting, where } = options;
    const prefix = where ?? setting;
    super(prefix === undefined ? problem : `${prefix}: ${problem}`);
    this.problem = problem;
    this.setting = setting;
    this.where = where;
  }

  /** The same problem, located at `where`. */
  at(where: string): ConfigError {
    return new ConfigError(this.problem, { setting: this.setting, where });
  }
}
