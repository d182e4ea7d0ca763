/**
 * @module Name evidence for matching: folded name keys, the token comparison used for product
 * names that differ in wording between an inventory and an advisory ('Alaris PC Unit' vs
 * 'Alaris PC Unit Model 8015'), and a curated table of firmware/OS components (OpenSSL, BusyBox,
 * Linux kernel, wolfSSL, FreeRTOS, Windows, ...) that SBOMs often list by name only, mapped to the
 * CPE vendor:product and CVE vendor/product names NVD and CNAs use for them.
 */
import { foldName as foldAnyName } from '../normalize-names.js';

const ASCII = /^[\x20-\x7e]*$/;

/**
 * normalize-names' foldName, with a fast path for plain ASCII (nearly every package name), where
 * mojibake repair and Unicode decomposition cannot change anything. Same result either way.
 */
export function foldName(s: string): string {
  if (!ASCII.test(s)) return foldAnyName(s);
  return s.toLowerCase().replace(/&/g, ' and ').replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Words that describe rather than identify a product. */
const NOISE = new Set(['the', 'and', 'with', 'for', 'of', 'a', 'an', 'software', 'firmware', 'system', 'systems', 'device', 'devices', 'series', 'family', 'product', 'products', 'version', 'versions', 'all', 'only', 'including']);

export function productTokens(name: string): string[] {
  return foldName(name)
    .split(' ')
    .filter((t) => t !== '' && !NOISE.has(t));
}

/**
 * True when every identifying word of one name occurs in the other (either direction) and the
 * shorter one still says something specific: at least two words, or one word of four or more
 * characters (so 'pc' alone never matches).
 */
export function tokensContained(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const [small, large] = a.length <= b.length ? [a, b] : [b, a];
  if (small.length === 1 && (small[0] as string).length < 4) return false;
  const set = new Set(large);
  return small.every((t) => set.has(t));
}

export interface KnownComponent {
  /** CPE vendor:product pairs NVD uses */
  cpes: string[];
  /** normalized 'vendor/product' pairs CVE 5 records use */
  vendorProducts: string[];
}

const KNOWN: Array<[names: string[], known: KnownComponent]> = [
  [['openssl'], { cpes: ['openssl:openssl'], vendorProducts: ['openssl/openssl'] }],
  [['busybox'], { cpes: ['busybox:busybox'], vendorProducts: ['busybox/busybox'] }],
  [['linux', 'linux kernel', 'kernel', 'linux kernel image'], { cpes: ['linux:linux_kernel'], vendorProducts: ['linux/linux', 'linux/linux kernel'] }],
  [['wolfssl'], { cpes: ['wolfssl:wolfssl'], vendorProducts: ['wolfssl/wolfssl'] }],
  [['freertos', 'amazon freertos', 'freertos kernel'], { cpes: ['amazon:freertos', 'amazon:amazon_freertos', 'freertos:freertos'], vendorProducts: ['aws/freertos', 'amazon/freertos', 'freertos/freertos'] }],
  [['mbedtls', 'mbed tls'], { cpes: ['arm:mbed_tls', 'mbed:mbedtls'], vendorProducts: ['arm/mbed tls', 'mbed tls/mbed tls'] }],
  [['zlib'], { cpes: ['zlib:zlib', 'gnu:zlib'], vendorProducts: ['zlib/zlib', 'madler/zlib'] }],
  [['curl', 'libcurl'], { cpes: ['haxx:curl', 'haxx:libcurl'], vendorProducts: ['curl/curl', 'haxx/curl'] }],
  [['sqlite', 'sqlite3'], { cpes: ['sqlite:sqlite'], vendorProducts: ['sqlite/sqlite'] }],
  [['openssh'], { cpes: ['openbsd:openssh'], vendorProducts: ['openbsd/openssh'] }],
  [['dropbear', 'dropbear ssh'], { cpes: ['dropbear_ssh_project:dropbear_ssh'], vendorProducts: ['dropbear ssh project/dropbear ssh'] }],
  [['glibc', 'gnu c library'], { cpes: ['gnu:glibc'], vendorProducts: ['gnu/glibc'] }],
  [['dnsmasq'], { cpes: ['thekelleys:dnsmasq'], vendorProducts: ['thekelleys/dnsmasq'] }],
  [['u boot', 'das u boot'], { cpes: ['denx:u-boot'], vendorProducts: ['denx/u boot'] }],
  [['lwip'], { cpes: ['lwip_project:lwip'], vendorProducts: ['lwip project/lwip'] }],
  [['zephyr', 'zephyr rtos'], { cpes: ['zephyrproject:zephyr'], vendorProducts: ['zephyrproject rtos/zephyr', 'zephyrproject/zephyr'] }],
  [['expat', 'libexpat'], { cpes: ['libexpat_project:libexpat'], vendorProducts: ['libexpat project/libexpat'] }],
  [['libpng'], { cpes: ['libpng:libpng'], vendorProducts: ['libpng/libpng'] }],
];

const KNOWN_BY_NAME = new Map<string, KnownComponent>();
for (const [names, known] of KNOWN) for (const n of names) KNOWN_BY_NAME.set(n, known);

const WINDOWS = /^(?:microsoft )?windows (.+)$/;

/** The curated identity of a firmware/OS component named `name`, if it is a known one. */
export function knownComponent(name: string, alreadyFolded = false): KnownComponent | undefined {
  const folded = alreadyFolded ? name : foldName(name);
  const hit = KNOWN_BY_NAME.get(folded);
  if (hit) return hit;
  // NVD names Windows releases 'windows_10', 'windows_server_2019', 'windows_10_1809'.
  const w = WINDOWS.exec(folded);
  if (w) {
    const rest = (w[1] as string).replace(/ (?:professional|pro|enterprise|home|embedded|iot|sp\d)\b.*$/, '');
    const product = `windows_${rest.replace(/ /g, '_')}`;
    return { cpes: [`microsoft:${product}`], vendorProducts: [`microsoft/windows ${rest}`] };
  }
  return undefined;
}
