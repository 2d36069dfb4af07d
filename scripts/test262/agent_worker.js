// $262.agent of an agent started by $262.agent.start (see agent.js), run in its
// dedicated worker before the agent's script. The first message gives the
// control block, its layout and the agent's index; each other one is a
// broadcast, handed to the function given to receiveBroadcast in the order
// sent. Reports made before the control block came wait for it. An agent
// may block ([[CanBlock]] is true in a worker): sleep waits on memory of its
// own.
(function () {
	"use strict";
	const { load, store, compareExchange, wait } = Atomics;
	const I32 = Int32Array;
	const nap = new I32(new SharedArrayBuffer(4));
	const { now } = performance, { timeOrigin } = performance;
	const { apply } = Reflect;
	const { push, shift } = Array.prototype;
	const charCodeAt = String.prototype.charCodeAt;
	const addListener = addEventListener;
	let ctl = null, index = -1, L = null, callback = null, left = false;
	const reports = [], broadcasts = [];

	const sleep = (ms) => {
		wait(nap, 0, 0, ms);
	};
	const write = (s) => {
		const n = s.length;
		if (n + 1 > L.CAPACITY) throw new RangeError("$262.agent.report: report too long");
		for (;;) {
			while (compareExchange(ctl, L.LOCK, 0, 1) !== 0) {
				// The main agent or another one holds it for a few steps.
			}
			let end = load(ctl, L.END);
			if (end + 1 + n <= L.CAPACITY) {
				ctl[L.DATA + end++] = n;
				for (let i = 0; i < n; i++) ctl[L.DATA + end++] = apply(charCodeAt, s, [i]);
				store(ctl, L.END, end);
				store(ctl, L.LOCK, 0);
				return;
			}
			store(ctl, L.LOCK, 0);
			sleep(1); // until the main agent takes reports
		}
	};
	const deliver = () => {
		while (callback !== null && broadcasts.length > 0) {
			const b = apply(shift, broadcasts, []);
			// Taken before the function runs: it may wait for the main agent,
			// whose broadcast returns once every agent took it.
			store(ctl, L.TAKEN + index, b.seq);
			apply(callback, undefined, [b.sab, b.id]);
		}
	};
	const leave = () => {
		left = true;
		if (ctl !== null) store(ctl, L.TAKEN + index, L.GONE);
	};

	apply(addListener, self, ["message", (e) => {
		const m = e.data;
		if (ctl === null) {
			({ ctl, index, layout: L } = m);
			if (left) leave();
			while (reports.length > 0) write(apply(shift, reports, []));
			return;
		}
		apply(push, broadcasts, [m]);
		deliver();
	}]);
	// An uncaught exception ends what the agent does: the main agent must not
	// wait for it to take broadcasts, and gets a report saying why.
	apply(addListener, self, ["error", (e) => {
		$262.agent.report("agent error: " + e.message);
		leave();
	}]);

	self.$262 = {
		agent: {
			receiveBroadcast(fn) {
				if (typeof fn !== "function") throw new TypeError("$262.agent.receiveBroadcast: not a function");
				callback = fn;
				deliver();
			},
			report(v) {
				const s = String(v);
				if (ctl === null) apply(push, reports, [s]);
				else write(s);
			},
			leaving: leave,
			sleep(ms) {
				sleep(+ms);
			},
			monotonicNow() {
				return timeOrigin + apply(now, performance, []);
			},
		},
	};
})();
