import { ConfigError } from './config.ts';
import { DatabaseInUseError } from './database.ts';

/**
 * Runs a process entry point. Problems the operator must fix (bad configuration, a database in
 * use) are printed as a plain message, without a stack trace, and the process exits with 1.
 */
export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseInUseError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  }
}
