/** @module `careguard netmon collect`: a NetFlow v5/v9 and IPFIX collector that prints a report with detections (no database). */
import type { Command } from 'commander';
import { DomainError } from '../../core/index.js';
import type { DetectionEngine } from '../../netmon/detect/index.js';
import { FlowLogReportBuilder, startFlowCollector } from '../../netmon/index.js';
import { EXIT, type CliContext } from '../context.js';
import { writeJson } from '../render.js';
import { detectionOptions, isSerious, saveBaseline, type NetmonFlags } from './netmon-options.js';
import { printReport } from './netmon-output.js';

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
    .action(async (flags: NetmonFlags) => {
      const port = Number(flags.port);
      if (!/^\d+$/.test(flags.port ?? '') || port > 65535) throw new DomainError('netmon.invalid_option', `--port must be 0-65535, found "${flags.port}"`);
      const seconds = flags.seconds === undefined ? undefined : Number(flags.seconds);
      if (seconds !== undefined && (!Number.isFinite(seconds) || seconds <= 0)) throw new DomainError('netmon.invalid_option', `--seconds must be a positive number, found "${flags.seconds}"`);
      const host = flags.host ?? '127.0.0.1';
      // read and validated before binding, so a bad policy or baseline fails at once
      const detection = await detectionOptions(flags);
      if (flags.baseline !== undefined && flags.learnSeconds !== undefined) ctx.io.stderr.write('note: --learn-seconds is ignored: the resumed baseline keeps its own learning window\n');
      const hold: { engine?: DetectionEngine } = {};
      const builder = new FlowLogReportBuilder({ name: `udp:${host}:${port}`, detection: { ...detection, onFinish: (e) => (hold.engine = e) } });
      const collector = await startFlowCollector({
        host,
        port,
        onRecords: (records) => records.forEach((r) => builder.add(r)),
        onError: (e) => {
          builder.error(e);
          ctx.io.stderr.write(`warning: ${e.message} [${e.code}]\n`);
        },
      });
      ctx.io.stderr.write(`collecting flow records on udp ${host}:${collector.port}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.removeListener('SIGINT', stop);
          resolve();
        };
        process.once('SIGINT', stop);
        if (seconds !== undefined) setTimeout(stop, seconds * 1000).unref();
      });
      await collector.close();
      const report = await builder.finish(collector.stats().bytes);
      if (flags.saveBaseline !== undefined && hold.engine) await saveBaseline(flags.saveBaseline, hold.engine);
      if (flags.json) writeJson(ctx.io, report);
      else printReport(ctx.io, report);
      process.exitCode = (report.detections ?? []).some((d) => isSerious(d.severity)) ? EXIT.findings : EXIT.ok;
    });
}
