// expfmt-ref: the Go reference of bench/compare.sh, prometheus/common's expfmt parsing and
// encoding, one mode per row of the comparison.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

func fail(err error) {
	fmt.Fprintln(os.Stderr, "expfmt-ref:", err)
	os.Exit(1)
}

// parseText reads a text 0.0.4 payload; families come back in name order, as Go's
// registry and promtool's writers order them.
func parseText(in io.Reader) []*dto.MetricFamily {
	var parser expfmt.TextParser
	byName, err := parser.TextToMetricFamilies(in)
	if err != nil {
		fail(err)
	}
	names := make([]string, 0, len(byName))
	for name := range byName {
		names = append(names, name)
	}
	sort.Strings(names)
	families := make([]*dto.MetricFamily, 0, len(names))
	for _, name := range names {
		families = append(families, byName[name])
	}
	return families
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: expfmt-ref validate|text-to-protobuf|protobuf-to-text|"+
			"text-to-openmetrics|text-to-text FILE")
		os.Exit(2)
	}
	file, err := os.Open(os.Args[2])
	if err != nil {
		fail(err)
	}
	defer file.Close()
	in := bufio.NewReaderSize(file, 1<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()

	switch os.Args[1] {
	case "validate":
		series := 0
		for _, mf := range parseText(in) {
			series += len(mf.Metric)
		}
		fmt.Fprintln(out, series)
	case "text-to-protobuf":
		enc := expfmt.NewEncoder(out, expfmt.FmtProtoDelim)
		for _, mf := range parseText(in) {
			if err := enc.Encode(mf); err != nil {
				fail(err)
			}
		}
	case "text-to-openmetrics":
		for _, mf := range parseText(in) {
			if _, err := expfmt.MetricFamilyToOpenMetrics(out, mf); err != nil {
				fail(err)
			}
		}
		if _, err := expfmt.FinalizeOpenMetrics(out); err != nil {
			fail(err)
		}
	case "text-to-text":
		for _, mf := range parseText(in) {
			if _, err := expfmt.MetricFamilyToText(out, mf); err != nil {
				fail(err)
			}
		}
	case "protobuf-to-text":
		dec := expfmt.NewDecoder(in, expfmt.FmtProtoDelim)
		for {
			var mf dto.MetricFamily
			if err := dec.Decode(&mf); err == io.EOF {
				break
			} else if err != nil {
				fail(err)
			}
			if _, err := expfmt.MetricFamilyToText(out, &mf); err != nil {
				fail(err)
			}
		}
	default:
		fmt.Fprintln(os.Stderr, "expfmt-ref: unknown mode", os.Args[1])
		os.Exit(2)
	}
}
