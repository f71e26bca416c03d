package textutil

import (
	"os"
	"testing"
)

var sink string

// BenchmarkRepeat has sub-benchmarks; "chunk-4" ends in -<digits> like a GOMAXPROCS suffix.
func BenchmarkRepeat(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
	}{{"n=64", 64}, {"n=1024", 1024}, {"chunk-4", 4}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				sink = Repeat("go", c.n)
			}
		})
	}
}

// BenchmarkNeedsGPU is always skipped.
func BenchmarkNeedsGPU(b *testing.B) {
	b.Skip("no GPU on this machine")
}

// BenchmarkFlaky fails when BENCHGATE_EXAMPLE_FAIL is set (panics when it is "panic"), to show a failing benchmark.
func BenchmarkFlaky(b *testing.B) {
	switch os.Getenv("BENCHGATE_EXAMPLE_FAIL") {
	case "":
	case "panic":
		panic("BENCHGATE_EXAMPLE_FAIL is panic")
	default:
		b.Fatal("BENCHGATE_EXAMPLE_FAIL is set")
	}
	for i := 0; i < b.N; i++ {
		sink = Repeat("x", 8)
	}
}
