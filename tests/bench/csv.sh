#!/bin/sh
# csv.sh < CONSOLE-LOG - forkbench's "csv: METRIC,INSTRUCTIONS" lines as a CSV
# file on stdout: the header "metric,instructions", then one row per metric
# in the order the benchmark printed them.
echo metric,instructions
tr -d '\r' | sed -n 's/^csv: //p'
