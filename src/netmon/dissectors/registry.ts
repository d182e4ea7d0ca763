/**
 * @module The ordered list of dissectors, the content classification over them (port hints only break
 * ties between several yeses, then list order), the late-sync dissector of each port (taken only after
 * content detection failed) and the factory of per-flow dispatchers (dispatcher.ts).
 */
import type { Direction, FlowKey, ObservationSink } from '../model.js';
import type { ConsumerOptions, Detection, Dissector, KeptBytesBudget } from './contract.js';
import { DEFAULT_MAX_HELD_BYTES, FlowDispatcher, HeldBytesBudget, type Dispatcher, type DispatcherOptions } from './dispatcher.js';
import { dicomDissector } from './dicom/dissector.js';
import { dhcpDissector } from './dhcp/dissector.js';
import { dnsDissector } from './dns/dissector.js';
import { ftpDissector } from './ftp/dissector.js';
import { hl7Dissector } from './hl7/dissector.js';
import { httpDissector } from './http/dissector.js';
import { mdnsDissector } from './mdns/dissector.js';
import { mqttDissector } from './mqtt/dissector.js';
import { rdpDissector } from './rdp/dissector.js';
import { smbDissector } from './smb/dissector.js';
import { snmpDissector } from './snmp/dissector.js';
import { ssdpDissector } from './ssdp/dissector.js';
import { telnetDissector } from './telnet/dissector.js';
import { tlsDissector } from './tls/dissector.js';
import { vncDissector } from './vnc/dissector.js';
import { DEFAULT_LATE_SYNC_SCAN_LIMIT } from './support/late-sync.js';
import { DEFAULT_RESYNC_SCAN_LIMIT } from './support/gap-resync.js';

/** shared by every dispatcher without its own resync limit: no object per flow */
const DEFAULT_CONSUMER_OPTIONS: ConsumerOptions = Object.freeze({ resyncScanLimit: DEFAULT_RESYNC_SCAN_LIMIT });

/** Most specific content checks first: a strict binary header beats a loose text prefix. */
export const DEFAULT_DISSECTORS: readonly Dissector[] = [
  tlsDissector,
  dicomDissector,
  mqttDissector,
  // before HL7: a stream that opens with an HTTP request or status line is HTTP, even when its body
  // carries HL7 (HL7 over HTTP), which HL7's mid-stream detection would otherwise claim off-port
  httpDissector,
  hl7Dissector,
  smbDissector,
  rdpDissector,
  vncDissector,
  ftpDissector,
  telnetDissector,
  dhcpDissector,
  snmpDissector,
  ssdpDissector,
  mdnsDissector,
  dnsDissector,
];

export class Registry {
  readonly dissectors: readonly Dissector[];
  private readonly byId: ReadonlyMap<string, Dissector>;
  // candidate lists per transport, computed once: classify runs for every flow
  private readonly tcp: readonly Dissector[];
  private readonly udp: readonly Dissector[];
  /** TCP server port -> the dissector reading it with late sync (the first in list order) */
  private readonly lateSync = new Map<number, Dissector>();

  constructor(dissectors: readonly Dissector[] = DEFAULT_DISSECTORS) {
    const ids = new Set<string>();
    for (const d of dissectors) {
      if (ids.has(d.id)) throw new Error(`duplicate dissector id ${d.id}`);
      ids.add(d.id);
    }
    this.dissectors = dissectors;
    this.byId = new Map(dissectors.map((d) => [d.id, d]));
    this.tcp = dissectors.filter((d) => d.transport !== 'udp');
    this.udp = dissectors.filter((d) => d.transport !== 'tcp');
    for (const d of this.tcp) {
      for (const port of d.lateSync?.ports ?? []) {
        if (!d.defaultPorts.includes(port)) throw new Error(`dissector ${d.id}: late-sync port ${port} is not one of its default ports`);
        if (!this.lateSync.has(port)) this.lateSync.set(port, d);
      }
    }
  }

  /** The dissector that reads a TCP flow to `serverPort` with late sync once content detection failed. */
  lateSyncFor(serverPort: number): Dissector | undefined {
    return this.lateSync.get(serverPort);
  }

