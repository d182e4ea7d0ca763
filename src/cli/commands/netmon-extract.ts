/**
 * @module `careguard netmon extract FILE|DIR (--frames LIST | --flow "tcp A:p B:q") [--from ISO --to ISO]
 * --out FILE.pcap|-`: the packets behind an alert written as a pcap (pcapng when their link types
 * differ), unchanged, for Wireshark or an incident ticket (no database). The extraction is loaded
 * when the command runs (netmon-extract-run.ts).
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export interface ExtractFlags {
  frames?: string;
  flow?: string;
  from?: string;
  to?: string;
  out: string;
}

export function registerNetmonExtractCommand(netmon: Command, ctx: CliContext<unknown>): void {
  netmon
    .command('extract <file>')
    .description(
      'write packets of a capture (or of a directory read as one capture, frames running on across its files as in netmon report) to a pcap file, bytes and timestamps unchanged; pcapng when their link types differ; a summary on stderr; exit 1 when frames asked for are not in the capture',
    )
    .option('--frames <list>', 'frame numbers and ranges, as alert evidence and netmon observations give them: 17,20-25')
    .option('--flow <flow>', 'a TCP or UDP flow, both directions: "tcp 10.0.0.5:40000 10.0.0.9:104" ([fd00::5]:443 for IPv6; add "vlan N" for one VLAN)')
    .option('--from <iso>', 'only packets captured at or after this time (ISO-8601 with a zone)')
    .option('--to <iso>', 'only packets captured before this time')
    .requiredOption('--out <file>', 'the pcap to write ("-": stdout, refused when it is a terminal)')
    .action(async (file: string, flags: ExtractFlags) => (await import('./netmon-extract-run.js')).extractPackets(ctx, file, flags));
}
