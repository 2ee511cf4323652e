//go:build tools

// Package tools pins promtool, which tests the shipped Prometheus alerting rules.
package tools

import _ "github.com/prometheus/prometheus/cmd/promtool"
