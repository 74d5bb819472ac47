package main

import (
	"flag"
	"os"
)

func init() {
	// ruleid: go-exit-in-init
	os.Exit(0)
}

func init() {
	// ruleid: go-patches-test-flags
	flag.Set("test.run", "^$")
	// ok: go-patches-test-flags
	flag.Set("verbose", "1")
}

func Solve(xs []int) int {
	if len(xs) == 0 {
		// ruleid: go-exit-in-library-code
		os.Exit(0)
	}
	// ruleid: go-reads-test-code
	data, _ := os.ReadFile("solution_test.go")
	// ok: go-reads-test-code
	cfg, _ := os.ReadFile("input.txt")
	return len(xs) + len(data) + len(cfg)
}

func main() {
	// ok: go-exit-in-library-code, go-exit-in-init
	os.Exit(Solve([]int{1}))
}
