/**
 * Site policy (`--policy FILE`), JSON or YAML (a small YAML subset, see parseYamlSubset):
 *
 *   allow:                       # a session matching ANY entry is allowed
 *     servers: [10.0.0.0/8, 192.0.2.10, "fd00::/8"]     # server IP or CIDR, IPv4 or IPv6
 *     sni: ["dashboard.corp.example", "*.lab.example"] # glob, case-insensitive; * = any run of characters
 *     cert_sha256: [3f1c...]     # any certificate of the server chain (hex, colons allowed)
 *     fingerprints: [t13d1516h2_8daaf6152771_e5627efa2ab1, 0123456789abcdef0123456789abcdef]  # JA4 or JA3 (client) or JA3S
 *   rules:                       # per-rule severity override, or off
 *     cert.self-signed: low
 *     sni.dga-like: off
 *   disable: [fingerprint.rare]  # same as "off"
 *
 * What "allowed" means (classifier.ts): the rules still run and the findings stay on the
 * session, each downgraded to info with evidence.allowed_by naming the entry and
 * evidence.original_severity; score 0, verdict ok. A reviewer still sees why the session
 * would have been flagged, and --fail-on does not trip on it. Note that the SNI is chosen by
 * the client: an SNI allow entry trusts whoever connects with that name; prefer server or
 * certificate entries.
 *
 * An invalid policy throws an Error with a one-line message (the CLI exits 2 on it).
 */
import { isIP } from 'node:net';
import type { SessionRecord, Severity } from '../model/session.js';
import { isSeverity, SEVERITIES } from './severity.js';

export interface Cidr {
  text: string;
  bytes: Uint8Array;
  prefix: number;
}

export interface Policy {
  allow: {
    servers: Cidr[];
    sni: string[];
    certSha256: string[];
    fingerprints: string[];
  };
  /** rule id -> severity replacing the rule's (every finding of that rule). */
  overrides: Map<string, Severity>;
  disabled: Set<string>;
}

export interface AllowMatch {
  /** Which allow list matched: servers | sni | cert_sha256 | fingerprints. */
  list: string;
  /** The policy entry. */
  entry: string;
  /** The session value it matched. */
  value: string;
}

export function emptyPolicy(): Policy {
  return { allow: { servers: [], sni: [], certSha256: [], fingerprints: [] }, overrides: new Map(), disabled: new Set() };
}

class PolicyError extends Error {
  constructor(message: string) {
    super(`invalid policy: ${message}`);
    this.name = 'PolicyError';
  }
}

/* ------------------------------------------------------------------ IP / CIDR */

function parseIpv4(text: string): Uint8Array | null {
  if (isIP(text) !== 4) return null;
  return Uint8Array.from(text.split('.').map(Number));
}

function parseIpv6(text: string): Uint8Array | null {
  const t = text.replace(/%.*$/, '');
  if (isIP(t) !== 6) return null;
  let head = t;
  const tail4: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4) {
    tail4.push(...parseIpv4(v4[1]!)!);
    head = t.slice(0, t.length - v4[1]!.length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groupsNeeded = 8 - tail4.length / 2;
  const [left, right] = head.includes('::') ? head.split('::') : [head, null];
  const l = left ? left.split(':').filter((x) => x !== '') : [];
  const r = right ? right.split(':').filter((x) => x !== '') : [];
  const zeros = right === null ? 0 : groupsNeeded - l.length - r.length;
  const groups = [...l, ...new Array<string>(zeros).fill('0'), ...r].map((g) => parseInt(g, 16));
  if (groups.length !== groupsNeeded) return null;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => { out[i * 2] = g >> 8; out[i * 2 + 1] = g & 0xff; });
  out.set(tail4, 16 - tail4.length);
  return out;
}

export function parseIp(text: string): Uint8Array | null {
  return parseIpv4(text) ?? parseIpv6(text);
}

/** "10.0.0.0/8", "fd00::/8", or a bare address (a /32 or /128). Throws on nonsense. */
export function parseCidr(text: string): Cidr {
  const [addr, len, extra] = text.trim().split('/');
  const bytes = parseIp(addr ?? '');
  if (!bytes || extra !== undefined) throw new PolicyError(`"${text}" is not an IP address or CIDR`);
  const max = bytes.length * 8;
  const prefix = len === undefined ? max : Number(len);
  if (!/^\d+$/.test(len ?? String(max)) || prefix > max) throw new PolicyError(`"${text}" has a bad prefix length`);
  return { text: text.trim(), bytes, prefix };
}

export function cidrContains(c: Cidr, ip: string): boolean {
  const b = parseIp(ip);
  if (!b || b.length !== c.bytes.length) return false;
  let bits = c.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((b[i]! & mask) !== (c.bytes[i]! & mask)) return false;
  }
  return true;
}

