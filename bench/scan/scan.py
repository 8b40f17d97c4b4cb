#!/usr/bin/env python3
"""Write a capture of a registration scan, for memory and time checks of
sipdiag on scans (bench/README.md): N one-shot REGISTERs, each answered by a
401 with a digest challenge and never retried, one every millisecond.

usage: scan.py N KIND OUT.pcap
  KIND ext : one source, N accounts (an extension scan, SIPVicious svwar style)
       src : N sources, one account
       both: N sources and N accounts, each pair once
"""
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return (~s) & 0xffff


def frame(payload, src, dst):
    u = struct.pack('!HHHH', 5060, 5060, 8 + len(payload), 0) + payload
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(u), 1, 0, 64, 17, 0, bytes(src), bytes(dst))
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return b'\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00' + h + u


def register(i, user, ip):
    return ('REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bKs%d\r\n'
            'From: <sip:%s@example.com>;tag=f%d\r\nTo: <sip:%s@example.com>\r\nCall-ID: scan%d@%s\r\n'
            'CSeq: 1 REGISTER\r\nContact: <sip:%s@%s>\r\nMax-Forwards: 70\r\nExpires: 3600\r\n'
            'Content-Length: 0\r\n\r\n' % (ip, i, user, i, user, i, ip, user, ip)).encode()


def challenge(i, user, ip):
    return ('SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bKs%d\r\n'
            'From: <sip:%s@example.com>;tag=f%d\r\nTo: <sip:%s@example.com>;tag=r%d\r\n'
            'Call-ID: scan%d@%s\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest realm="example.com", '
            'nonce="%032x", algorithm=MD5, qop="auth"\r\nContent-Length: 0\r\n\r\n'
            % (ip, i, user, i, user, i, i, ip, i)).encode()


def main():
    n, kind, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    if kind not in ('ext', 'src', 'both'):
        sys.exit(__doc__)
    registrar = [10, 0, 0, 2]
    t0 = 1700000000.0
    with open(out, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i in range(n):
            ua = [11, (i >> 16) & 255, (i >> 8) & 255, i & 255] if kind != 'ext' else [11, 0, 0, 1]
            ip = '.'.join(map(str, ua))
            user = 'ext%d' % i if kind != 'src' else 'alice'
            t = t0 + i * 0.001
            for ts, d in ((t, frame(register(i, user, ip), ua, registrar)),
                          (t + 0.0005, frame(challenge(i, user, ip), registrar, ua))):
                sec = int(ts)
                f.write(struct.pack('<IIII', sec, int((ts - sec) * 1e6), len(d), len(d)))
                f.write(d)


if __name__ == '__main__':
    main()
