/**
 * @module The server's NetFlow v5/v9 and IPFIX collector: records received on a UDP port are
 * analysed in windows (default 5 minutes); each window is recorded like an ingested flow log
 * (devices, alerts, conversations, a capture record named "netflow <from>..<to>"), so flow exports
 * from switches and firewalls feed the inventory and the communication map continuously.
 */
import { systemActor, type Clock, type Logger } from '../core/index.js';
import { baselineToJson } from './baseline/index.js';
import { ConversationTable } from './conversations/index.js';
import { FlowLogReportBuilder, startFlowCollector, type FlowCollector } from './flowlogs/index.js';
import type { NetmonService } from './service.js';

export interface CollectorServiceOptions {
  host: string;
  port: number;
  /** seconds per window (default 300) */
  windowSeconds?: number;
  allowExporters?: readonly string[];
}

export interface RunningCollector {
  port: number;
  /** records the current window now (tests, shutdown) */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** The baseline flow windows learn into (separate from packet captures' "default"). */
export const NETFLOW_BASELINE = 'netflow';

export async function startCollectorService(netmon: NetmonService, opts: CollectorServiceOptions, clock: Clock, logger?: Logger): Promise<RunningCollector> {
  const actor = systemActor('netflow-collector');
  let baseline = await netmon.baseline(NETFLOW_BASELINE);
  let window = newWindow();
  let records = 0;
  let flushing: Promise<void> = Promise.resolve();

  function newWindow() {
    const conversations = new ConversationTable();
    const startedAt = clock.now().toISOString();
    const engine = netmon.flowEngine(`netflow ${startedAt}`, baseline);
    return { conversations, startedAt, engine, builder: new FlowLogReportBuilder({ name: `netflow ${startedAt}`, consumers: [conversations, engine] }) };
  }

  const collector: FlowCollector = await startFlowCollector({
    host: opts.host,
    port: opts.port,
    ...(opts.allowExporters ? { allowExporters: opts.allowExporters } : {}),
    onRecords: (rs) => {
      records += rs.length;
      for (const r of rs) window.builder.add(r);
    },
    onError: (e) => {
      window.builder.error(e);
      logger?.debug({ code: e.code, err: e.message }, 'flow record rejected');
    },
  });

  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      if (records === 0) return;
      const w = window;
      const detections = w.engine.finish();
      // The next window resumes what this one learnt.
      baseline = baselineToJson(w.engine.baseline);
      window = newWindow();
      records = 0;
      try {
        const report = { ...(await w.builder.finish(collector.stats().bytes)), detections, zonePairs: w.engine.zonePairs() };
        const name = `netflow ${w.startedAt}..${clock.now().toISOString()}`;
        await netmon.recordReport(report, w.conversations, { name, kind: 'netflow', startedAt: w.startedAt }, actor);
        await netmon.saveBaseline(NETFLOW_BASELINE, w.engine);
      } catch (e) {
        logger?.error({ err: e }, 'recording a flow collector window failed');
      }
    });
    return flushing;
  };

  const timer = setInterval(() => void flush(), (opts.windowSeconds ?? 300) * 1000);
  timer.unref();
  logger?.info({ host: opts.host, port: collector.port }, 'NetFlow/IPFIX collector listening');
  return {
    port: collector.port,
    flush,
    close: async () => {
      clearInterval(timer);
      await collector.close();
      await flush();
    },
  };
}
