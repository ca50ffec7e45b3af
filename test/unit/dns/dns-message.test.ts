import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMalformed, parseDnsMessage, readName, resolution, tcpDnsPayload, type DnsMessage } from '../../../src/dns/dns-message.js';
import { DnsLog } from '../../../src/dns/dns-log.js';
import { aResponse, header, name, ptr, question, rr, u16 } from './dns-bytes.js';

function ok(bytes: Uint8Array | number[]): DnsMessage {
  const m = parseDnsMessage(Uint8Array.from(bytes));
  if (isMalformed(m)) throw new Error(`malformed: ${m.malformed}`);
  return m;
}

describe('parseDnsMessage', () => {
  it('reads an A answer whose owner is a compression pointer to the question', () => {
    const m = ok(aResponse('Example.TEST', ['10.0.0.2', '10.0.0.9']));
    expect(m.response).toBe(true);
    expect(m.questions).toEqual(['example.test']);
    expect(m.answers.map((a) => [a.name, a.address])).toEqual([['example.test', '10.0.0.2'], ['example.test', '10.0.0.9']]);
    expect(resolution(m)).toEqual({ query: 'example.test', chain: ['example.test'], addresses: ['10.0.0.2', '10.0.0.9'] });
  });

  it('follows a CNAME chain written with pointers into earlier names (suffix compression)', () => {
    // www.example.test -> cdn.provider.test (label "cdn" + pointer to "provider.test") -> edge.provider.test -> A
    const q = question('www.example.test');
    const base = [...header({ an: 3 }), ...q];
    const cname1Rdata = [3, ...Buffer.from('cdn'), 8, ...Buffer.from('provider'), 4, ...Buffer.from('test'), 0];
    const rr1 = rr(ptr(12), 5, cname1Rdata);
    const cdnOffset = base.length + 2 + 10; // owner pointer (2) + fixed fields (10)
    const providerOffset = cdnOffset + 4;
    const rr2 = rr(ptr(cdnOffset), 5, [4, ...Buffer.from('edge'), ...ptr(providerOffset)]);
    const edgeOffset = base.length + rr1.length + 2 + 10;
    const rr3 = rr(ptr(edgeOffset), 1, [192, 0, 2, 7]);
    const m = ok([...base, ...rr1, ...rr2, ...rr3]);
    expect(m.answers.map((a) => [a.name, a.target ?? a.address])).toEqual([
      ['www.example.test', 'cdn.provider.test'],
      ['cdn.provider.test', 'edge.provider.test'],
      ['edge.provider.test', '192.0.2.7'],
    ]);
    expect(resolution(m)).toEqual({ query: 'www.example.test', chain: ['www.example.test', 'cdn.provider.test', 'edge.provider.test'], addresses: ['192.0.2.7'] });
  });

  it('reads AAAA answers as session records format IPv6', () => {
    const v6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const m = ok([...header({ an: 1 }), ...question('v6.test', 28), ...rr(ptr(12), 28, v6)]);
    expect(m.answers[0]).toMatchObject({ name: 'v6.test', type: 28, address: '2001:db8::1' });
  });

  it('skips other types and classes, keeps counting', () => {
    const txt = rr(ptr(12), 16, [3, 0x61, 0x62, 0x63]);
    const m = ok([...header({ an: 2 }), ...question('t.test'), ...txt, ...rr(ptr(12), 1, [1, 2, 3, 4])]);
    expect(m.skippedAnswers).toBe(1);
    expect(m.answers).toHaveLength(1);
  });

  it('stops a pointer loop at the jump cap', () => {
    // question name at 12 is a pointer to itself
    expect(readName(Uint8Array.from([...header(), ...ptr(12)]), 12)).toBe('name_pointer_loop');
    const m = parseDnsMessage(Uint8Array.from([...header({ an: 0 }), ...ptr(14), ...ptr(12), 0, 1, 0, 1]));
    expect(m).toEqual({ malformed: 'question_name_pointer_loop' });
  });

  it('rejects reserved label types, over-long names, bad address lengths', () => {
    expect(parseDnsMessage(Uint8Array.from([...header(), 0x40, 0, 0, 1, 0, 1]))).toEqual({ malformed: 'question_name_reserved_label_type' });
    const long = Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.');
    expect(parseDnsMessage(Uint8Array.from([...header(), ...name(long), 0, 1, 0, 1]))).toEqual({ malformed: 'question_name_too_long' });
    expect(parseDnsMessage(Uint8Array.from([...header({ an: 1 }), ...question('x.test'), ...rr(ptr(12), 1, [1, 2, 3])]))).toEqual({ malformed: 'address_length' });
  });

  it('returns malformed for every truncation of a valid response, never throws', () => {
    const full = aResponse('www.example.test', ['10.0.0.2']);
    for (let n = 0; n < full.length; n++) {
      const r = parseDnsMessage(full.subarray(0, n));
      expect(isMalformed(r)).toBe(true);
    }
    expect(isMalformed(parseDnsMessage(full))).toBe(false);
  });

  it('unwraps a TCP message with its 2-byte length only when it is whole', () => {
    const msg = aResponse('t.test', ['10.1.1.1']);
    const framed = Uint8Array.from([...u16(msg.length), ...msg]);
    expect(tcpDnsPayload(framed)).toEqual(msg);
    expect(tcpDnsPayload(framed.subarray(0, framed.length - 1))).toBeNull();
  });

  it('never throws on random bytes, nor on random bytes after a valid header (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const r = parseDnsMessage(bytes);
        expect(typeof r).toBe('object');
        const r2 = parseDnsMessage(Uint8Array.from([...header({ qd: 2, an: 5 }), ...bytes]));
        expect(typeof r2).toBe('object');
        const log = new DnsLog();
        log.udp(0, bytes);
        log.tcp(0, bytes);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('DnsLog', () => {
  it('resolves through CNAMEs across messages and maps addresses back to names', () => {
    const log = new DnsLog();
    const cname = [...header({ an: 1 }), ...question('a.test'), ...rr(ptr(12), 5, name('b.test'))];
    log.udp(5_000_000, Uint8Array.from(cname));
    log.udp(6_000_000, aResponse('b.test', ['10.0.0.5']));
    expect([...log.addressesOf('A.test')]).toEqual(['10.0.0.5']);
    expect(log.chainOf('a.test')).toEqual(['a.test', 'b.test']);
    expect([...log.namesOf('10.0.0.5')]).toEqual(['b.test']);
    expect(log.firstAnswerUs).toBe(6_000_000);
    expect(log.answerCount).toBe(1);
  });

  it('ignores queries, error responses and malformed payloads', () => {
    const log = new DnsLog();
    const query = aResponse('q.test', ['10.0.0.1']);
    query[2] = 0x01; // QR = 0
    log.udp(0, query);
    const nx = aResponse('nx.test', ['10.0.0.1']);
    nx[3] = 0x83; // NXDOMAIN
    log.udp(0, nx);
    log.udp(0, Uint8Array.from([1, 2, 3]));
    expect(log.answerCount).toBe(0);
    expect(log.malformed).toBe(1);
  });

  it('a CNAME loop across messages ends', () => {
    const log = new DnsLog();
    log.udp(0, Uint8Array.from([...header({ an: 1 }), ...question('x.test'), ...rr(ptr(12), 5, name('y.test'))]));
    log.udp(0, Uint8Array.from([...header({ an: 1 }), ...question('y.test'), ...rr(ptr(12), 5, name('x.test'))]));
    expect(log.chainOf('x.test')).toEqual(['x.test', 'y.test']);
    expect(log.addressesOf('x.test').size).toBe(0);
  });
});
