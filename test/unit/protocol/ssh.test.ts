import { describe, expect, it } from 'vitest';
import { detectProtocol } from '../../../src/protocol/detect.js';
import { sniffSsh } from '../../../src/protocol/ssh.js';
import { EMPTY, text } from './bytes.js';

describe('SSH sniffing', () => {
  it('SSH-2.0 banner from the client', () => {
    expect(sniffSsh(text('SSH-2.0-OpenSSH_9.6\r\n'), EMPTY)).toBe('client');
    expect(detectProtocol('tcp', text('SSH-2.0-PuTTY_Release_0.80\r\n'), text('SSH-2.0-OpenSSH_8.9\r\n'))).toBe('ssh');
  });

  it('SSH-1.99 banner from the server, also after other lines', () => {
    expect(sniffSsh(EMPTY, text('SSH-1.99-Cisco-1.25\r\n'))).toBe('server');
    expect(sniffSsh(EMPTY, text('Welcome\r\nauthorised use only\r\nSSH-2.0-dropbear\r\n'))).toBe('server');
    expect(detectProtocol('tcp', EMPTY, text('SSH-2.0-OpenSSH_8.9\r\n'))).toBe('ssh');
  });

  it('not SSH: version 1.5 only, or a banner inside a client line', () => {
    expect(sniffSsh(text('SSH-1.5-old\r\n'), EMPTY)).toBeNull();
    expect(sniffSsh(text('hello SSH-2.0-x\r\n'), EMPTY)).toBeNull();
    expect(sniffSsh(text('xSSH-2.0-x'), text('banner SSH-2.0-x'))).toBeNull();
  });
});
