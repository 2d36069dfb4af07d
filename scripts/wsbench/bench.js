// The WebSocket benchmark, run unchanged by wsjs, Node (with the ws package or undici
// installed as the WebSocket global by a preload file), Deno and Bun, against the echo
// server of scripts/wsbench. The work uses only the standard WebSocket API, timers,
// Promise and Date; only reading the arguments differs between runtimes.
//
// Arguments: SERVER-URL SCENARIO [NAME=VALUE...]. The result is printed as one line
// of JSON: {"scenario": ..., "value": number}.

const argv =
  typeof wsjs !== "undefined" ? wsjs.args
  : typeof Deno !== "undefined" ? Deno.args
  : process.argv.slice(2);

const [base, scenario, ...rest] = argv;
const params = {};
for (const kv of rest) {
  const i = kv.indexOf("=");
  params[kv.slice(0, i)] = Number(kv.slice(i + 1));
}

function connect(path) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base + path);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => {
      ws.onopen = ws.onerror = null;
      resolve(ws);
    };
    ws.onerror = () => reject(new Error("cannot connect to " + base + path));
  });
}

// connectMany opens n sockets, at most batch at a time so as not to overflow the
// server's listen backlog.
async function connectMany(path, n, batch) {
  const all = [];
  while (all.length < n) {
    const k = Math.min(batch, n - all.length);
    const next = [];
    for (let i = 0; i < k; i++) next.push(connect(path));
    all.push(...(await Promise.all(next)));
  }
  return all;
}

function closeAll(sockets) {
  return Promise.all(
    sockets.map(
      (ws) =>
        new Promise((resolve) => {
          ws.onmessage = null;
          ws.onclose = () => resolve();
          ws.close();
        }),
    ),
  );
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// roundTrips sends msg and the next one on each echo, first for warm ms, then counts
// the echoes of the next ms milliseconds. It returns round trips per second.
async function roundTrips(ws, msg, warm, ms, check) {
  let n = 0;
  let measuring = false;
  let t0 = Date.now();
  return new Promise((resolve, reject) => {
    ws.onmessage = (e) => {
      if (!check(e.data)) {
        reject(new Error("bad echo"));
        return;
      }
      n++;
      const now = Date.now();
      if (!measuring) {
        if (now - t0 >= warm) {
          measuring = true;
          t0 = now;
          n = 0;
        }
      } else if (now - t0 >= ms) {
        resolve((n * 1000) / (now - t0));
        return;
      }
      ws.send(msg);
    };
    ws.send(msg);
  });
}

const scenarios = {
  // One socket; a 32-byte text message is sent again as soon as its echo arrives.
  async pingpong({ warm = 300, ms = 1000 }) {
    const ws = await connect("/echo");
    const msg = "x".repeat(32);
    const v = await roundTrips(ws, msg, warm, ms, (d) => d.length === 32);
    await closeAll([ws]);
    return v;
  },

  // One socket; the server sends count 64-byte text messages as fast as it can; the
  // rate is counted from the request to the last message.
  async stream({ warm = 20000, count = 300000 }) {
    const ws = await connect("/stream");
    const run = (n) =>
      new Promise((resolve, reject) => {
        let got = 0;
        const t0 = Date.now();
        ws.onmessage = (e) => {
          if (e.data.length !== 64) reject(new Error("bad message"));
          if (++got === n) resolve((n * 1000) / Math.max(Date.now() - t0, 1));
        };
        ws.send(String(n));
      });
    await run(warm);
    const v = await run(count);
    await closeAll([ws]);
    return v;
  },

  // One socket; a 1 MiB binary message is sent again as soon as its echo arrives.
  // MB/s counts the payload of one direction, in units of 10^6 bytes.
  async echo1m({ warm = 300, ms = 1000 }) {
    const ws = await connect("/echo");
    const size = 1 << 20;
    const msg = new Uint8Array(size);
    for (let i = 0; i < size; i++) msg[i] = i & 0xff;
    const v = await roundTrips(ws, msg, warm, ms, (d) => d.byteLength === size);
    await closeAll([ws]);
    return (v * size) / 1e6;
  },

  // conns sockets join one group; per round the server sends msgs 32-byte messages to
  // each; messages received per second over the timed rounds.
  async fanout({ conns = 1000, msgs = 20, rounds = 5 }) {
    const group = Math.random().toString(36).slice(2);
    const sockets = await connectMany("/fanout?g=" + group, conns, 250);
    let pending = 0;
    let done = null;
    const onmessage = () => {
      if (--pending === 0) done();
    };
    for (const ws of sockets) ws.onmessage = onmessage;
    const round = () =>
      new Promise((resolve) => {
        pending = conns * msgs;
        done = resolve;
        sockets[0].send(String(msgs));
      });
    await round(); // warm-up
    const t0 = Date.now();
    for (let i = 0; i < rounds; i++) await round();
    const v = (conns * msgs * rounds * 1000) / Math.max(Date.now() - t0, 1);
    await closeAll(sockets);
    return v;
  },

  // conns idle open sockets; the growth of the process's resident set size, per
  // socket, as reported by the server.
  async idle({ conns = 10000, settle = 500 }) {
    const probe = await connect("/rss");
    const rss = () =>
      new Promise((resolve) => {
        probe.onmessage = (e) => resolve(Number(e.data));
        probe.send("rss");
      });
    // Warm the paths used below, so that their one-time costs are not counted.
    await closeAll(await connectMany("/echo", 100, 100));
    await sleep(settle);
    const before = await rss();
    const sockets = await connectMany("/echo", conns, 500);
    await sleep(settle);
    const after = await rss();
    await closeAll(sockets);
    await closeAll([probe]);
    return (after - before) / conns;
  },
};

const run = scenarios[scenario];
if (!run) throw new Error("unknown scenario " + scenario);
run(params).then((value) => {
  console.log(JSON.stringify({ scenario, value }));
});