/* ------------------------------------------------------------------ SNI glob */

export function globMatch(pattern: string, name: string): boolean {
  const re = '^' + pattern.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$';
  return new RegExp(re).test(name.toLowerCase());
}

/* ------------------------------------------------------------------ matching */

/** The first allow entry the session matches, or null. */
export function allowMatch(policy: Policy, s: SessionRecord): AllowMatch | null {
  for (const c of policy.allow.servers) if (cidrContains(c, s.server_ip)) return { list: 'servers', entry: c.text, value: s.server_ip };
  const t = s.tls;
  if (!t) return null;
  if (t.sni) for (const p of policy.allow.sni) if (globMatch(p, t.sni)) return { list: 'sni', entry: p, value: t.sni };
  for (const c of t.certificates) {
    const h = c.sha256.toLowerCase();
    if (policy.allow.certSha256.includes(h)) return { list: 'cert_sha256', entry: h, value: h };
  }
  for (const fp of [t.ja4, t.ja3, t.ja3s]) {
    if (fp && policy.allow.fingerprints.includes(fp.toLowerCase())) return { list: 'fingerprints', entry: fp.toLowerCase(), value: fp };
  }
  return null;
}

/* ------------------------------------------------------------------ parsing */

type Yaml = string | Yaml[] | { [k: string]: Yaml };

function unquote(v: string, line: number): string {
  if (v.startsWith('"')) {
    if (!v.endsWith('"') || v.length < 2) throw new PolicyError(`line ${line}: unterminated string`);
    return JSON.parse(v) as string;
  }
  if (v.startsWith("'")) {
    if (!v.endsWith("'") || v.length < 2) throw new PolicyError(`line ${line}: unterminated string`);
    return v.slice(1, -1).replace(/''/g, "'");
  }
  return v;
}

function splitFlow(inner: string, line: number): string[] {
  const out: string[] = [];
  let cur = '';
  let q: string | null = null;
  for (const ch of inner) {
    if (q) { cur += ch; if (ch === q) q = null; continue; }
    if (ch === '"' || ch === "'") { q = ch; cur += ch; continue; }
    if (ch === ',') { out.push(cur.trim()); cur = ''; continue; }
    if (ch === '[' || ch === '{') throw new PolicyError(`line ${line}: nested flow collections are not supported`);
    cur += ch;
  }
  if (q) throw new PolicyError(`line ${line}: unterminated string`);
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

function scalarOrFlow(v: string, line: number): Yaml {
  if (v.startsWith('[')) {
    if (!v.endsWith(']')) throw new PolicyError(`line ${line}: unterminated [ list`);
    return splitFlow(v.slice(1, -1), line).map((x) => unquote(x, line));
  }
  if (v === '{}') return {};
  if (v.startsWith('{')) throw new PolicyError(`line ${line}: flow mappings are not supported, use indented keys`);
  return unquote(v, line);
}

function stripComment(raw: string): string {
  let q: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (q) { if (ch === q) q = null; continue; }
    if (ch === '"' || ch === "'") q = ch;
    else if (ch === '#' && (i === 0 || raw[i - 1] === ' ' || raw[i - 1] === '\t')) return raw.slice(0, i);
  }
  return raw;
}

/**
 * The YAML subset a policy needs: block mappings (`key: value`, `key:` + indented block),
 * block sequences of scalars (`- value`), flow sequences of scalars (`[a, "b"]`), plain,
 * 'single' and "double" quoted scalars, `#` comments. Every scalar stays a string. No anchors,
 * tags, multi-line scalars, flow mappings or sequences of mappings.
 */
