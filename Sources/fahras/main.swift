import FahrasCLI

#if canImport(Glibc)
  import Glibc
#endif

exit(FahrasCommandLine.main(Array(CommandLine.arguments.dropFirst())))
