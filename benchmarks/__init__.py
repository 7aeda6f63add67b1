"""Speed and quality benchmarks, run outside pytest (``make benchmark``); results in RESULTS.md."""
