/**
 * @module Reads a policy document (JSON): checks every value, reports all problems at once with the
 * JSON pointer of each ("/conduits/2/to: unknown zone "pacs" (zones: imaging, clinical)"), and
 * returns the typed NetmonPolicy. References are checked too: conduits and devices must name defined
 * zones, rule settings must name a rule and its parameters within their bounds.
 */
import { JsonChecker, parseJsonText, ptr } from '../baseline/index.js';
import { CRITICALITIES, isCategoryId } from '../../inventory/index.js';
import { DEFAULT_DISSECTORS } from '../dissectors/index.js';
import type { Severity } from '../model.js';
import { parseCidr, parseIp, type Cidr } from './addresses.js';
import { SEVERITY_ORDER, type DetectionRule } from './model.js';
import { DETECTION_RULES } from './rules/index.js';
import { EMPTY_POLICY, POLICY_LIMITS, POLICY_VERSION, type AeTitleEntry, type Conduit, type ConduitService, type DeviceEntry, type NetmonPolicy, type PortRange, type RuleSettings, type Zone } from './policy.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._:-]*$/;
const NAME_HINT = 'must start with a letter or digit and use only letters, digits, space, ".", "_", ":" and "-"';
/** PS3.5: up to 16 characters of the default repertoire, no backslash, no control characters */
const AE_TITLE = /^[\x20-\x5b\x5d-\x7e]{1,16}$/;
const KNOWN_PROTOCOLS = [...new Set(DEFAULT_DISSECTORS.map((d) => d.id))].sort();

function cidrList(c: JsonChecker, raw: unknown, p: string, max: number): Cidr[] {
  const out: Cidr[] = [];
  (c.array(raw, p, max) ?? []).forEach((v, i) => {
    const s = c.string(v, ptr(p, i), { min: 1, max: 64 });
    if (s === undefined) return;
    const cidr = parseCidr(s.trim());
    if ('error' in cidr) c.fail(ptr(p, i), cidr.error);
    else out.push(cidr);
  });
  return out;
}

function ports(c: JsonChecker, raw: unknown, p: string): PortRange[] {
  const out: PortRange[] = [];
  (c.array(raw, p, POLICY_LIMITS.portsPerService) ?? []).forEach((v, i) => {
    const q = ptr(p, i);
    if (typeof v === 'number') {
      const n = c.number(v, q, { min: 0, max: 65535, integer: true });
      if (n !== undefined) out.push({ from: n, to: n });
      return;
    }
    const s = c.string(v, q, { pattern: /^\d{1,5}(-\d{1,5})?$/, patternHint: 'must be a port (104) or a range ("11112-11115")' });
    if (s === undefined) return;
    const [a, b = a] = s.split('-').map(Number) as [number, number?];
    if (a > 65535 || b > 65535) c.fail(q, `ports are 0-65535, found "${s}"`);
    else if (b < a) c.fail(q, `range "${s}" ends before it starts`);
    else out.push({ from: a, to: b });
  });
  return out;
}

function zones(c: JsonChecker, raw: unknown): Zone[] {
  const out: Zone[] = [];
  const names = new Map<string, number>();
  (c.array(raw ?? [], '/zones', POLICY_LIMITS.zones) ?? []).forEach((v, i) => {
    const p = ptr('/zones', i);
    const o = c.object(v, p, ['name', 'cidrs', 'securityLevel', 'external', 'description']);
    if (!o) return;
    const name = c.string(o.name, ptr(p, 'name'), { min: 1, max: POLICY_LIMITS.nameLength, pattern: NAME, patternHint: NAME_HINT });
    if (name !== undefined && names.has(name)) c.fail(ptr(p, 'name'), `zone "${name}" is already defined at /zones/${names.get(name)}`);
    if (name !== undefined) names.set(name, i);
    if (o.cidrs === undefined) c.fail(p, 'a zone needs "cidrs" (its address blocks)');
    const cidrs = o.cidrs === undefined ? [] : cidrList(c, o.cidrs, ptr(p, 'cidrs'), POLICY_LIMITS.cidrsPerZone);
    const securityLevel = o.securityLevel === undefined ? undefined : c.number(o.securityLevel, ptr(p, 'securityLevel'), { min: 0, max: 4, integer: true });
    const external = o.external === undefined ? false : (c.boolean(o.external, ptr(p, 'external')) ?? false);
    const description = o.description === undefined ? undefined : c.string(o.description, ptr(p, 'description'), { max: 500 });
    if (name !== undefined) out.push({ name, cidrs, external, ...(securityLevel === undefined ? {} : { securityLevel }), ...(description === undefined ? {} : { description }) });
  });
  // the same block in two zones would make the zone of its addresses depend on list order
  const owner = new Map<string, string>();
  out.forEach((z, i) => z.cidrs.forEach((cidr, j) => {
    const prev = owner.get(`${cidr.v}/${cidr.base}/${cidr.bits}`);
    if (prev !== undefined && prev !== z.name) c.fail(ptr(ptr(ptr('/zones', i), 'cidrs'), j), `${cidr.text} is also a block of zone "${prev}"`);
    owner.set(`${cidr.v}/${cidr.base}/${cidr.bits}`, z.name);
  }));
  return out;
}

