"""Page benchmark: latency and query counts at demo size and at ten times demo size."""
