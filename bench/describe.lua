-- wrk script for bench/describe-throughput.sh: cycles over pre-signed raw Describe requests
-- (one per stored job, written by describe_setup.py presign) and prints a parseable summary line.
-- Usage: wrk ... -s bench/describe.lua URL -- REQUESTS.lua

local counter = 0
local threads = {}

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   requests = dofile(args[1])
   -- each thread starts at a different job so that connections do not ask for the same rows in lockstep
   index = (id * 97) % #requests
end

function request()
   index = index % #requests + 1
   return requests[index]
end

function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local errors = summary.errors
   io.write(string.format(
      "RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f "
         .. "non2xx=%d socket_errors=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
