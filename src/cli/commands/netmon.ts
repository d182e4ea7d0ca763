/**
 * @module `careguard netmon report <file|dir|->` (analyse a capture: devices, protocols, findings,
 * baseline detections and the zone-pair traffic report; no database) and `careguard netmon ingest
 * <file|dir|->` (the same, then devices into the inventory and findings as alerts), with a progress
 * bar on stderr. A directory (rotating capture) is read as one capture; `--follow` keeps reading it
 * until Ctrl-C, SIGTERM or `--seconds` (report), or ingests each rotated file as its own capture as
 * soon as it is complete (ingest). `--policy` reads zones, conduits, the device map and allowed AE
 * titles; `--baseline` / `--save-baseline` resume and store the learnt baseline. A Zeek conn.log, and
 * the flow records `netmon collect` receives, go through the same detection engine (flow rules only:
 * records carry no payload). Exit 0 clean, 1 when a high or critical wire finding or detection was
 * seen, 2 on error. The capture pipeline is loaded when a command runs (netmon-run.ts). `netmon
 * extract` writes the packets behind an alert to a pcap (netmon-extract.ts).
 */
import type { Command } from 'commander';
import { registerNetmonCollectCommand } from './netmon-collect.js';
import { registerNetmonExtractCommand } from './netmon-extract.js';
import { DEFAULT_STDIN_CHECKPOINT_SECONDS, type NetmonFlags } from './netmon-flags.js';
import { registerNetmonQueryCommands } from './netmon-queries.js';
import type { NetmonContext } from './netmon-run.js';

export function registerNetmonCommand(program: Command, ctx: NetmonContext): void {
  const netmon = program.command('netmon').description('passive network monitoring: analyse captures, discover devices, raise wire findings');
  netmon
    .command('report <file>')
    .description(
      'analyse a pcap/pcapng capture, a directory a rotating capture writes to (every *.pcap/*.pcapng/*.cap[N] file in natural order, as one capture) or a Zeek conn.log ("-" reads stdin): devices, protocols, findings, detections (no database)',
    )
    .option('--format <fmt>', 'pcap or zeek, when it cannot be sniffed (stdin)')
    .option('--follow', 'a directory: keep reading new files until Ctrl-C, SIGTERM or --seconds, then print the report')
    .option('--seconds <n>', 'with --follow: stop after this many seconds')
    .option('--json', 'print the report as JSON')
    .option('--no-progress', 'no progress bar')
    .option('--policy <file>', 'policy JSON: zones, conduits, device map, allowed AE titles, rule settings (docs/netmon-detections.md)')
    .option('--learn-seconds <n>', 'baseline learning window in seconds of capture time (default 86400)')
    .option('--baseline <file>', 'resume a baseline saved by --save-baseline (its learning window applies)')
    .option('--save-baseline <file>', 'write the baseline learnt (or resumed and updated) to this JSON file')
    .action(async (file: string, flags: NetmonFlags) => (await import('./netmon-run.js')).netmonReport(ctx, file, flags));
  netmon
    .command('ingest <file>')
    .description(
      'analyse a capture, a rotating capture directory (as one capture) or a Zeek conn.log ("-" reads stdin: tcpdump -w - | careguard netmon ingest -), add discovered devices to the inventory, raise findings and detections as alerts, store conversations; the zone policy is CAREGUARD_NETMON_POLICY and the baseline resumes across ingests',
    )
    .option('--format <fmt>', 'pcap or zeek, when it cannot be sniffed (stdin)')
    .option('--follow', 'a directory: ingest each rotated file as its own capture once a newer file exists, skipping files ingested before, until Ctrl-C, SIGTERM or --seconds (which stop after the file in progress)')
    .option('--seconds <n>', 'with --follow: stop after this many seconds')
    .option('--learn-seconds <n>', 'learning window for a new baseline, in seconds of capture time (default 86400)')
    .option(
      '--checkpoint-seconds <n>',
      `a capture file or stdin: record a capture each time the read spans this many seconds of capture or wall-clock time, flows carrying on into the next (default ${DEFAULT_STDIN_CHECKPOINT_SECONDS} for stdin, a live pipe; 0: one capture at the end)`,
    )
    .option('--json', 'print the result as JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, flags: NetmonFlags) => (await import('./netmon-run.js')).netmonIngest(ctx, file, flags));
  registerNetmonCollectCommand(netmon, ctx);
  registerNetmonExtractCommand(netmon, ctx);
  registerNetmonQueryCommands(netmon, ctx);
}
