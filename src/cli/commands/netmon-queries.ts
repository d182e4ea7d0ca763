/** @module The `netmon` commands that read what ingests stored: captures, the communication map, observations. */
import type { Command } from 'commander';
import { DomainError } from '../../core/errors.js';
import type { NetmonService } from '../../netmon/service.js';
import type { CliContext } from '../context.js';
import { renderTable, writeJson } from '../render.js';

/** `netmon captures`, `netmon map` and `netmon observations`: what ingests stored. */
export function registerNetmonQueryCommands(netmon: Command, ctx: CliContext<{ netmon: NetmonService }>): void {
  netmon
    .command('captures')
    .description('captures and flow logs ingested, newest first')
    .option('--limit <n>', 'rows (1-500, default 20)', '20')
    .option('--json', 'print JSON')
    .action(async (flags: { limit: string; json?: boolean }) => {
      const s = await ctx.open();
      try {
        const list = await s.netmon.captures(Number(flags.limit));
        if (flags.json) return writeJson(ctx.io, list);
        ctx.io.stdout.write(
          renderTable(list, [
            { header: 'ID', value: (c) => c.id, maxWidth: 32 },
            { header: 'NAME', value: (c) => c.name, maxWidth: 36 },
            { header: 'KIND', value: (c) => c.kind },
            { header: 'PACKETS', value: (c) => String(c.packets) },
            { header: 'FLOWS', value: (c) => String(c.flows) },
            { header: 'DEVICES', value: (c) => String(c.devices) },
            { header: 'DETECTIONS', value: (c) => String(c.detections) },
            { header: 'INGESTED', value: (c) => c.finishedAt.slice(0, 19).replace('T', ' ') },
          ]),
        );
      } finally {
        await s.close();
      }
    });
  netmon
    .command('map')
    .description('the communication map of a device, an address or a zone, from stored conversations')
    .option('--device <id>', 'inventory device id')
    .option('--ip <address>', 'one address')
    .option('--zone <name>', 'a zone of the policy')
    .option('--from <iso>', 'conversations last seen at or after')
    .option('--hops <n>', '0 (default) or 1: also conversations among its peers', '0')
    .option('--json', 'print JSON')
    .action(async (flags: { device?: string; ip?: string; zone?: string; from?: string; hops: string; json?: boolean }) => {
      if (flags.hops !== '0' && flags.hops !== '1') throw new DomainError('netmon.invalid_option', '--hops must be 0 or 1');
      const s = await ctx.open();
      try {
        const map = await s.netmon.map({ ...(flags.device ? { deviceId: flags.device } : {}), ...(flags.ip ? { ip: flags.ip } : {}), ...(flags.zone ? { zone: flags.zone } : {}), ...(flags.from ? { from: flags.from } : {}), hops: flags.hops === '1' ? 1 : 0 });
        if (flags.json) return writeJson(ctx.io, map);
        const label = new Map(map.nodes.map((n) => [n.ip, n.name ? `${n.name} (${n.ip})` : n.ip]));
        ctx.io.stdout.write(
          renderTable(map.edges, [
            { header: 'CLIENT', value: (e) => label.get(e.client) ?? e.client, maxWidth: 36 },
            { header: 'SERVER', value: (e) => label.get(e.server) ?? e.server, maxWidth: 36 },
            { header: 'PROTOCOLS', value: (e) => e.protocols.join(','), maxWidth: 24 },
            { header: 'PORTS', value: (e) => e.ports.join(','), maxWidth: 20 },
            { header: 'FLOWS', value: (e) => String(e.flows) },
            { header: 'BYTES', value: (e) => String(e.bytes) },
            { header: 'LAST SEEN', value: (e) => e.lastSeen.slice(0, 19).replace('T', ' ') },
          ]),
        );
        ctx.io.stdout.write(`${map.nodes.length} nodes, ${map.edges.length} edges${map.truncated ? ` (${map.truncated} more left out)` : ''}\n`);
      } finally {
        await s.close();
      }
    });
  registerNetmonObservationsCommand(netmon, ctx);
}

/** `netmon observations`: the observations ingests kept (the evidence), oldest first, a page at a time. */
function registerNetmonObservationsCommand(netmon: Command, ctx: CliContext<{ netmon: NetmonService }>): void {
  netmon
    .command('observations')
    .description('observations the ingests kept (the first of each kind between two hosts, with group totals), oldest first')
    .option('--capture <id>', 'one capture')
    .option('--ip <address>', 'client or server address')
    .option('--protocol <name>', 'e.g. tls, hl7, dicom, dhcp')
    .option('--kind <kind>', 'e.g. tls.client-hello, hl7.message')
    .option('--limit <n>', 'rows (1-500, default 50)', '50')
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .option('--json', 'print JSON')
    .action(async (flags: { capture?: string; ip?: string; protocol?: string; kind?: string; limit: string; cursor?: string; json?: boolean }) => {
      const s = await ctx.open();
      try {
        const page = await s.netmon.observations({
          ...(flags.capture ? { captureId: flags.capture } : {}),
          ...(flags.ip ? { ip: flags.ip } : {}),
          ...(flags.protocol ? { protocol: flags.protocol } : {}),
          ...(flags.kind ? { kind: flags.kind } : {}),
          ...(flags.cursor ? { cursor: flags.cursor } : {}),
          limit: Number(flags.limit),
        });
        if (flags.json) return writeJson(ctx.io, page);
        const fieldText = (f: Record<string, unknown>) =>
          Object.entries(f)
            .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(' ');
        ctx.io.stdout.write(
          renderTable(page.items, [
            { header: 'TIME', value: (o) => o.ts.slice(0, 26).replace('T', ' ') },
            { header: 'FRAME', value: (o) => String(o.frame) },
            { header: 'KIND', value: (o) => o.kind, maxWidth: 28 },
            { header: 'CLIENT', value: (o) => (o.flow ? `${o.flow.client.ip}:${o.flow.client.port}` : ''), maxWidth: 46 },
            { header: 'SERVER', value: (o) => (o.flow ? `${o.flow.server.ip}:${o.flow.server.port}` : ''), maxWidth: 46 },
            { header: 'GROUP', value: (o) => (o.groupCount === undefined ? '' : String(o.groupCount)) },
            { header: 'FIELDS', value: (o) => fieldText(o.fields), maxWidth: 80 },
          ]),
        );
        if (page.nextCursor) ctx.io.stdout.write(`more: --cursor ${page.nextCursor}\n`);
      } finally {
        await s.close();
      }
    });
}
