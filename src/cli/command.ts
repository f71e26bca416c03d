/** What every subcommand module exports: its help and its thin `main`. */

/** Flags a command takes beyond the shared config keys. */
export type ExtraOptions = Record<string, { type: 'string' | 'boolean'; describe: string; multiple?: boolean }>;

/** One subcommand: reads its inputs, calls one pipeline function, reports, returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Names of shared config keys (src/config/schema.ts) this command accepts as flags. */
  configKeys: string[];
  extraOptions?: ExtraOptions;
  main: (flags: Record<string, unknown>, positionals: string[]) => Promise<number>;
}
