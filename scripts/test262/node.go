package main

import "context"

func runNode(ctx context.Context, c *corpus, t *test, m mode) observation {
	return observation{Unsupported: "node: not implemented"}
}
