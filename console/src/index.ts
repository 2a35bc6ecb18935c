/** What other workspaces use of the console: building and starting it. Importing this starts nothing. */
export { createConsole, type ConsoleApp, type ConsoleOptions } from './app.ts';
export { loadConsoleConfig, type ConsoleConfig } from './config.ts';
export { buildConsole, consoleDist, isBuilt } from '../build.ts';
