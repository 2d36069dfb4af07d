// The Node.js side of -engine node: reads one job a line (JSON) on stdin,
// runs it in a fresh vm context with print and $262, and writes one result
// a line (JSON) on stdout.
'use strict';
const vm = require('node:vm');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

const { Worker, MessageChannel, receiveMessageOnPort } = require('node:worker_threads');

let current = null; // the job running: {printed, done, error}
let agents = []; // the agents the job started: {worker, port, acks, left}, terminated when it ends

// The script of an agent's worker thread: $262.agent, then the agent's script.
// Broadcasts come on the port; reports, the acknowledgement of each broadcast
// and leaving go back on it, where the main thread reads them while it blocks.
const agentPrelude = `
const { workerData } = require('node:worker_threads');
const vm = require('node:vm');
const port = workerData.port;
const nap = new Int32Array(new SharedArrayBuffer(4));
let callback = null;
const broadcasts = [];
const deliver = () => {
  while (callback && broadcasts.length) {
    const m = broadcasts.shift();
    port.postMessage({ ack: true });
    try { callback(m.sab, m.id); } catch (e) { fail(e); }
  }
};
const fail = (e) => { port.postMessage({ report: 'agent error: ' + e }); port.postMessage({ left: true }); };
globalThis.$262 = { agent: {
  receiveBroadcast(f) { callback = f; deliver(); },
  report(v) { port.postMessage({ report: String(v) }); },
  leaving() { port.postMessage({ left: true }); },
  sleep(ms) { Atomics.wait(nap, 0, 0, ms); },
  monotonicNow() { return performance.timeOrigin + performance.now(); },
} };
port.on('message', (m) => { broadcasts.push(m); deliver(); });
try { vm.runInThisContext(workerData.src); } catch (e) { fail(e); }
`;

// newAgent returns $262.agent of the main thread
// (https://github.com/tc39/test262/blob/main/INTERPRETING.md#host-defined-functions),
// whose agents are worker threads; the main thread may block.
function newAgent() {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const sleep = (ms) => { Atomics.wait(nap, 0, 0, ms); };
  const reports = [];
  const pump = (a) => {
    for (let m; (m = receiveMessageOnPort(a.port));) {
      m = m.message;
      if ('report' in m) reports.push(m.report);
      else if (m.ack) a.acks++;
      else if (m.left) a.left = true;
    }
  };
  return {
    start(src) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(agentPrelude, { eval: true, workerData: { src: String(src), port: port2 }, transferList: [port2] });
      worker.on('error', () => {});
      agents.push({ worker, port: port1, acks: 0, left: false });
    },
    broadcast(sab, id) {
      for (const a of agents) a.port.postMessage({ sab, id });
      for (const a of agents) {
        for (pump(a); !a.left && a.acks === 0; pump(a)) sleep(1);
        if (a.acks > 0) a.acks--;
      }
    },
    getReport() {
      for (const a of agents) pump(a);
      return reports.length ? reports.shift() : null;
    },
    sleep,
    monotonicNow: () => performance.timeOrigin + performance.now(),
  };
}

process.on('uncaughtException', (e) => { if (current && !current.error) current.error = e; });
process.on('unhandledRejection', () => {});

function newRealm() {
  const context = vm.createContext({});
  const global = vm.runInContext('this', context);
  const $262 = vm.runInContext('({})', context);
  const define = (o, k, v) => Object.defineProperty(o, k, { value: v, writable: true, configurable: true, enumerable: false });
  define(global, 'print', (s) => {
    s = String(s);
    if (current) {
      current.printed.push(s);
      if (s.startsWith('Test262:Async')) current.done();
    }
  });
  Object.assign($262, {
    global,
    evalScript: (src) => {
      let script;
      try { script = new vm.Script(String(src)); } catch (e) {
        throw new (vm.runInContext('SyntaxError', context))(e.message);
      }
      return script.runInContext(context);
    },
    detachArrayBuffer: (buf) => { structuredClone(buf, { transfer: [buf] }); return null; },
    gc: () => {
      if (typeof globalThis.gc !== 'function') throw new TypeError('no gc: run node with --expose-gc');
      globalThis.gc();
    },
    createRealm: () => newRealm().$262,
    agent: newAgent(),
  });
  define(global, '$262', $262);
  return { context, $262 };
}

function thrown(e) {
  let type = '', msg = '';
  try { type = (e && e.constructor && e.constructor.name) || ''; } catch {}
  try { msg = String(e); } catch { msg = '<thrown value not convertible to string>'; }
  return { type, msg };
}

// modules returns the module loader of one job: files resolve relative to
// the importing module, each is loaded once.
function modules(context) {
  const cache = new Map();
  const ld = {
    parseFailed: false,
    load(file, src) {
      if (cache.has(file)) return cache.get(file);
      let m;
      try {
        m = new vm.SourceTextModule(src ?? fs.readFileSync(file, 'utf8'), {
          identifier: file, context,
          importModuleDynamically: (spec, ref) => ld.linked(path.resolve(path.dirname(ref.identifier), spec)),
        });
      } catch (e) {
        if (e instanceof SyntaxError) ld.parseFailed = true;
        throw e;
      }
      cache.set(file, m);
      return m;
    },
    link: (spec, ref) => ld.load(path.resolve(path.dirname(ref.identifier), spec)),
    async linked(file) {
      const m = ld.load(file);
      await m.link(ld.link);
      await m.evaluate();
      return m;
    },
  };
  return ld;
}

async function runModule(job, context, ld) {
  let m;
  try { m = ld.load(job.file, job.src); } catch (e) { return { phase: 'parse', ...thrown(e) }; }
  try { await m.link(ld.link); } catch (e) { return { phase: ld.parseFailed ? 'parse' : 'resolution', ...thrown(e) }; }
  try { await m.evaluate(); } catch (e) { return { phase: 'runtime', ...thrown(e) }; }
  return {};
}

async function run(job) {
  const { context } = newRealm();
  const ld = modules(context);
  for (const [name, src] of job.harness) vm.runInContext(src, context, { filename: name });
  if (job.module) return runModule(job, context, ld);
  let script;
  try {
    script = new vm.Script(job.src, {
      filename: job.file,
      importModuleDynamically: (spec) => ld.linked(path.resolve(path.dirname(job.file), spec)),
    });
  } catch (e) { return { phase: 'parse', ...thrown(e) }; }
  try { script.runInContext(context); } catch (e) { return { phase: 'runtime', ...thrown(e) }; }
  return {};
}

const lines = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    const job = JSON.parse(line);
    let done;
    const finished = new Promise((resolve) => { done = resolve; });
    current = { printed: [], done, error: null };
    let res = await run(job).catch((e) => ({ phase: 'runtime', ...thrown(e) }));
    if (job.async && !res.phase) {
      await Promise.race([finished, new Promise((r) => setTimeout(r, job.timeoutMs))]);
    } else {
      await new Promise((r) => setImmediate(r));
    }
    if (!res.phase && current.error) res = { phase: 'runtime', ...thrown(current.error) };
    res.printed = current.printed;
    current = null;
    await Promise.all(agents.map((a) => a.worker.terminate()));
    agents = [];
    process.stdout.write(JSON.stringify(res) + '\n');
  });
});
