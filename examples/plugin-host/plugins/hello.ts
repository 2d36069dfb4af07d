// hello answers with a greeting from a local module and a visit count kept by
// the host (the Go module "host:kv"). Its /probe route opens a WebSocket to
// ?url= and says whether the host's connection policy let it open.
import { greet } from "./lib/greet.ts";
import { get, set } from "host:kv";

interface Request {
	method: string;
	path: string;
	query: Record<string, string>;
	body: string;
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
		if (req.path === "/probe") return { status: 200, body: await probe(req.query.url) };
		const visit = Number(get("hello.visits") || "0") + 1;
		set("hello.visits", String(visit));
		return { status: 200, body: greet(req.query.name ?? "world", visit) };
	},
};
