/**
 * The HTML report in a real browser: Debian's chromium (/usr/bin/chromium, installed by .ci/run
 * with apt-get) driven by playwright-core. This test installs nothing; without chromium it skips.
 * Sessions of fixtures/loopback-clients.pcap plus synthetic hostile sessions and findings.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/model/session.js';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { isFlagged } from '../../src/classify/severity.js';
import { renderReport } from '../../src/report/render.js';
import { certificate, finding, HOSTILE_SNI, HOSTILE_SUBJECT, session } from '../unit/report/sessions.js';

const CHROMIUM = '/usr/bin/chromium';
const root = join(import.meta.dirname, '../..');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`browser test skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium; .ci/run does)`);
}

const title = hasChromium ? 'HTML report in chromium' : `HTML report in chromium: SKIPPED, ${CHROMIUM} is missing (apt-get install -y chromium)`;

describe.skipIf(!hasChromium)(title, () => {
  let file: string;
  let screenshot: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];
  let sessions: SessionRecord[];
  let flaggedCount = 0;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls443-html-'));
    file = join(dir, 'report.html');
    screenshot = join(dir, 'report.png');
    const result = await analyzeCapture(join(root, 'fixtures/loopback-clients.pcap'), { ports: new Set([443]), allPorts: false });
    // A clean base (the classifier's own findings removed), then synthetic findings of
    // several severities on real sessions.
    sessions = result.sessions.map((s) => ({ ...structuredClone(s), findings: [], score: 0, verdict: 'ok' as const }));
    // Synthetic findings of several severities on real sessions.
    const add = (i: number, findings: ReturnType<typeof finding>[], score: number, verdict: SessionRecord['verdict']) => {
      const s = sessions[i]!;
      s.findings = findings;
      s.score = score;
      s.verdict = verdict;
    };
    add(0, [finding('known_bad_ja3', 'critical', { ja3: sessions[0]!.tls?.ja3 ?? null, list: 'test-intel' })], 95, 'malicious');
    add(1, [finding('expired_certificate', 'high', { not_after: '2020-01-01' })], 70, 'malicious');
    add(2, [finding('self_signed', 'medium')], 40, 'suspicious');
    add(3, [finding('rare_alpn', 'low', { alpn: 'h2' })], 15, 'suspicious');
    add(4, [finding('new_ja4', 'info')], 5, 'ok');
    // Hostile strings straight from a "capture".
    const last = Date.parse(sessions[sessions.length - 1]!.end);
    const at = (ms: number) => new Date(last + ms).toISOString().replace('Z', '000Z');
    sessions.push(
      session(90, { start: at(100), end: at(400), findings: [finding('sni_mismatch', 'high', { sni: HOSTILE_SNI })], score: 75, verdict: 'malicious' }, { sni: HOSTILE_SNI, sni_matches_cert: false }),
      session(91, { start: at(200), end: at(600), findings: [finding('self_signed', 'critical', { subject: HOSTILE_SUBJECT })], score: 90, verdict: 'malicious' }, {
        certificates: [certificate({ subject: HOSTILE_SUBJECT, issuer: HOSTILE_SUBJECT, self_signed: true, facts: ['self_signed'] })],
        chain_valid: false,
        chain_error: 'self_signed',
      }),
    );
    flaggedCount = sessions.filter(isFlagged).length;
    writeFileSync(file, renderReport('html', sessions, { title: 'Review: loopback-clients.pcap', generatedFrom: 'fixtures/loopback-clients.pcap', runs: [{ id: 1, file: 'loopback-clients.pcap', status: 'complete' }] }));

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(pathToFileURL(file).href);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the summary cards', async () => {
    expect(await page.locator('#card-sessions .n').textContent()).toBe(String(sessions.length));
    expect(await page.locator('#card-flagged .n').textContent()).toBe(String(flaggedCount));
    expect(await page.locator('#card-critical .n').textContent()).toBe('2');
    expect(await page.locator('#card-high .n').textContent()).toBe('2');
    expect(await page.locator('#card-medium .n').textContent()).toBe('1');
    // Top rules count flagged sessions only; the info-only one is context, not flagged.
    expect(await page.locator('#card-rules li').count()).toBe(5);
    expect(await page.locator('#card-rules li').first().textContent()).toMatch(/^self_signed 2$/);
  });

  it('draws one timeline bar per session', async () => {
    expect(await page.locator('svg#timeline rect.session').count()).toBe(sessions.length);
    expect(await page.locator('svg#timeline a rect.session').count()).toBe(flaggedCount);
    const box = await page.locator('svg#timeline').boundingBox();
    expect(box!.width).toBeGreaterThan(500);
  });

  it('lists the flagged sessions most severe first, sorts by clicking a header', async () => {
    const rows = page.locator('#sessions tbody tr');
    expect(await rows.count()).toBe(flaggedCount);
    const severities = async () => page.locator('#sessions tbody tr:visible td:first-child').allTextContents();
    expect(await severities()).toEqual(['critical', 'critical', 'high', 'high', 'medium', 'low']);
    await page.locator('#sessions th[data-key="sev"] button').click();
    expect(await severities()).toEqual(['low', 'medium', 'high', 'high', 'critical', 'critical']);
    expect(await page.locator('#sessions th[data-key="sev"]').getAttribute('aria-sort')).toBe('ascending');
    await page.locator('#sessions th[data-key="score"] button').click();
    const scores = (await page.locator('#sessions tbody tr td:nth-child(2)').allTextContents()).map(Number);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    await page.locator('#sessions th[data-key="score"] button').click();
    const down = (await page.locator('#sessions tbody tr td:nth-child(2)').allTextContents()).map(Number);
    expect(down).toEqual([...down].sort((a, b) => b - a));
  });

  it('filters the table by typing and by severity', async () => {
    await page.locator('#filter').fill('pwned=1');
    expect(await page.locator('#sessions tbody tr:visible').count()).toBe(1);
    expect(await page.locator('#sessions tbody tr:visible td.sni').textContent()).toBe(HOSTILE_SNI);
    expect(await page.locator('#shown').textContent()).toBe('1 shown');
    await page.locator('#filter').fill('');
    await page.locator('#severity-filter').selectOption('high');
    expect(await page.locator('#sessions tbody tr:visible').count()).toBe(4);
    await page.locator('#severity-filter').selectOption('');
    expect(await page.locator('#sessions tbody tr:visible').count()).toBe(flaggedCount);
  });

  it('shows hostile capture strings as text and runs none of them', async () => {
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('body script').count()).toBe(2);
    await expect.poll(() => page.getByText(HOSTILE_SNI, { exact: true }).first().isVisible()).toBe(true);
    // The hostile certificate subject, in its (opened) details.
    const details = page.locator(`details#s-${sessions[sessions.length - 1]!.session_id}`);
    await details.locator('summary').click();
    const subject = details.locator('dd', { hasText: 'onerror' }).first();
    expect(await subject.textContent()).toBe(HOSTILE_SUBJECT);
    expect(await subject.isVisible()).toBe(true);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
  });

  it('opens the details of a session from the table link', async () => {
    const link = page.locator('#sessions tbody tr').first().locator('a.more');
    const href = (await link.getAttribute('href'))!;
    await link.click();
    expect(href).toMatch(/^#s-/);
    await expect.poll(() => page.evaluate(`document.getElementById(${JSON.stringify(href.slice(1))})?.open`)).toBe(true);
  });

  it('made no request beyond the file itself, logged no error, and looks right', async () => {
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`screenshot: ${screenshot}`);
    expect(existsSync(screenshot)).toBe(true);
    expect(requests.length).toBeGreaterThan(0);
    for (const u of requests) expect(u).toMatch(/^(file|data):/);
    expect(errors).toEqual([]);
  });
});
