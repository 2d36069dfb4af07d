// A module the hello plugin imports by relative path: bundled into it.
export function greet(name: string, visit: number): string {
	return `hello, ${name} (visit ${visit})`;
}
