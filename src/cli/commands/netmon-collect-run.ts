/**
 * @module What `careguard netmon collect` does when it runs (netmon-collect.ts registers it): binds
 * the UDP collector, builds the flow report until Ctrl-C or --seconds, prints it and sets the exit code.
 */
import { DomainError } from '../../core/index.js';
import type { DetectionEngine } from '../../netmon/detect/index.js';
import { FlowLogReportBuilder, startFlowCollector } from '../../netmon/index.js';
import { EXIT, type CliContext } from '../context.js';
import { writeJson } from '../render.js';
import type { NetmonFlags } from './netmon-flags.js';
import { detectionOptions, isSerious, saveBaseline } from './netmon-options.js';
import { printReport } from './netmon-output.js';

export async function collectFlows(ctx: CliContext<unknown>, flags: NetmonFlags): Promise<void> {
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
}
