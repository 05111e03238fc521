// Benchmarks land here; see docs/performance.md.
print("no benchmarks yet")
