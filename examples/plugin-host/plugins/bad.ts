// bad misbehaves in every way the host must survive, one per path.
import { incr } from "host:kv";

// Not an async function: a loop in it runs in the host's call, outside any
// promise job, so that an interrupt leaves the runtime usable.
function fetch(req: { path: string; query: Record<string, string> }): unknown {
	switch (req.path) {
		case "/throw":
			throw new TypeError("plugin bug");
		case "/reject":
			return rejectLater();
		case "/loop":
			console.log("bad: looping");
			for (;;) {}
		case "/loop-after-await":
			return loopAfterAwait();
		case "/timers": {
			// Timers that are never cleared: the runtime keeps them until it is closed.
			const n = Number(req.query.n ?? "10");
			for (let i = 0; i < n; i++) setInterval(() => {}, 60_000);
			return { status: 200, body: `leaked ${n} timers` };
		}
		case "/flood": {
			// Messages bounced between two ports for ever, and a promise that never settles.
			const { port1, port2 } = new MessageChannel();
			port1.onmessage = (e) => port1.postMessage(e.data);
			port2.onmessage = (e) => port2.postMessage(e.data);
			port1.postMessage("ping");
			return new Promise(() => {});
		}
		case "/alloc":
			// Far beyond the host's Limits.ArrayBufferBytes: a RangeError, not an allocation.
			return { status: 200, body: String(new Uint8Array(2 ** 31).length) };
		case "/hog": {
			// Memory a string at a time, which no limit inside the process bounds.
			const a: string[] = [];
			for (;;) a.push("x".repeat(1 << 20) + a.length);
		}
		case "/background":
			// An error nobody can catch: the host hears of it (Options.OnError).
			setTimeout(() => {
				throw new Error("background bug");
			}, 0);
			return { status: 202, body: "scheduled" };
		case "/idl":
			// incr's count is an [EnforceRange] long long: 2**53 is a TypeError.
			return { status: 200, body: String(incr("bad.count", 2 ** 53)) };
	}
	return { status: 404, body: "no such misbehaviour" };
}

async function rejectLater(): Promise<never> {
	await null;
	throw new RangeError("rejected later");
}

async function loopAfterAwait(): Promise<never> {
	await null;
	// Interrupted here, inside a promise job, goja cannot run promise jobs
	// again: the runtime reports itself unusable.
	for (;;) {}
}

export default { fetch };

// An event listener that never returns: the host's deadline interrupts it.
addEventListener("message", (e) => {
	if ((e as MessageEvent).data === "loop") for (;;) {}
});
