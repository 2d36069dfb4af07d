// A tour of the event loop: run it with `go run ./cmd/wsjs run examples/eventloop.ts`.
import { sleep, type Step } from "./steps.ts";

const log: Step[] = [];
const step = (what: string) => {
  log.push({ at: log.length + 1, what });
  console.log(`${log.length}. ${what}`);
};

step("script starts (a task)");
setTimeout(() => step("setTimeout 0: a later task"), 0);
queueMicrotask(() => step("queueMicrotask: runs once the script's task is done"));
Promise.resolve().then(() => step("promise reaction: a microtask too, in order"));

async function worker(name: string, ms: number): Promise<string> {
  step(`${name} starts`);
  await sleep(ms);
  step(`${name} wakes after ${ms} ms`);
  return name.toUpperCase();
}

step("synchronous code keeps running: workers start at once");

const results = await Promise.all([worker("fast", 10), worker("slow", 30)]);
step(`Promise.all resolved: ${results.join(", ")}`);
step("top-level await resumed; the loop exits when nothing is left");
console.log({ steps: log.length, last: log[log.length - 1] });
