// Package textutil builds strings; its benchmarks allocate, so -benchmem shows B/op and allocs/op.
package textutil

import "strings"

// Repeat joins n copies of word with commas.
func Repeat(word string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = word
	}
	return strings.Join(parts, ",")
}
