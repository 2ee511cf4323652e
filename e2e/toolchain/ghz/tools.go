//go:build tools

// Package tools pins ghz (Apache 2.0), the gRPC load generator the serving benchmark drives every
// gRPC server with. v0.93.0 is the newest version the Go module proxy serves here.
package tools

import _ "github.com/bojand/ghz/cmd/ghz"
