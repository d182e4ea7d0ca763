/**
 * @module Package identity for matching: a small, allocation-light purl reader (advisory and SBOM
 * purls are untrusted text; this never throws), the identity string `type/namespace/name` with
 * the purl spec's per-type name normalization, and the mapping from OSV ecosystems (and their
 * distribution releases: 'Debian:12', 'Alpine:v3.18', 'Ubuntu:22.04:LTS') to that identity.
 */

export interface PurlParts {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers: Record<string, string>;
}

export const MAX_PURL_LENGTH = 2048;

function decode(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    // malformed escapes are kept verbatim: identity must still be comparable, not rejected
    return s;
  }
}

/** Parse `pkg:type/namespace/name@version?qualifiers#subpath`; undefined when it is not a purl. */
export function parsePurl(input: string): PurlParts | undefined {
  if (typeof input !== 'string' || input.length > MAX_PURL_LENGTH) return undefined;
  let s = input.trim();
  if (s.length < 5 || s.slice(0, 4).toLowerCase() !== 'pkg:') return undefined;
  s = s.slice(4);
  while (s.startsWith('/')) s = s.slice(1);
  const hash = s.indexOf('#');
  if (hash >= 0) s = s.slice(0, hash);
  const qualifiers: Record<string, string> = {};
  const q = s.indexOf('?');
  if (q >= 0) {
    for (const pair of s.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      qualifiers[pair.slice(0, eq).toLowerCase()] = decode(pair.slice(eq + 1));
    }
    s = s.slice(0, q);
  }
  const firstSlash = s.indexOf('/');
  if (firstSlash <= 0) return undefined;
  const type = s.slice(0, firstSlash).toLowerCase();
  if (!/^[a-z][a-z0-9.+-]*$/.test(type)) return undefined;
  let rest = s.slice(firstSlash + 1);
  while (rest.endsWith('/')) rest = rest.slice(0, -1);
  const lastSlash = rest.lastIndexOf('/');
  const at = rest.indexOf('@', lastSlash + 1);
  let version: string | undefined;
  if (at >= 0) {
    version = decode(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const cut = rest.lastIndexOf('/');
  const name = decode(cut >= 0 ? rest.slice(cut + 1) : rest);
  if (name === '') return undefined;
  const parts: PurlParts = { type, name, qualifiers };
  if (cut > 0) parts.namespace = rest.slice(0, cut).split('/').map(decode).join('/');
  if (version !== undefined && version !== '') parts.version = version;
  return parts;
}

/** purl types written differently by some producers ('pkg:alpine/...', 'pkg:go/...'). */
const TYPE_ALIASES: Record<string, { type: string; namespace?: string }> = {
  alpine: { type: 'apk', namespace: 'alpine' },
  go: { type: 'golang' },
  crates: { type: 'cargo' },
  rubygems: { type: 'gem' },
  packagist: { type: 'composer' },
};

/** PEP 503 name normalization, which the purl spec prescribes for pypi. */
const normalizePypi = (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-');

/**
 * Identity string `type/namespace/name`, lower-cased (registries treat these names
 * case-insensitively, except Maven and Go where case-only collisions do not occur in practice).
 */
export function purlIdentity(type: string, namespace: string | undefined, name: string): string {
  const alias = TYPE_ALIASES[type];
  const t = alias?.type ?? type;
  const ns = namespace ?? alias?.namespace;
  const n = t === 'pypi' ? normalizePypi(name) : name.toLowerCase();
  return ns ? `${t}/${ns.toLowerCase()}/${n}` : `${t}/${n}`;
}

export const identityOfPurl = (p: PurlParts): string => purlIdentity(p.type, p.namespace, p.name);

/** The package a distribution binary package was built from (syft's `upstream` qualifier). */
export function upstreamName(p: PurlParts): string | undefined {
  const up = p.qualifiers.upstream;
  if (!up) return undefined;
  let n = up.replace(/\s*\(.*\)$/, '').replace(/@.*$/, '');
  const srpm = /^(.+)-[^-]+-[^-]+\.src\.rpm$/.exec(n);
  if (srpm) n = srpm[1] as string;
  return n.trim() || undefined;
}

interface EcosystemPurl {
  type: string;
  namespace?: string;
}

/** OSV ecosystem base name (before ':') → purl type and, for distributions, namespace. */
const ECOSYSTEM_PURL: Record<string, EcosystemPurl> = {
  npm: { type: 'npm' },
  pypi: { type: 'pypi' },
  maven: { type: 'maven' },
  go: { type: 'golang' },
  'crates.io': { type: 'cargo' },
  nuget: { type: 'nuget' },
  rubygems: { type: 'gem' },
  packagist: { type: 'composer' },
  pub: { type: 'pub' },
  hex: { type: 'hex' },
  hackage: { type: 'hackage' },
  cran: { type: 'cran' },
  swifturl: { type: 'swift' },
  'github actions': { type: 'github' },
  bitnami: { type: 'bitnami' },
  conan: { type: 'conan' },
  debian: { type: 'deb', namespace: 'debian' },
  ubuntu: { type: 'deb', namespace: 'ubuntu' },
  alpine: { type: 'apk', namespace: 'alpine' },
  wolfi: { type: 'apk', namespace: 'wolfi' },
  chainguard: { type: 'apk', namespace: 'chainguard' },
  'red hat': { type: 'rpm', namespace: 'redhat' },
  almalinux: { type: 'rpm', namespace: 'almalinux' },
  'rocky linux': { type: 'rpm', namespace: 'rocky-linux' },
  suse: { type: 'rpm', namespace: 'suse' },
  opensuse: { type: 'rpm', namespace: 'opensuse' },
  mageia: { type: 'rpm', namespace: 'mageia' },
  openeuler: { type: 'rpm', namespace: 'openeuler' },
  'photon os': { type: 'rpm', namespace: 'photon' },
  'azure linux': { type: 'rpm', namespace: 'azure-linux' },
};

/** Identity of an OSV (ecosystem, package name), or undefined for ecosystems with no purl type. */
export function identityOfEcosystemPackage(ecosystem: string, name: string): string | undefined {
  const base = (ecosystem.split(':')[0] ?? '').trim().toLowerCase();
  const eco = ECOSYSTEM_PURL[base];
  if (!eco || name.trim() === '') return undefined;
  // Maven names are 'group:artifact'; purls carry the group as namespace.
  const n = eco.type === 'maven' ? name.replace(':', '/') : name;
  return eco.namespace ? `${eco.type}/${eco.namespace}/${n.toLowerCase()}` : purlIdentity(eco.type, undefined, n);
}

const DEBIAN_CODENAMES: Record<string, string> = {
  buzz: '1', rex: '1', bo: '1', hamm: '2', slink: '2', potato: '2', woody: '3', sarge: '3', etch: '4', lenny: '5',
  squeeze: '6', wheezy: '7', jessie: '8', stretch: '9', buster: '10', bullseye: '11', bookworm: '12', trixie: '13', forky: '14',
};
const UBUNTU_CODENAMES: Record<string, string> = {
  precise: '12.04', trusty: '14.04', xenial: '16.04', bionic: '18.04', focal: '20.04', jammy: '22.04', noble: '24.04',
  oracular: '24.10', plucky: '25.04',
};

/** Distribution release named by an OSV ecosystem ('Debian:12' → '12', 'Alpine:v3.18' → '3.18'). */
export function releaseOfEcosystem(ecosystem: string): string | undefined {
  const parts = ecosystem.split(':').map((p) => p.trim());
  const base = (parts[0] ?? '').toLowerCase();
  if (base !== 'debian' && base !== 'ubuntu' && base !== 'alpine') return undefined;
  for (const p of parts.slice(1)) {
    const m = /^v?(\d+(?:\.\d+)?)/.exec(p);
    if (m) return m[1];
  }
  return undefined;
}

/** Release in a purl `distro` qualifier ('debian-12', 'bookworm', 'alpine-3.18.4', 'ubuntu-22.04', 'esm-infra/jammy'). */
export function releaseOfDistroQualifier(distro: string | undefined): string | undefined {
  if (!distro) return undefined;
  const d = distro.toLowerCase();
  const num = /(\d+(?:\.\d+)*)/.exec(d);
  if (num) return num[1];
  for (const word of d.split(/[^a-z]+/)) {
    const r = DEBIAN_CODENAMES[word] ?? UBUNTU_CODENAMES[word];
    if (r) return r;
  }
  return undefined;
}

/**
 * Do two releases name the same distribution release? Debian by major ('12' ~ '12.4'); Alpine
 * and Ubuntu by major.minor ('3.18' ~ '3.18.4').
 */
export function sameRelease(advisoryRelease: string, componentRelease: string): boolean {
  const a = advisoryRelease.split('.');
  const c = componentRelease.split('.');
  const n = Math.min(a.length, c.length, 2);
  for (let i = 0; i < n; i++) if (Number(a[i]) !== Number(c[i])) return false;
  return true;
}
