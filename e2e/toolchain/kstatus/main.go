// Command kstatus prints what the kstatus library (sigs.k8s.io/cli-utils/pkg/kstatus, the library
// Flux's kustomize-controller and kpt use to wait for health) computes for each object it is given,
// so tests can check a custom resource's status against the real library instead of a re-telling.
//
//	kstatus FILE...   each FILE holds one object, YAML or JSON; prints one JSON line per file:
//	                  {"file": FILE, "status": "Current|InProgress|Failed|...", "message": "..."}
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/yaml"
)

type line struct {
	File    string `json:"file"`
	Status  string `json:"status"`
	Message string `json:"message"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: kstatus FILE...")
		os.Exit(2)
	}
	out := json.NewEncoder(os.Stdout)
	for _, file := range os.Args[1:] {
		result, err := compute(file)
		if err != nil {
			fmt.Fprintf(os.Stderr, "kstatus: %s: %v\n", file, err)
			os.Exit(1)
		}
		if err := out.Encode(line{File: file, Status: result.Status.String(), Message: result.Message}); err != nil {
			fmt.Fprintf(os.Stderr, "kstatus: %v\n", err)
			os.Exit(1)
		}
	}
}

func compute(file string) (*status.Result, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	asJSON, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("not YAML or JSON: %w", err)
	}
	object := &unstructured.Unstructured{}
	if err := object.UnmarshalJSON(asJSON); err != nil { // integers stay int64, as kstatus reads them
		return nil, err
	}
	return status.Compute(object)
}
