// fahras-benchmarks: indexing, merge, size, open and query-latency measurements on one corpus.
// See Benchmarks/README.md for what each number means.

#if canImport(Glibc)
  import Glibc
#endif

exit(BenchmarkMain.run(Array(CommandLine.arguments.dropFirst())))
