// Exact HTTP/1.1 requests over a socket to 127.0.0.1 (no URL normalisation), for the probes.
import net from 'node:net';

/** `localAddress` (another 127.x.y.z) makes the request come from a different client address.
 *  Sends `head` (request line + headers, no trailing blank line) and an optional body; resolves
 *  {status, headers (lower-case names), body (string), raw}. Bounded by `timeoutMs`. */
export function rawRequest(base, requestLine, headers = {}, body = '', timeoutMs = 10_000, localAddress = undefined) {
  const { hostname, port } = new URL(base);
  if (hostname !== '127.0.0.1') throw new Error(`loopback only: ${base}`);
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port: Number(port), localAddress });
    const chunks = [];
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`timeout: ${requestLine}`)); }, timeoutMs);
    sock.on('connect', () => {
      const h = { Host: `127.0.0.1:${port}`, Connection: 'close', ...headers };
      if (body) h['Content-Length'] = Buffer.byteLength(body);
      const text = `${requestLine}\r\n${Object.entries(h).filter(([, v]) => v != null).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`;
      sock.write(text);
    });
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = raw.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const status = Number(lines[0]?.split(' ')[1] ?? 0);
      const hdrs = {};
      for (const l of lines.slice(1)) { const i = l.indexOf(':'); if (i > 0) hdrs[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim(); }
      let b = rest.join('\r\n\r\n');
      if (/chunked/i.test(hdrs['transfer-encoding'] ?? '')) b = unchunk(b);
      resolve({ status, headers: hdrs, body: Buffer.from(b, 'latin1').toString('utf8'), raw });
    });
  });
}

function unchunk(s) {
  let out = '', i = 0;
  while (i < s.length) {
    const j = s.indexOf('\r\n', i);
    if (j < 0) break;
    const n = parseInt(s.slice(i, j), 16);
    if (!n) break;
    out += s.slice(j + 2, j + 2 + n);
    i = j + 2 + n + 2;
  }
  return out;
}
