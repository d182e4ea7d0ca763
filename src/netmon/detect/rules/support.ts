/**
 * @module Helpers the rules share: the bounded LRU map (per-rule state must not grow with the number
 * of hosts a scan touches), naming a device in titles, and severities that follow the device's
 * clinical criticality.
 */
import type { Criticality } from '../../../inventory/index.js';
export { LruMap } from '../../baseline/index.js';
import type { FlowKey, Observation, Severity } from '../../model.js';
import type { Topology } from '../topology.js';

/** "CT-3 (10.1.2.3)" with a device map name, else the address. */
export function deviceLabel(topology: Topology, ip: string): string {
  const d = topology.info(ip).device;
  return d?.name ? `${d.name} (${ip})` : ip;
}

export const criticalityText = (c: Criticality | undefined): string => (c === undefined ? 'unknown criticality' : `criticality ${c}`);

/** life-sustaining/-supporting devices get `high`, other clinical ones `medium`, the rest `base`. */
export function clinicalSeverity(c: Criticality | undefined, base: Severity): Severity {
  if (c === 'life-sustaining' || c === 'life-supporting') return 'high';
  if (c === 'diagnostic' || c === 'therapeutic-non-critical') return base === 'low' || base === 'info' ? 'medium' : base;
  return base;
}

/** The sender and receiver addresses of an observation (the client sends unless dir is s2c). */
export function sides(o: Observation): { key: FlowKey; sender: string; receiver: string; senderPort: number; receiverPort: number } | undefined {
  const key = o.flow;
  if (!key) return undefined;
  const fromServer = o.dir === 's2c';
  return {
    key,
    sender: fromServer ? key.server.ip : key.client.ip,
    receiver: fromServer ? key.client.ip : key.server.ip,
    senderPort: fromServer ? key.server.port : key.client.port,
    receiverPort: fromServer ? key.client.port : key.server.port,
  };
}

export const flowKeyText = (k: FlowKey): string => `${k.transport} ${k.client.ip}:${k.client.port} ${k.server.ip}:${k.server.port}`;

export const megabytes = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${Math.round(n)} B`);
