// hello answers with a greeting from a local module and a visit count kept by
// the host (the Go module "host:kv"). It remembers the last message the host
// posted to it (/message), and its /probe route opens a WebSocket to ?url=
// and says whether the host's connection policy let it open.
import { greet } from "./lib/greet.ts";
import { incr, load } from "host:kv";

interface Request {
	method: string;
	path: string;
	query: Record<string, string>;
	body: string;
}

// Top-level await of a Go function that returns a promise: the host starts
// serving the plugin once the greeting has been loaded.
const greeting = (await load("hello.greeting")) || "hello";

// Events the host posts (Host.Post).
let lastMessage = "";
addEventListener("message", (e) => {
	lastMessage = String((e as MessageEvent).data);
});

// A named export the host calls (Host.Describe).
export function describe(): string {
	return `greets with "${greeting}"`;
}

function probe(url: string): Promise<string> {
	return new Promise((resolve) => {
		const ws = new WebSocket(url);
		ws.onopen = () => {
			ws.close();
			resolve("open");
		};
		ws.onerror = () => resolve("error");
	});
}

export default {
	async fetch(req: Request) {
		switch (req.path) {
			case "/probe":
				return { status: 200, body: await probe(req.query.url) };
			case "/message":
				return { status: 200, body: lastMessage };
		}
		// incr returns a number in process and a promise out of process:
		// await takes both.
		const visit = await incr("hello.visits");
		return { status: 200, body: greet(greeting, req.query.name ?? "world", visit) };
	},
};
