// The photo benchmark's workload (tests/src/photo_bench.rs) for PouchDB, the peer to beat: a week offline
// (5,000 writes: reports, 20 % of the writes "resolved" updates; 200 JPEG photos attached to report
// docs) replicated one-shot from an in-memory PouchDB to express-pouchdb through torgkoll-proxy
// (1 Mbit/s each way, 300 ms round trips, the same link model as ours).
//
// Measures (a) when every doc without a photo is on the server at its final revision (from the
// replication's `change` events, emitted as soon as a _bulk_docs answer is back) and (b) when the
// replication is complete with all attachments; bytes and requests as the server counts them at its
// sockets (server.js), and the proxy's own totals as a cross-check.
//
// Run from a copy of ../shared/peers/pouchdb with its node_modules (see its README):
//   PEER_DIR=/tmp/x/pouchdb PHOTOS_DIR=/tmp/photos node tests/pouchdb/photos.js
// Env: PEER_DIR (default: the working directory), PHOTOS_DIR (JPEGs from torgkoll-photos-out; random
// bytes of photo-like sizes without it), TORGKOLL_PROXY_BIN, OPS (5000), PHOTOS (200), BATCH (100,
// PouchDB's default batch_size), ATTACH (report: the photo is in the report doc from its first write,
// as when taken while reporting; end: attached to the docs after the week, which moves them to the end
// of the changes feed), LATENCY_MS (300), BITS_PER_S (1000000), CUT_AFTER (bytes; the proxy cuts the
// connection each time so many bytes passed, and the replication is started again, as an app would),
// KEEPALIVE (1: reuse connections as a browser would; 0: node-fetch's default, a connection per
// request), SEED (7), PORT (5995), RESULTS_FILE.
'use strict';
const { fork, spawn } = require('child_process');
const { createRequire } = require('module');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');

const env = (k, d) => (process.env[k] === undefined || process.env[k] === '' ? d : process.env[k]);
const PEER_DIR = path.resolve(env('PEER_DIR', process.cwd()));
const peerRequire = createRequire(path.join(PEER_DIR, 'package.json'));
const PouchDB = peerRequire('pouchdb-core')
  .plugin(peerRequire('pouchdb-adapter-memory'))
  .plugin(peerRequire('pouchdb-adapter-http'))
  .plugin(peerRequire('pouchdb-replication'));

const OPS = Number(env('OPS', 5000));
const PHOTOS = Number(env('PHOTOS', 200));
const BATCH = Number(env('BATCH', 100));
const ATTACH = env('ATTACH', 'report');
const LATENCY_MS = Number(env('LATENCY_MS', 300));
const BITS_PER_S = Number(env('BITS_PER_S', 1000000));
const CUT_AFTER = env('CUT_AFTER', '');
const SEED = Number(env('SEED', 7));
const PORT = Number(env('PORT', 5995));
const PROXY_BIN = env('TORGKOLL_PROXY_BIN', '/work/tgt-main/release/torgkoll-proxy');
const PHOTOS_DIR = env('PHOTOS_DIR', '');
const KEEPALIVE = env('KEEPALIVE', '1') !== '0';
const MAX_ATTEMPTS = 50;

