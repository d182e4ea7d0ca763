/**
 * @module Registers every command module on the root program. Registering is cheap by rule: a
 * register module (the one named after the command) imports only commander, ../context, ../render,
 * other register modules and dependency-free constants (model files, core/errors), so `--help` and
 * each command pay only for their own code. Whatever else an action needs, it imports when it runs
 * (`await import('./x-run.js')`); services come through ctx.open(), which loads the container on
 * first use. test/e2e/cli/startup-imports.e2e.test.ts fails when a heavy package creeps back in.
 */
import type { Command } from 'commander';
import type { ConfigOverrides } from '../../main/config.js';
import type { Container } from '../../main/container.js';
import type { CliContext } from '../context.js';
import { registerAuditCommand } from './audit.js';
import { registerDemoSeedCommand } from './demo-seed.js';
import { registerDevicesImportCommand } from './devices-import.js';
import { registerDevicesListCommand } from './devices-list.js';
import { registerDevicesShowCommand } from './devices-show.js';
import { registerNetmonCommand } from './netmon.js';
import { registerServeCommand } from './serve.js';
import { registerTokensCommand } from './tokens.js';
import { registerUsersCommand } from './users.js';
import { registerFindingCommands, registerProductCommands } from './vulns/findings.js';
import { registerSbomCommands } from './vulns/sbom.js';
import { registerVexCommands } from './vulns/vex.js';
import { registerRiskCommands } from './vulns/risk.js';
import { registerFeedCommands } from './vulns/feeds.js';

export function registerCommands(program: Command, ctx: CliContext<Container>, globals: () => ConfigOverrides): void {
  registerServeCommand(program, ctx.io, globals);
  const devices = program.command('devices').description('device inventory: list, show, import');
  registerDevicesListCommand(devices, ctx);
  registerDevicesShowCommand(devices, ctx);
  registerDevicesImportCommand(devices, ctx);
  registerDemoSeedCommand(program, ctx);
  registerUsersCommand(program, ctx);
  registerTokensCommand(program, ctx);
  registerAuditCommand(program, ctx);
  registerNetmonCommand(program, ctx);
  registerProductCommands(program, ctx);
  registerSbomCommands(program, ctx);
  registerFindingCommands(program, ctx);
  registerVexCommands(program, ctx);
  registerRiskCommands(program, ctx);
  registerFeedCommands(program, ctx);
}
