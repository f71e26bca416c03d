// Package checksum sums bytes; its benchmarks report throughput and a custom metric.
package checksum

// Fletcher16 is the Fletcher-16 checksum of data.
func Fletcher16(data []byte) uint16 {
	var a, b uint16
	for _, x := range data {
		a = (a + uint16(x)) % 255
		b = (b + a) % 255
	}
	return b<<8 | a
}