function zoneRef(c: JsonChecker, raw: unknown, p: string, known: ReadonlySet<string>): string | undefined {
  const z = c.string(raw, p, { min: 1, max: POLICY_LIMITS.nameLength });
  if (z !== undefined && !known.has(z)) return c.fail(p, `unknown zone "${z}" (zones: ${[...known].join(', ') || 'none defined'})`);
  return z;
}

function conduits(c: JsonChecker, raw: unknown, known: ReadonlySet<string>): Conduit[] {
  const out: Conduit[] = [];
  const names = new Set<string>();
  (c.array(raw ?? [], '/conduits', POLICY_LIMITS.conduits) ?? []).forEach((v, i) => {
    const p = ptr('/conduits', i);
    const o = c.object(v, p, ['name', 'from', 'to', 'bidirectional', 'services', 'description']);
    if (!o) return;
    const name = o.name === undefined ? `conduit-${i}` : c.string(o.name, ptr(p, 'name'), { min: 1, max: POLICY_LIMITS.nameLength, pattern: NAME, patternHint: NAME_HINT });
    if (name !== undefined && names.has(name)) c.fail(ptr(p, 'name'), `conduit "${name}" is defined twice`);
    if (name !== undefined) names.add(name);
    const from = zoneRef(c, o.from, ptr(p, 'from'), known);
    const to = zoneRef(c, o.to, ptr(p, 'to'), known);
    const services: ConduitService[] = [];
    (c.array(o.services ?? [], ptr(p, 'services'), POLICY_LIMITS.servicesPerConduit) ?? []).forEach((s, j) => {
      const q = ptr(ptr(p, 'services'), j);
      const so = c.object(s, q, ['protocol', 'transport', 'ports']);
      if (!so) return;
      const protocol = so.protocol === undefined ? undefined : c.string(so.protocol, ptr(q, 'protocol'), { min: 1, max: 32 });
      if (protocol !== undefined && !KNOWN_PROTOCOLS.includes(protocol)) c.fail(ptr(q, 'protocol'), `unknown protocol "${protocol}" (known: ${KNOWN_PROTOCOLS.join(', ')}; use "transport" and "ports" for others)`);
      const transport = so.transport === undefined ? undefined : c.oneOf(so.transport, ptr(q, 'transport'), ['tcp', 'udp'] as const);
      const portList = so.ports === undefined ? [] : ports(c, so.ports, ptr(q, 'ports'));
      if (protocol === undefined && transport === undefined && so.ports === undefined) c.fail(q, 'a service needs at least one of "protocol", "transport", "ports" (omit "services" to allow any traffic)');
      services.push({ ports: portList, ...(protocol === undefined ? {} : { protocol }), ...(transport === undefined ? {} : { transport }) });
    });
    const bidirectional = o.bidirectional === undefined ? false : (c.boolean(o.bidirectional, ptr(p, 'bidirectional')) ?? false);
    const description = o.description === undefined ? undefined : c.string(o.description, ptr(p, 'description'), { max: 500 });
    if (name !== undefined && from !== undefined && to !== undefined) out.push({ name, from, to, bidirectional, services, pointer: p, ...(description === undefined ? {} : { description }) });
  });
  return out;
}

