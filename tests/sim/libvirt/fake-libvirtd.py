#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A TEST DOUBLE of libvirtd: a hostile one.  It speaks just enough of libvirt's RPC
# (remote program 0x20008086: AUTH_LIST, CONNECT_OPEN, the lookups, GET_STATE,
# GET_INFO, CONNECT_CLOSE) on a UNIX socket to answer the agent's look, and in
# MODE answers wrong: silent, garbage, cut, oversized, a bare error code, a close
# that never returns ...  For tests/agents/virtualdomain-wire.sh only.
# Usage: fake-libvirtd.py SOCKET MODE   (FAKE_STATE, FAKE_NAME: what "ok" answers)
import socket, struct, sys, os, threading, time
sock, mode = sys.argv[1], sys.argv[2]
PROG = 0x20008086
try: os.unlink(sock)
except FileNotFoundError: pass
s = socket.socket(socket.AF_UNIX); s.bind(sock); s.listen(16)
log = open(os.devnull, 'a')
def recvn(c, n):
    b = b''
    while len(b) < n:
        k = c.recv(n - len(b))
        if not k: raise EOFError
        b += k
    return b
def xstr(v):
    v = v.encode() if isinstance(v, str) else v
    return struct.pack('>I', len(v)) + v + b'\0' * ((4 - len(v) % 4) % 4)
def reply(c, proc, serial, body, status=0, prog=PROG, typ=1, rproc=None):
    hdr = struct.pack('>IIIIII', prog, 1, proc if rproc is None else rproc, typ, serial, status)
    c.sendall(struct.pack('>I', 4 + len(hdr) + len(body)) + hdr + body)
def err(code, msg='fake error'):
    return struct.pack('>II', code, 10) + struct.pack('>I', 1) + xstr(msg) + struct.pack('>IIIII', 2, 0, 0, 0, 0) + struct.pack('>IIII', 0,0,0,0)
conn_no = [0]
def handle(c, n):
    opened = 0
    try:
        while True:
            ln, = struct.unpack('>I', recvn(c, 4))
            m = recvn(c, ln - 4)
            prog, vers, proc, typ, serial, status = struct.unpack('>IIIIII', m[:24])
            body = m[24:]
            log.write(f'conn{n} prog={prog:#x} proc={proc} serial={serial} len={ln}\n'); log.flush()
            if prog != PROG:
                # keepalive etc: ignore
                continue
            if mode == 'silent': continue
            if mode == 'garbage': c.sendall(os.urandom(4096)); continue
            if mode == 'shortlen': c.sendall(struct.pack('>I', 8) + b'\0'*8); continue
            if mode == 'hugelen': c.sendall(struct.pack('>I', 0xffffffff) + b'\0'*64); continue
            if mode == 'trunc': c.sendall(struct.pack('>I', 1000) + b'\0'*100); c.close(); return
            if mode == 'flood':
                while True: reply(c, proc, serial + 1000, b'\0'*8)
            if mode == 'badstatus': reply(c, proc, serial, b'', status=7); continue
            if proc == 66:  # AUTH_LIST
                if mode == 'authhuge': reply(c, proc, serial, struct.pack('>I', 0xffffffff)); continue
                reply(c, proc, serial, struct.pack('>II', 1, 0)); continue
            if proc == 1:  # CONNECT_OPEN
                opened += 1
                if mode.startswith('handover') and n == 1:
                    reply(c, proc, serial, err(38, 'nope'), status=1); continue
                reply(c, proc, serial, b''); continue
            if proc in (23, 24):  # LOOKUP
                if mode == 'lookuphuge': reply(c, proc, serial, struct.pack('>I', 0x7fffffff) + b'A'*64); continue
                if mode == 'lookuptrunc': reply(c, proc, serial, xstr('rvA')[:6]); continue
                if mode == 'lookupbig': reply(c, proc, serial, xstr('B'*5000) + b'\x11'*16 + struct.pack('>i', 3)); continue
                if mode == 'errtrunc': reply(c, proc, serial, struct.pack('>I', 42), status=1); continue
                if mode == 'errhugemsg': reply(c, proc, serial, struct.pack('>III', 1, 10, 1) + struct.pack('>I', 0x40000000) + b'x'*32, status=1); continue
                if proc == 24:
                    u = body[:16]; nm = os.environ.get('FAKE_NAME', 'rvA')
                else:
                    nm = body[4:4+struct.unpack('>I', body[:4])[0]].decode(); u = b'\x11'*16
                reply(c, proc, serial, xstr(nm) + u + struct.pack('>i', 3)); continue
            if proc == 212:  # GET_STATE
                if mode == 'statetrunc': reply(c, proc, serial, b'\0\0'); continue
                if mode == 'stateweird': reply(c, proc, serial, struct.pack('>ii', 99, 0)); continue
                if mode == 'statenostate': reply(c, proc, serial, struct.pack('>ii', 0, 0)); continue
                reply(c, proc, serial, struct.pack('>ii', int(os.environ.get('FAKE_STATE', '1')), 1)); continue
            if proc == 16:  # GET_INFO
                if mode == 'infotrunc': reply(c, proc, serial, b'\0'*6); continue
                reply(c, proc, serial, struct.pack('>IQQIQ', 1, 1048576, 1048576, 2, 0)); continue
            if proc == 2:  # CLOSE
                if mode.endswith('closehang'): continue
                reply(c, proc, serial, b''); continue
            # anything else: a handful of zero words
            reply(c, proc, serial, b'\0' * 32)
    except (EOFError, ConnectionResetError, BrokenPipeError, OSError):
        pass
    finally:
        try: c.close()
        except: pass
while True:
    c, _ = s.accept(); conn_no[0] += 1
    threading.Thread(target=handle, args=(c, conn_no[0]), daemon=True).start()
