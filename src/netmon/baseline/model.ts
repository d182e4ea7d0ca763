/**
 * @module The per-device communication baseline: who a device talks to (peers), which services it
 * uses or offers (transport/port, with the application protocols seen on them), its protocols, its
 * DICOM routes, its traffic volume per time bucket and when in the day it starts flows. Peers,
 * services, protocols, routes and the time-of-day histogram are learnt during a window measured in
 * capture time (not wall-clock time); counters of known entries and the volume series keep running
 * afterwards, since volume anomalies compare each new bucket with the ones before it.
 */
import type { Micros, Transport } from '../model.js';
import type { VolumeSeries } from './volume.js';

export interface BaselineOptions {
  /** length of the learning window from the first event, seconds (default 86 400 = one day) */
  learnSeconds: number;
  /** volume bucket length, seconds (default 3600) */
  bucketSeconds: number;
  /** volume buckets kept per device: the history anomalies compare against (default 168 = a week of hours) */
  historyBuckets: number;
  /** shifts the time-of-day histogram from UTC to the site's local time, minutes (default 0) */
  utcOffsetMinutes: number;
  /** devices kept; the least recently active is evicted beyond it (default 20 000) */
  maxDevices: number;
  /** peers per device (default 128); later ones are counted in peersDropped */
  maxPeersPerDevice: number;
  /** services per device (default 128) */
  maxServicesPerDevice: number;
  /** DICOM routes per device (default 32) */
  maxDicomRoutesPerDevice: number;
  /** peers + services + routes across all devices; least recently active devices are evicted beyond it (default 200 000) */
  maxTotalEntries: number;
}

export const DEFAULT_BASELINE_OPTIONS: BaselineOptions = {
  learnSeconds: 86_400,
  bucketSeconds: 3600,
  historyBuckets: 168,
  utcOffsetMinutes: 0,
  maxDevices: 20_000,
  maxPeersPerDevice: 128,
  maxServicesPerDevice: 128,
  maxDicomRoutesPerDevice: 32,
  maxTotalEntries: 200_000,
};

/** Protocol names kept per service and protocols per device. */
export const MAX_PROTOCOLS_PER_SERVICE = 4;
export const MAX_PROTOCOLS_PER_DEVICE = 32;

export interface Counters {
  flows: number;
  /** frame bytes both ways */
  bytes: number;
  firstTs: Micros;
  lastTs: Micros;
}

export interface PeerStat extends Counters {
  ip: string;
}

export type ServiceRole = 'client' | 'server';

/**
 * A service a device uses (role client: the server's address and port) or offers (role server: its
 * own listening port, any peer).
 */
export interface ServiceStat extends Counters {
  role: ServiceRole;
  transport: Transport;
  port: number;
  /** the server's address for a client-role service; null for a service the device offers */
  peer: string | null;
  /** application protocols the dissectors recognised on it ("dicom", "tls"; "tcp"/"udp" when none) */
  protocols: string[];
}

export interface ProtocolStat {
  protocol: string;
  flows: number;
  bytes: number;
}

/** A DICOM destination a device sent associations to: called AE title at an address and port. */
export interface DicomRoute {
  callingAe: string;
  calledAe: string;
  server: string;
  port: number;
  associations: number;
  firstTs: Micros;
  lastTs: Micros;
}

export interface DeviceBaseline extends Counters {
  ip: string;
  peers: Map<string, PeerStat>;
  peersDropped: number;
  /** key: serviceKey() */
  services: Map<string, ServiceStat>;
  servicesDropped: number;
  protocols: Map<string, ProtocolStat>;
  /** key: routeKey() */
  dicomRoutes: Map<string, DicomRoute>;
  routesDropped: number;
  /** flows started per hour of the (offset) day, learning window only */
  timeOfDay: number[];
  volume: VolumeSeries;
}

export interface BaselineStats {
  devices: number;
  /** devices evicted (least recently active) by maxDevices or maxTotalEntries */
  evictedDevices: number;
  /** peers + services + routes currently held */
  entries: number;
  peersDropped: number;
  servicesDropped: number;
  routesDropped: number;
  /** flow bytes that fell before a device's retained volume history */
  volumeSamplesDropped: number;
}

export const serviceKey = (role: ServiceRole, transport: Transport, port: number, peer: string | null): string =>
  role === 'server' ? `s ${transport}/${port}` : `c ${transport}/${port} ${peer ?? ''}`;

export const routeKey = (calledAe: string, server: string, port: number): string => `${calledAe}@${server}:${port}`;
