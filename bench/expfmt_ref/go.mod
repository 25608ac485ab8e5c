module promtool-cpp/bench/expfmt_ref

go 1.21

require (
	github.com/prometheus/client_model v0.6.1
	github.com/prometheus/common v0.55.0
)
