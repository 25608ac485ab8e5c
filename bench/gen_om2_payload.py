#!/usr/bin/env python3
# Writes a deterministic OpenMetrics 2.0 payload of about SIZE bytes (default 100 MiB) for
# timing `promtool-cpp validate --format=openmetrics2`: usage gen_om2_payload.py OUT [SIZE].
import sys
target = int(sys.argv[2]) if len(sys.argv) > 2 else 100 * 1024 * 1024
out = open(sys.argv[1], "w")
size = 0
fam = 0
while size < target:
    lines = []
    k = fam % 4
    name = f"app_metric_{fam}"
    if k == 0:
        lines.append(f"# TYPE {name}_total counter\n# HELP {name}_total Requests handled.\n")
        for i in range(200):
            lines.append(f'{name}_total{{method="GET",path="/api/v{i}",code="200"}} {i*13+7} st@1700000000.5 # {{trace_id="{i:016x}"}} 0.{i%97+1} 1700000100.25\n')
    elif k == 1:
        lines.append(f"# TYPE {name}_bytes gauge\n# UNIT {name}_bytes bytes\n")
        for i in range(200):
            lines.append(f'{name}_bytes{{instance="host-{i}.example.com:9100",job="node"}} {i*1024.5}\n')
    elif k == 2:
        lines.append(f"# TYPE {name}_seconds histogram\n# UNIT {name}_seconds seconds\n")
        for i in range(100):
            lines.append(f'{name}_seconds{{handler="h{i}"}} {{count:17,sum:324789.3,schema:3,zero_threshold:1e-4,zero_count:1,negative_spans:[-2:1],negative_buckets:[2],positive_spans:[0:2,3:2],positive_buckets:[5,4,3,2],bucket:[0.01:0,0.1:8,1.0:11,10.0:17,+Inf:17]}} st@1700000000 # {{trace_id="a{i}"}} 0.054 1700000100.7\n')
    else:
        lines.append(f"# TYPE {name}_summary summary\n")
        for i in range(100):
            lines.append(f'{name}_summary{{rpc="r{i}"}} {{count:807283,sum:9036.32,quantile:[0.5:0.1,0.9:1.5,0.95:2,0.99:20]}} st@1605281325.0\n')
    s = "".join(lines)
    out.write(s)
    size += len(s)
    fam += 1
out.write("# EOF\n")