export function parseYamlSubset(text: string): Yaml {
  const lines: { indent: number; text: string; no: number }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (/^\s*\t/.test(raw)) throw new PolicyError(`line ${i + 1}: tabs are not allowed for indentation`);
    const t = stripComment(raw).trimEnd();
    if (t.trim() === '' || t.trim() === '---') return;
    lines.push({ indent: t.length - t.trimStart().length, text: t.trim(), no: i + 1 });
  });
  let pos = 0;
  const block = (indent: number): Yaml => {
    const first = lines[pos]!;
    if (first.text.startsWith('- ') || first.text === '-') {
      const list: Yaml[] = [];
      while (pos < lines.length && lines[pos]!.indent === indent && (lines[pos]!.text.startsWith('- ') || lines[pos]!.text === '-')) {
        const l = lines[pos]!;
        const v = l.text.slice(1).trim();
        if (v === '' || /^[^"'[]*:(\s|$)/.test(v)) throw new PolicyError(`line ${l.no}: only scalar list items are supported`);
        list.push(scalarOrFlow(v, l.no));
        pos++;
      }
      return list;
    }
    const map: { [k: string]: Yaml } = {};
    while (pos < lines.length && lines[pos]!.indent === indent) {
      const l = lines[pos]!;
      const m = /^("[^"]*"|'[^']*'|[^:]+?)\s*:(?:\s+(.*))?$/.exec(l.text);
      if (!m) throw new PolicyError(`line ${l.no}: expected "key: value"`);
      const key = unquote(m[1]!, l.no);
      if (Object.hasOwn(map, key)) throw new PolicyError(`line ${l.no}: duplicate key "${key}"`);
      pos++;
      if (m[2] !== undefined && m[2] !== '') map[key] = scalarOrFlow(m[2], l.no);
      else if (pos < lines.length && lines[pos]!.indent > indent) map[key] = block(lines[pos]!.indent);
      else if (pos < lines.length && lines[pos]!.indent === indent && lines[pos]!.text.startsWith('-')) map[key] = block(indent);
      else map[key] = '';
    }
    return map;
  };
  if (lines.length === 0) return {};
  const root = block(lines[0]!.indent);
  if (pos < lines.length) throw new PolicyError(`line ${lines[pos]!.no}: unexpected indentation`);
  return root;
}

function stringList(v: unknown, where: string): string[] {
  if (v === undefined || v === null || v === '') return [];
  const arr = Array.isArray(v) ? v : [v];
  return arr.map((x) => {
    if (typeof x !== 'string' || x.trim() === '') throw new PolicyError(`${where} must be a list of strings`);
    return x.trim();
  });
}

const OFF = new Set(['off', 'false', 'disable', 'disabled', 'no']);

/**
 * Parse a policy from JSON (text starting with "{") or the YAML subset. `knownRuleIds`, when
 * given, rejects overrides and disables of rules that do not exist (typos).
 */
export function parsePolicy(text: string, knownRuleIds?: readonly string[]): Policy {
  let doc: unknown;
  if (text.trimStart().startsWith('{')) {
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new PolicyError(`bad JSON: ${(e as Error).message.split('\n')[0]}`);
    }
  } else {
    doc = parseYamlSubset(text);
  }
  if (doc === '' ) doc = {};
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new PolicyError('the top level must be a mapping');
  const root = doc as Record<string, unknown>;
  for (const k of Object.keys(root)) {
    if (!['allow', 'rules', 'disable', 'overrides'].includes(k)) throw new PolicyError(`unknown top-level key "${k}" (allow, rules, disable)`);
  }
  const p = emptyPolicy();
  const allow = root.allow ?? {};
  if (typeof allow !== 'object' || allow === null || Array.isArray(allow)) {
    if (allow !== '') throw new PolicyError('"allow" must be a mapping');
  } else {
    const a = allow as Record<string, unknown>;
    for (const k of Object.keys(a)) {
      if (!['servers', 'sni', 'cert_sha256', 'fingerprints'].includes(k)) {
        throw new PolicyError(`unknown allow list "${k}" (servers, sni, cert_sha256, fingerprints)`);
      }
    }
    p.allow.servers = stringList(a.servers, 'allow.servers').map(parseCidr);
    p.allow.sni = stringList(a.sni, 'allow.sni').map((s) => s.toLowerCase());
    p.allow.certSha256 = stringList(a.cert_sha256, 'allow.cert_sha256').map((h) => {
      const v = h.replace(/:/g, '').toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(v)) throw new PolicyError(`allow.cert_sha256: "${h}" is not a SHA-256 hex digest`);
      return v;
    });
    p.allow.fingerprints = stringList(a.fingerprints, 'allow.fingerprints').map((f) => f.toLowerCase());
  }
  const check = (id: string, where: string): void => {
    if (knownRuleIds && !knownRuleIds.includes(id)) throw new PolicyError(`${where}: unknown rule "${id}"`);
  };
  for (const key of ['rules', 'overrides'] as const) {
    const rules = root[key];
    if (rules === undefined || rules === '') continue;
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) throw new PolicyError(`"${key}" must be a mapping of rule id to severity or off`);
    for (const [id, v] of Object.entries(rules as Record<string, unknown>)) {
      check(id, key);
      const val = typeof v === 'boolean' ? (v ? 'on' : 'off') : v;
      if (typeof val !== 'string') throw new PolicyError(`${key}.${id} must be a severity or off`);
      const s = val.trim().toLowerCase();
      if (OFF.has(s)) p.disabled.add(id);
      else if (isSeverity(s)) p.overrides.set(id, s);
      else if (s !== 'on' && s !== 'true') throw new PolicyError(`${key}.${id}: "${val}" is not one of ${SEVERITIES.join(', ')}, off`);
    }
  }
  for (const id of stringList(root.disable, 'disable')) {
    check(id, 'disable');
    p.disabled.add(id);
  }
  return p;
}
