/**
 * @module `careguard netmon collect`: a NetFlow v5/v9 and IPFIX collector that prints a report with
 * detections (no database). The collector is loaded when the command runs (netmon-collect-run.ts).
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import type { NetmonFlags } from './netmon-flags.js';

export function registerNetmonCollectCommand(netmon: Command, ctx: CliContext<unknown>): void {
  netmon
    .command('collect')
    .description('receive NetFlow v5/v9 and IPFIX over UDP and print a report (devices, protocols, detections) on Ctrl-C or after --seconds (no database); exit 1 when a high or critical detection was seen')
    .requiredOption('--port <n>', 'UDP port (2055 NetFlow, 4739 IPFIX; 0 = any free port)')
    .option('--host <addr>', 'address to bind (default 127.0.0.1; 0.0.0.0 to listen on the network)')
    .option('--seconds <n>', 'stop after this many seconds')
    .option('--json', 'print the report as JSON')
    .option('--policy <file>', 'policy JSON: zones, conduits, device map, rule settings (docs/netmon-detections.md)')
    .option('--learn-seconds <n>', 'baseline learning window in seconds of flow time (default 86400)')
    .option('--baseline <file>', 'resume a baseline saved by --save-baseline (its learning window applies)')
    .option('--save-baseline <file>', 'write the baseline learnt (or resumed and updated) to this JSON file')
    .action(async (flags: NetmonFlags) => (await import('./netmon-collect-run.js')).collectFlows(ctx, flags));
}
