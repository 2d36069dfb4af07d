// $262.agent of the main agent
// (https://github.com/tc39/test262/blob/main/INTERPRETING.md#host-defined-functions),
// on the web APIs of the runtime under test: each agent started is a dedicated
// worker running agent_worker.js and then the agent's script, from a blob: URL.
// Broadcasts reach the workers by postMessage, which shares a SharedArrayBuffer's
// memory, and everything the main agent must learn while its script runs (that
// a broadcast was taken, the reports) goes through a control block of shared
// memory, since no message event is dispatched to a script that does not return
// to its event loop. The main agent's [[CanBlock]] is false: where it waits
// ($262.agent.sleep, broadcast), the host sleeps for it.
//
// The control block is an Int32Array: LOCK guards the report queue; the queue
// runs from READ to END in the cells from DATA on, each report its length
// followed by its UTF-16 code units; TAKEN + i is the number of the last
// broadcast the agent i took, or GONE once it left or failed. The cells of
// the queue are read and written with the lock held, by plain accesses: the
// Atomics operations on LOCK order them.
(function ($262, hostSleep, workerPrelude) {
	"use strict";
	const LOCK = 0, READ = 1, END = 2, TAKEN = 3, MAX_AGENTS = 64, DATA = TAKEN + MAX_AGENTS, CAPACITY = 1 << 14;
	const GONE = -1;
	// What agent_worker.js is told of the control block, with the block.
	const layout = { LOCK, READ, END, TAKEN, DATA, CAPACITY, GONE };
	const { load, store, compareExchange } = Atomics;
	const SAB = SharedArrayBuffer, I32 = Int32Array, WorkerCtor = Worker, BlobCtor = Blob;
	const createObjectURL = URL.createObjectURL;
	const { now } = performance, { timeOrigin } = performance;
	const fromCharCode = String.fromCharCode;
	const { apply } = Reflect;
	const { postMessage } = WorkerCtor.prototype;
	const { push } = Array.prototype;
	const workers = [];
	let ctl = null, broadcasts = 0;

	const lock = () => {
		while (compareExchange(ctl, LOCK, 0, 1) !== 0) {
			// An agent holds it for the few steps of a report.
		}
	};
	const unlock = () => store(ctl, LOCK, 0);

	$262.agent = {
		start(source) {
			if (workers.length === MAX_AGENTS) throw new RangeError(`more than ${MAX_AGENTS} agents`);
			ctl ??= new I32(new SAB(I32.BYTES_PER_ELEMENT * (DATA + CAPACITY)));
			const url = apply(createObjectURL, URL, [new BlobCtor([workerPrelude, String(source)])]);
			const w = new WorkerCtor(url);
			apply(postMessage, w, [{ ctl, index: workers.length, layout }]);
			apply(push, workers, [w]);
		},
		// Blocks until every agent that is still there took the broadcast.
		broadcast(sab, id) {
			if (!(sab instanceof SAB)) throw new TypeError("$262.agent.broadcast: not a SharedArrayBuffer");
			const seq = ++broadcasts;
			for (let i = 0; i < workers.length; i++) apply(postMessage, workers[i], [{ sab, id, seq }]);
			for (let i = 0; i < workers.length; i++) {
				let taken;
				while ((taken = load(ctl, TAKEN + i)) !== seq && taken !== GONE) hostSleep(0.1);
			}
		},
		getReport() {
			if (ctl === null) return null;
			lock();
			try {
				let at = load(ctl, READ);
				const end = load(ctl, END);
				if (at === end) return null;
				const n = ctl[DATA + at++];
				let s = "";
				for (let i = 0; i < n; i++) s += fromCharCode(ctl[DATA + at++]);
				store(ctl, READ, at === end ? 0 : at);
				if (at === end) store(ctl, END, 0);
				return s;
			} finally {
				unlock();
			}
		},
		sleep(ms) {
			hostSleep(+ms);
		},
		monotonicNow() {
			return timeOrigin + apply(now, performance, []);
		},
	};

	// Called once the harness files ran: INTERPRETING.md lets a host replace
	// their functions. atomicsHelper.js's safeBroadcast checks that the typed
	// array is of a type Atomics.wait takes by calling Atomics.wait, which
	// throws in the main agent; Atomics.notify checks the same types
	// (ValidateIntegerTypedArray with waitable true,
	// https://tc39.es/ecma262/#sec-atomics.notify) and never waits.
	return function harnessLoaded() {
		const agent = $262.agent;
		if (typeof agent.safeBroadcast !== "function") return;
		agent.safeBroadcast = function (typedArray) {
			const Constructor = Object.getPrototypeOf(typedArray).constructor;
			try {
				Atomics.notify(new Constructor(new SharedArrayBuffer(Constructor.BYTES_PER_ELEMENT)), 0, 0);
			} catch (error) {
				throw new Test262Error(`${Constructor.name} cannot be used as a shared typed array. (${error})`);
			}
			agent.broadcast(typedArray.buffer);
		};
	};
})
