/**
 * @module The monitoring policy, after validation: IEC 62443-style zones (address blocks with a
 * security level) and the conduits allowed between them, the device map (address -> inventory id,
 * criticality, category, zone), the DICOM AE titles that may appear, internet destinations that are
 * expected, hosts allowed to scan, and per-rule switches and parameters. The file format and its
 * checks are in policy-validate.ts; everything here is already checked.
 */
import type { Criticality } from '../../inventory/index.js';
import type { Severity, Transport } from '../model.js';
import type { Cidr } from './addresses.js';

export const POLICY_VERSION = 1;

export interface PortRange {
  from: number;
  to: number;
}

/** One kind of traffic a conduit carries; an absent field matches anything. */
export interface ConduitService {
  /** application protocol as the dissectors name it ("dicom", "hl7", "tls", ...) */
  protocol?: string;
  transport?: Transport;
  /** server ports; empty = any port */
  ports: PortRange[];
}

export interface Conduit {
  name: string;
  /** zone the connections are initiated from (the client side) */
  from: string;
  to: string;
  /** connections may also be initiated from `to` to `from` */
  bidirectional: boolean;
  /** empty = any traffic between the two zones */
  services: ConduitService[];
  description?: string;
  /** where it is in the policy document, for evidence */
  pointer: string;
}

export interface Zone {
  name: string;
  cidrs: Cidr[];
  /** IEC 62443-3-3 target security level, 0-4 */
  securityLevel?: number;
  /** a zone standing for the outside (a partner network, a vendor cloud): traffic to it is internet traffic */
  external: boolean;
  description?: string;
}

export interface DeviceEntry {
  ip: string;
  deviceId?: string;
  name?: string;
  criticality?: Criticality;
  /** inventory category id ("infusion-pump"); gives a default criticality when none is set */
  category?: string;
  /** overrides the zone the address's CIDR would give */
  zone?: string;
}

export interface AeTitleEntry {
  title: string;
  /** addresses the AE title may be used from / found at; empty = anywhere */
  hosts: Cidr[];
}

export interface RuleSettings {
  enabled: boolean;
  /** replaces the severity the rule would choose */
  severity?: Severity;
  params: Record<string, number>;
}

export interface NetmonPolicy {
  version: typeof POLICY_VERSION;
  zones: Zone[];
  conduits: Conduit[];
  /** traffic inside one zone (default allow) */
  intraZone: 'allow' | 'deny';
  /** traffic with an address in no zone: "ignore" reports it without judging (default), "deny" flags it */
  unzoned: 'ignore' | 'deny';
  devices: DeviceEntry[];
  /** allowed AE titles; undefined = the unknown-AE rule has nothing to compare with and stays quiet */
  dicom: { aeTitles?: AeTitleEntry[] };
  internet: {
    /** internet addresses devices may reach (vendor clouds, update servers) */
    allowedDestinations: Cidr[];
    /** a device of unknown criticality reaching the internet: "low" detection (default) or "ignore" */
    unknownCriticality: 'low' | 'ignore';
  };
  /** sources allowed to scan (vulnerability scanners, network management) */
  scanners: Cidr[];
  rules: Record<string, RuleSettings>;
}

/** No zones, no conduits, no device map: the rules that need none of these still run. */
export const EMPTY_POLICY: NetmonPolicy = {
  version: POLICY_VERSION,
  zones: [],
  conduits: [],
  intraZone: 'allow',
  unzoned: 'ignore',
  devices: [],
  dicom: {},
  internet: { allowedDestinations: [], unknownCriticality: 'low' },
  scanners: [],
  rules: {},
};

/** Policy bounds: a policy is written by people; these stop a generated one from costing unbounded memory. */
export const POLICY_LIMITS = {
  zones: 256,
  cidrsPerZone: 4096,
  conduits: 4096,
  servicesPerConduit: 64,
  portsPerService: 256,
  devices: 200_000,
  aeTitles: 10_000,
  hostsPerAeTitle: 256,
  cidrs: 4096,
  nameLength: 64,
} as const;