function devices(c: JsonChecker, raw: unknown, known: ReadonlySet<string>): DeviceEntry[] {
  const out: DeviceEntry[] = [];
  const seen = new Map<string, number>();
  (c.array(raw ?? [], '/devices', POLICY_LIMITS.devices) ?? []).forEach((v, i) => {
    const p = ptr('/devices', i);
    const o = c.object(v, p, ['ip', 'deviceId', 'name', 'criticality', 'category', 'zone']);
    if (!o) return;
    const ipText = c.string(o.ip, ptr(p, 'ip'), { min: 1, max: 64 });
    const ip = ipText === undefined ? undefined : parseIp(ipText.trim());
    if (ipText !== undefined && !ip) c.fail(ptr(p, 'ip'), `"${ipText}" is not an IPv4 or IPv6 address`);
    if (ipText !== undefined && seen.has(ipText)) c.fail(ptr(p, 'ip'), `${ipText} is already mapped at /devices/${seen.get(ipText)}`);
    if (ipText !== undefined) seen.set(ipText, i);
    const opt = (k: 'deviceId' | 'name', max: number) => (o[k] === undefined ? undefined : c.string(o[k], ptr(p, k), { min: 1, max }));
    const deviceId = opt('deviceId', 100);
    const name = opt('name', 200);
    const criticality = o.criticality === undefined ? undefined : c.oneOf(o.criticality, ptr(p, 'criticality'), CRITICALITIES);
    const category = o.category === undefined ? undefined : c.string(o.category, ptr(p, 'category'), { min: 1, max: 100 });
    if (category !== undefined && !isCategoryId(category)) c.fail(ptr(p, 'category'), `unknown device category "${category}" (see \`careguard devices categories\` or docs/inventory.md)`);
    const zone = o.zone === undefined ? undefined : zoneRef(c, o.zone, ptr(p, 'zone'), known);
    if (ipText === undefined || !ip) return;
    out.push({
      ip: ipText.trim(),
      ...(deviceId === undefined ? {} : { deviceId }),
      ...(name === undefined ? {} : { name }),
      ...(criticality === undefined ? {} : { criticality }),
      ...(category === undefined || !isCategoryId(category) ? {} : { category }),
      ...(zone === undefined ? {} : { zone }),
    });
  });
  return out;
}

function aeTitles(c: JsonChecker, raw: unknown): AeTitleEntry[] | undefined {
  const p = '/dicom/aeTitles';
  const list = c.array(raw, p, POLICY_LIMITS.aeTitles);
  if (!list) return undefined;
  const out: AeTitleEntry[] = [];
  list.forEach((v, i) => {
    const q = ptr(p, i);
    const hint = 'must be 1-16 printable ASCII characters without a backslash';
    if (typeof v === 'string') {
      const t = c.string(v.trim(), q, { pattern: AE_TITLE, patternHint: hint });
      if (t !== undefined) out.push({ title: t, hosts: [] });
      return;
    }
    const o = c.object(v, q, ['title', 'hosts']);
    if (!o) return;
    const t = typeof o.title === 'string' ? c.string(o.title.trim(), ptr(q, 'title'), { pattern: AE_TITLE, patternHint: hint }) : c.string(o.title, ptr(q, 'title'));
    const hosts = o.hosts === undefined ? [] : cidrList(c, o.hosts, ptr(q, 'hosts'), POLICY_LIMITS.hostsPerAeTitle);
    if (t !== undefined) out.push({ title: t, hosts });
  });
  return out;
}