  get(id: string): Dissector | undefined {
    return this.byId.get(id);
  }

  candidates(key: FlowKey): Dissector[] {
    return this.dissectors.filter((d) => d.transport === 'both' || d.transport === key.transport);
  }

  /**
   * Runs the candidates' content checks on `bytes`. Returns the chosen dissector, 'need-more' if some
   * candidate still needs bytes, or 'no'. Among several 'yes', one whose default ports include the server
   * port wins, then list order (checks that can no longer change the answer are skipped).
   */
  classify(bytes: Uint8Array, dir: Direction, key: FlowKey, candidates: readonly Dissector[] = this.candidatesOf(key)): Dissector | 'need-more' | 'no' {
    const port = key.server.port;
    let first: Dissector | undefined;
    let needMore = false;
    for (const d of candidates) {
      // after a first 'yes', only a later 'yes' on its own default port could still win the tie, so the
      // other checks (some decode the whole prefix) are not run: the answer is the same without them
      if (first !== undefined && !d.defaultPorts.includes(port)) continue;
      let answer: Detection;
      try {
        answer = d.detect(bytes, dir, key);
      } catch {
        // detect must not throw; a buggy one simply does not claim the flow
        answer = 'no';
      }
      if (answer === 'yes') {
        // the first 'yes' that is on its default port wins; else the first 'yes' in list order
        if (first !== undefined || d.defaultPorts.includes(port)) return d;
        first = d;
      } else if (answer === 'need-more') needMore = true;
    }
    if (first !== undefined) return first;
    return needMore ? 'need-more' : 'no';
  }

  createDispatcher(key: FlowKey, emit: ObservationSink, options: Omit<DispatcherOptions, 'dissectors'> = {}): Dispatcher {
    const maxHeld = options.maxHeldBytes ?? DEFAULT_MAX_HELD_BYTES;
    // without a shared budget only the per-flow bound applies
    const budget = options.heldBytesBudget ?? new HeldBytesBudget(maxHeld);
    const scanLimit = options.lateSyncScanLimit ?? DEFAULT_LATE_SYNC_SCAN_LIMIT;
    if (!Number.isSafeInteger(scanLimit) || scanLimit < 1) throw new RangeError(`lateSyncScanLimit must be a positive integer, got ${scanLimit}`);
    const resync = options.resyncScanLimit;
    if (resync !== undefined && (!Number.isSafeInteger(resync) || resync < 1)) throw new RangeError(`resyncScanLimit must be a positive integer, got ${resync}`);
    const consumerOptions = this.consumerOptions(resync, options.keptBodiesBudget);
    return new FlowDispatcher(this, key, emit, options.maxDetectBytes ?? 4096, options.maxDetectDatagrams ?? 8, maxHeld, budget, scanLimit, consumerOptions);
  }

  /** the last options made, reused while a read's flows ask for the same (one object per read, not per flow) */
  private lastOptions: { resync: number | undefined; kept: KeptBytesBudget | undefined; options: ConsumerOptions } | undefined;

  private consumerOptions(resync: number | undefined, kept: KeptBytesBudget | undefined): ConsumerOptions {
    if (resync === undefined && kept === undefined) return DEFAULT_CONSUMER_OPTIONS;
    const last = this.lastOptions;
    if (last !== undefined && last.resync === resync && last.kept === kept) return last.options;
    const options: ConsumerOptions = { resyncScanLimit: resync ?? DEFAULT_RESYNC_SCAN_LIMIT, ...(kept ? { keptBodies: kept } : {}) };
    this.lastOptions = { resync, kept, options };
    return options;
  }

  private candidatesOf(key: FlowKey): readonly Dissector[] {
    return key.transport === 'tcp' ? this.tcp : key.transport === 'udp' ? this.udp : this.candidates(key);
  }
}

export const defaultRegistry = new Registry();

/** The StreamConsumer flow tracking creates per flow: detection by content, then the chosen dissector. */
export function createDispatcher(key: FlowKey, emit: ObservationSink, options: DispatcherOptions = {}): Dispatcher {
  const registry = options.dissectors ? new Registry(options.dissectors) : defaultRegistry;
  return registry.createDispatcher(key, emit, options);
}
