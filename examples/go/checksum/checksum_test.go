package checksum

import "testing"

var sink uint16

// BenchmarkFletcher16 sets the bytes per call, so go test prints MB/s.
func BenchmarkFletcher16(b *testing.B) {
	data := make([]byte, 4096)
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		sink = Fletcher16(data)
	}
}

// BenchmarkFrames reports its own metric: frames checksummed per call.
func BenchmarkFrames(b *testing.B) {
	frame := make([]byte, 256)
	frames := 0
	for i := 0; i < b.N; i++ {
		for j := 0; j < 16; j++ {
			sink = Fletcher16(frame)
			frames++
		}
	}
	b.ReportMetric(float64(frames)/float64(b.N), "frames/op")
}