function ruleSettings(c: JsonChecker, raw: unknown, rules: readonly DetectionRule[]): Record<string, RuleSettings> {
  const out: Record<string, RuleSettings> = {};
  const o = c.object(raw ?? {}, '/rules', rules.map((r) => r.id));
  if (!o) return out;
  for (const rule of rules) {
    const v = o[rule.id];
    if (v === undefined) continue;
    const p = ptr('/rules', rule.id);
    const names = rule.params.map((x) => x.name);
    const s = c.object(v, p, ['enabled', 'severity', ...names]);
    if (!s) continue;
    const enabled = s.enabled === undefined ? true : (c.boolean(s.enabled, ptr(p, 'enabled')) ?? true);
    const severity = s.severity === undefined ? undefined : c.oneOf<Severity>(s.severity, ptr(p, 'severity'), SEVERITY_ORDER);
    const params: Record<string, number> = {};
    for (const param of rule.params) {
      if (s[param.name] === undefined) continue;
      const n = c.number(s[param.name], ptr(p, param.name), { min: param.min, max: param.max, integer: param.integer ?? false });
      if (n !== undefined) params[param.name] = n;
    }
    out[rule.id] = { enabled, params, ...(severity === undefined ? {} : { severity }) };
  }
  return out;
}

export interface PolicyParseOptions {
  /** the rules whose settings the document may carry (default: every built-in rule) */
  rules?: readonly DetectionRule[];
  /** file name for error messages */
  file?: string;
}

/**
 * Checks a parsed policy document against the rules it configures. Throws DomainError
 * `netmon.policy_invalid` whose message lists every problem with its JSON pointer and whose
 * `location.pointer` is the first one's.
 */
export function parsePolicy(raw: unknown, opts: PolicyParseOptions = {}): NetmonPolicy {
  const { rules = DETECTION_RULES, file } = opts;
  const c = new JsonChecker();
  const o = c.object(raw, '', ['version', 'zones', 'conduits', 'intraZone', 'unzoned', 'devices', 'dicom', 'internet', 'scanners', 'rules', '$schema', 'description']);
  if (!o) {
    c.throwIfProblems('netmon.policy_invalid', 'policy', file);
    return EMPTY_POLICY;
  }
  if (o.version !== undefined && o.version !== POLICY_VERSION) c.fail('/version', `this CareGuard reads policy version ${POLICY_VERSION}, found ${JSON.stringify(o.version)}`);
  const zs = zones(c, o.zones);
  const known = new Set(zs.map((z) => z.name));
  const policy: NetmonPolicy = {
    ...EMPTY_POLICY,
    zones: zs,
    conduits: conduits(c, o.conduits, known),
    intraZone: o.intraZone === undefined ? 'allow' : (c.oneOf(o.intraZone, '/intraZone', ['allow', 'deny'] as const) ?? 'allow'),
    unzoned: o.unzoned === undefined ? 'ignore' : (c.oneOf(o.unzoned, '/unzoned', ['ignore', 'deny'] as const) ?? 'ignore'),
    devices: devices(c, o.devices, known),
    rules: ruleSettings(c, o.rules, rules),
    scanners: o.scanners === undefined ? [] : cidrList(c, o.scanners, '/scanners', POLICY_LIMITS.cidrs),
  };
  if (o.dicom !== undefined) {
    const d = c.object(o.dicom, '/dicom', ['aeTitles']);
    const titles = d?.aeTitles === undefined ? undefined : aeTitles(c, d.aeTitles);
    policy.dicom = titles === undefined ? {} : { aeTitles: titles };
  }
  if (o.internet !== undefined) {
    const n = c.object(o.internet, '/internet', ['allowedDestinations', 'unknownCriticality']);
    policy.internet = {
      allowedDestinations: n?.allowedDestinations === undefined ? [] : cidrList(c, n.allowedDestinations, '/internet/allowedDestinations', POLICY_LIMITS.cidrs),
      unknownCriticality: n?.unknownCriticality === undefined ? 'low' : (c.oneOf(n.unknownCriticality, '/internet/unknownCriticality', ['low', 'ignore'] as const) ?? 'low'),
    };
  }
  if (o.description !== undefined) c.string(o.description, '/description', { max: 2000 });
  c.throwIfProblems('netmon.policy_invalid', 'policy', file);
  return policy;
}

/** Parses policy JSON text; syntax errors name line and column (DomainError `netmon.policy_syntax`). */
export function parsePolicyText(text: string, opts: PolicyParseOptions = {}): NetmonPolicy {
  return parsePolicy(parseJsonText(text, 'netmon.policy_syntax', 'policy', opts.file), opts);
}
