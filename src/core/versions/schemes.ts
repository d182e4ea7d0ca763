/**
 * @module Registry of version comparators by scheme, and the mapping from package ecosystems
 * (OSV ecosystem names, purl types, CVE 5 versionType values) to the scheme that orders them.
 */
import { apkComparator } from './apk.js';
import { dpkgComparator } from './dpkg.js';
import { genericComparator } from './generic.js';
import { mavenComparator } from './maven.js';
import { nugetComparator } from './nuget.js';
import { pep440Comparator } from './pep440.js';
import { rpmComparator } from './rpm.js';
import { cargoComparator, goComparator, npmComparator, semverComparator } from './semver.js';
import type { Comparison, SchemeId, VersionComparator } from './types.js';

/** Commit hashes have no order without the repository: only identity is known. */
const gitComparator: VersionComparator = {
  scheme: 'git',
  compare: (a, b): Comparison => (a.trim().toLowerCase() === b.trim().toLowerCase() ? 0 : 'incomparable'),
  isValid: (v) => /^[0-9a-f]{7,64}$/i.test(v.trim()),
};

const COMPARATORS: Record<SchemeId, VersionComparator> = {
  semver: semverComparator,
  npm: npmComparator,
  cargo: cargoComparator,
  go: goComparator,
  pypi: pep440Comparator,
  maven: mavenComparator,
  nuget: nugetComparator,
  deb: dpkgComparator,
  rpm: rpmComparator,
  apk: apkComparator,
  generic: genericComparator,
  git: gitComparator,
};

export const SCHEME_IDS = Object.keys(COMPARATORS) as SchemeId[];

export function isSchemeId(s: string): s is SchemeId {
  return Object.hasOwn(COMPARATORS, s);
}

export function comparatorFor(scheme: SchemeId): VersionComparator {
  return COMPARATORS[scheme];
}

export function compareVersions(scheme: SchemeId, a: string, b: string): Comparison {
  return COMPARATORS[scheme].compare(a, b);
}

const RPM_ECOSYSTEMS = ['red hat', 'almalinux', 'rocky linux', 'suse', 'opensuse', 'mageia', 'openeuler', 'azure linux', 'photon os'];

/**
 * Scheme for an OSV ecosystem ("Debian:12", "Alpine:v3.18", "PyPI", "Red Hat:rhel_aus:8.6::appstream").
 * Undefined for ecosystems we have no ordering for (the caller then keeps ranges as 'unknown').
 */
export function schemeForOsvEcosystem(ecosystem: string): SchemeId | undefined {
  const base = (ecosystem.split(':')[0] ?? '').trim().toLowerCase();
  switch (base) {
    case 'npm':
      return 'npm';
    case 'crates.io':
      return 'cargo';
    case 'go':
      return 'go';
    case 'pypi':
      return 'pypi';
    case 'maven':
      return 'maven';
    case 'nuget':
      return 'nuget';
    case 'debian':
    case 'ubuntu':
      return 'deb';
    case 'alpine':
    case 'wolfi':
    case 'chainguard':
      return 'apk';
    default:
      return RPM_ECOSYSTEMS.includes(base) ? 'rpm' : undefined;
  }
}

/** Scheme for a purl type (pkg:<type>/...), which is also the vers versioning-scheme name. */
export function schemeForPurlType(type: string): SchemeId | undefined {
  switch (type.toLowerCase()) {
    case 'npm':
      return 'npm';
    case 'cargo':
      return 'cargo';
    case 'golang':
    case 'go':
      return 'go';
    case 'pypi':
      return 'pypi';
    case 'maven':
      return 'maven';
    case 'nuget':
      return 'nuget';
    case 'deb':
      return 'deb';
    case 'rpm':
      return 'rpm';
    case 'apk':
    case 'alpine':
      return 'apk';
    case 'semver':
      return 'semver';
    case 'generic':
    case 'intdot':
      return 'generic';
    case 'git':
    case 'github':
      return 'git';
    default:
      return undefined;
  }
}

/** Scheme for a CVE JSON 5 `versionType` ('semver', 'git', 'custom', 'maven', 'python', 'rpm', ...). */
export function schemeForCveVersionType(versionType: string | undefined): SchemeId {
  const t = (versionType ?? '').trim().toLowerCase();
  if (t === 'semver') return 'semver';
  if (t === 'git') return 'git';
  if (t === 'python' || t === 'pypi') return 'pypi';
  if (t === 'maven') return 'maven';
  if (t === 'rpm') return 'rpm';
  if (t === 'deb' || t === 'debian') return 'deb';
  if (t === 'npm') return 'npm';
  if (t === 'nuget') return 'nuget';
  return 'generic';
}
