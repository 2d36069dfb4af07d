// A module the hello plugin imports by relative path: bundled into it.
export function greet(greeting: string, name: string, visit: number): string {
	return `${greeting}, ${name} (visit ${visit})`;
}
