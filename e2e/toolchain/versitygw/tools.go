//go:build tools

// Package tools pins versitygw (Versity's S3 gateway, Apache 2.0), the S3-compatible server the
// model-source tests fetch from.
package tools

import _ "github.com/versity/versitygw/cmd/versitygw"