// Deterministic PRNG (mulberry32) and reports like the peer's bench.js, over the past week.
function rng(seed) { return () => { seed |= 0; seed = (seed + 0x6D2B79F5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }
function uuid(r) { const h = [...Array(32)].map(() => Math.floor(r() * 16).toString(16)); h[12] = '4'; h[16] = '89ab'[Math.floor(r() * 4)]; const s = h.join(''); return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`; }
const KINDS = ['litter', 'graffiti', 'pothole', 'overflowing_bin', 'broken_light', 'illegal_dump'];
const WORDS = 'near corner bench bus stop park entrance behind school large small bags glass plastic wet leaves blocked'.split(' ');
function report(r, ts) {
  const d = {
    _id: uuid(r), kind: KINDS[Math.floor(r() * KINDS.length)],
    lat: +(59.30 + r() * 0.1).toFixed(6), lon: +(18.00 + r() * 0.2).toFixed(6),
    ts: new Date(ts).toISOString(), author: 'plock', status: 'open',
    severity: 1 + Math.floor(r() * 5), zone: `Z${Math.floor(r() * 40)}`,
  };
  if (r() < 0.6) { let s = ''; while (s.length < 45) s += WORDS[Math.floor(r() * WORDS.length)] + ' '; d.note = s.trim().slice(0, 50); }
  return d;
}

function loadPhotos(n, r) {
  if (PHOTOS_DIR) {
    const files = fs.readdirSync(PHOTOS_DIR).filter((f) => f.endsWith('.jpg')).sort();
    if (files.length < n) throw new Error(`${PHOTOS_DIR} has ${files.length} photos, ${n} wanted`);
    return files.slice(0, n).map((f) => fs.readFileSync(path.join(PHOTOS_DIR, f)));
  }
  console.error('no PHOTOS_DIR: random bytes of 120-250 KB stand in for the photos');
  return Array.from({ length: n }, () => crypto.randomBytes(120000 + Math.floor(r() * 130000)));
}

// The week on the phone: returns the local db, every doc's final revision and the ids with photos.
async function recordWeek(db) {
  const r = rng(SEED);
  const now = Date.now(), WEEK = 7 * 86400e3;
  const plan = [], reports = [];
  for (let i = 0; i < OPS; i++) {
    const ts = now - WEEK + Math.floor((WEEK * i) / OPS);
    if (reports.length && r() < 0.2) plan.push({ resolve: reports[Math.floor(r() * reports.length)], ts });
    else { const d = report(r, ts); reports.push(d._id); plan.push({ doc: d }); }
  }
  const photos = loadPhotos(PHOTOS, r);
  const owners = photos.map(() => reports[Math.floor(r() * reports.length)]);
  const photosOf = new Map();
  owners.forEach((id, k) => photosOf.set(id, [...(photosOf.get(id) || []), k]));
  const attachment = (k) => ({ content_type: 'image/jpeg', data: photos[k] });
  for (const op of plan) {
    if (op.doc) {
      const d = op.doc;
      if (ATTACH === 'report' && photosOf.has(d._id)) {
        d._attachments = Object.fromEntries(photosOf.get(d._id).map((k) => [`photo-${k}.jpg`, attachment(k)]));
      }
      await db.put(d);
    } else {
      const d = await db.get(op.resolve);
      await db.put({ ...d, status: 'resolved', resolved_at: new Date(op.ts).toISOString() });
    }
  }
  if (ATTACH === 'end') {
    for (const [k, id] of owners.entries()) {
      const { _rev } = await db.get(id);
      await db.putAttachment(id, `photo-${k}.jpg`, _rev, photos[k], 'image/jpeg');
    }
  }
  const finalRev = new Map((await db.allDocs()).rows.map((x) => [x.id, x.value.rev]));
  return { finalRev, withPhoto: new Set(owners), photoBytes: photos.reduce((a, p) => a + p.length, 0), reports: reports.length };
}

let server; const pending = [];
const ipc = (cmd) => new Promise((res) => { pending.push(res); server.send({ cmd }); });

function startProxy() {
  const args = ['--upstream', `127.0.0.1:${PORT}`, '--latency-ms', String(LATENCY_MS), '--bits-per-s', String(BITS_PER_S)];
  if (CUT_AFTER) args.push('--cut-after', CUT_AFTER);
  const child = spawn(PROXY_BIN, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (l) => waiting.length && waiting.shift()(l));
  const next = () => new Promise((res) => waiting.push(res));
  const parse = (l) => Object.fromEntries(l.split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
  return next().then((url) => ({
    url,
    stats: () => { const p = next(); child.stdin.write('\n'); return p.then(parse); },
    stop: () => { const p = next(); child.stdin.end(); return p.then(parse); },
  }));
}

(async () => {
  server = fork(path.join(PEER_DIR, 'server.js'), [], { env: { ...process.env, PORT: String(PORT) } });
  await new Promise((res, rej) => {
    server.on('message', (m) => (m.type === 'ready' ? res() : pending.shift()(m)));
    server.on('error', rej);
  });
  const proxy = await startProxy();

  const local = new PouchDB('phone', { adapter: 'memory' });
  let t = Date.now();
  const week = await recordWeek(local);
  const nonPhoto = [...week.finalRev.keys()].filter((id) => !week.withPhoto.has(id));
  console.error(`recorded ${OPS} writes (${week.reports} reports, ${week.finalRev.size} docs, ${week.withPhoto.size} with ` +
    `${PHOTOS} photos of ${week.photoBytes} B, attached at ${ATTACH}) in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  // node-fetch (PouchDB's fetch on Node) sends "Connection: close" unless given an agent, so every request
  // would open a connection (a round trip more each); an app's WebView or browser keeps them open.
  const http = require('http');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
  const fetch = peerRequire('pouchdb-fetch').fetch;
  const remote = new PouchDB(`${proxy.url}/photos`, KEEPALIVE ? { fetch: (url, o) => fetch(url, { ...o, agent }) } : {});
  const left = new Set(nonPhoto), leftAll = new Set(week.finalRev.keys());
  const quarter = [0.25, 0.5, 0.75].map((f) => Math.ceil(nonPhoto.length * (1 - f)));
  const timeline = [];
  let a = null, attempts = 0, lastErr = null;
  await ipc('reset');
  const t0 = Date.now();
  const secs = () => (Date.now() - t0) / 1000;
  while (leftAll.size && attempts < MAX_ATTEMPTS) {
    attempts++;
    const rep = PouchDB.replicate(local, remote, { batch_size: BATCH });
    rep.on('change', (info) => {
      let photos = 0;
      for (const d of info.docs) {
        if (d._attachments) photos += Object.keys(d._attachments).length;
        if (week.finalRev.get(d._id) === d._rev) { left.delete(d._id); leftAll.delete(d._id); }
      }
      timeline.push({ s: +secs().toFixed(2), docs: info.docs.length, photos });
      if (quarter.length && left.size <= quarter[0]) { quarter.shift(); console.error(`${nonPhoto.length - left.size} docs without photos on the server after ${secs().toFixed(1)} s`); }
      if (!left.size && !a) {
        a = { s: secs(), photoDocsLeft: leftAll.size };
        ipc('stats').then((st) => Object.assign(a, st));
        console.error(`all ${nonPhoto.length} docs without photos on the server after ${a.s.toFixed(2)} s`);
      }
    });
    try { await rep; } catch (e) { lastErr = e; console.error(`attempt ${attempts} failed after ${secs().toFixed(1)} s: ${e.message || e.name || e}`); }
  }
  const b = { s: secs(), ...(await ipc('stats')) };
  const px = await proxy.stop();

  // Check on the server directly (not through the proxy): every doc at its final revision, every photo whole.
  const direct = new PouchDB(`http://127.0.0.1:${PORT}/photos`);
  const info = await direct.info();
  const all = await direct.allDocs();
  const revsOk = all.rows.length === week.finalRev.size && all.rows.every((x) => week.finalRev.get(x.id) === x.value.rev);
  let attOk = 0;
  for (const id of week.withPhoto) {
    const [mine, theirs] = await Promise.all([local.get(id), direct.get(id)]);
    for (const [name, att] of Object.entries(mine._attachments)) {
      const o = theirs._attachments && theirs._attachments[name];
      if (o && o.digest === att.digest && o.length === att.length) attOk++;
    }
  }
  const check = { docs: info.doc_count, revsOk, attachmentsOk: attOk, ok: revsOk && attOk === PHOTOS && info.doc_count === week.finalRev.size };

  const load = fs.readFileSync('/proc/loadavg', 'utf8').trim();
  console.log(`PouchDB 9 -> express-pouchdb, ops=${OPS} photos=${PHOTOS} (${week.photoBytes} B) link=${BITS_PER_S} bit/s ` +
    `rtt=${LATENCY_MS} ms batch_size=${BATCH} attach=${ATTACH} keepalive=${KEEPALIVE}${CUT_AFTER ? ` cut_after=${CUT_AFTER}` : ''}; ` +
    `${new Date().toISOString()}; loadavg ${load}; ${os.cpus().length} cpus`);
  console.log('| phase | time | bytes up (wire) | requests | payload |');
  console.log('|---|---|---|---|---|');
  if (a) {
    console.log(`| docs without photos on the server | ${a.s.toFixed(2)} s | ${a.bytesClientToServer} | ${a.requests} | ${nonPhoto.length} docs (final revisions) |`);
    const ph = b.s - a.s;
    console.log(`| then the rest | ${ph.toFixed(1)} s | ${b.bytesClientToServer - a.bytesClientToServer} | ${b.requests - a.requests} | ` +
      `${a.photoDocsLeft} of ${week.withPhoto.size} docs with photos |`);
  }
  console.log(`| replication complete | ${b.s.toFixed(1)} s | ${b.bytesClientToServer} | ${b.requests} | ${week.finalRev.size} docs, ${PHOTOS} photos of ${week.photoBytes} B ` +
    `(${((week.photoBytes * 8) / b.s / 1000).toFixed(0)} kbit/s of photo per s) |`);
  console.log(`proxy totals: up=${px.up} down=${px.down} requests=${px.requests} connections=${px.connections} cuts=${px.cuts}; ` +
    `server: down=${b.bytesServerToClient} connections=${b.newConnections}; attempts=${attempts}${lastErr ? ` (last failure: ${lastErr.message || lastErr.name})` : ''}; ` +
    `${timeline.length} batches written, at most ${Math.max(0, ...timeline.map((x) => x.photos))} photos in one; check=${JSON.stringify(check)}`);
  console.log(`requests by kind: ${JSON.stringify(b.byKind)}; request body bytes by kind: ${JSON.stringify(b.reqBodyBytesByKind)}`);
  if (process.env.RESULTS_FILE) {
    fs.writeFileSync(process.env.RESULTS_FILE, JSON.stringify({ OPS, PHOTOS, BATCH, ATTACH, KEEPALIVE, LATENCY_MS, BITS_PER_S, CUT_AFTER, SEED, photoBytes: week.photoBytes,
      docs: week.finalRev.size, nonPhotoDocs: nonPhoto.length, a, b, proxy: px, attempts, check, load, timeline }, null, 2));
  }
  server.send({ cmd: 'exit' });
  process.exitCode = check.ok ? 0 : 1;
})().catch((e) => { console.error(e); if (server) server.kill(); process.exit(1); });
