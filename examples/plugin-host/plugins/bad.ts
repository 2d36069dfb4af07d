// bad misbehaves in every way the host must survive, one per path.
export default {
	async fetch(req: { path: string; query: Record<string, string> }) {
		switch (req.path) {
			case "/throw":
				throw new TypeError("plugin bug");
			case "/loop":
				for (;;) {}
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
		}
		return { status: 404, body: "no such misbehaviour" };
	},
};
