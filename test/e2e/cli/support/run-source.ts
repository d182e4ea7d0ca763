/** bin/careguard.js for the sources: runs the CLI from src/ under tsx, for tests that spawn it without a build. */
import { runCli } from '../../../../src/cli/main.js';

process.exitCode = await runCli(process.argv);
