import FahrasIndex
import FahrasSearch

#if canImport(Glibc)
  import Glibc
#endif

/// Entry point of the `fahras` executable. Exit codes: 0 success, 1 failure, 2 usage error.
public enum FahrasCommandLine {
  public static func main(_ arguments: [String]) -> Int32 {
    let console = Console()
    defer { console.flush() }
    guard let command = arguments.first else {
      console.out(Commands.overview)
      return 0
    }
    let rest = Array(arguments.dropFirst())
    do {
      switch command {
      case "-h", "--help", "help":
        if let name = rest.first {
          guard let spec = Commands.all.first(where: { $0.name == name }) else {
            throw UsageError(
              message:
                "no command '\(name)' (commands: \(Commands.all.map(\.name).joined(separator: ", ")))"
            )
          }
          console.out(spec.helpText)
        } else {
          console.out(Commands.overview)
        }
        return 0
      case "--version", "version":
        console.line("fahras 0.1")
        return 0
      case "index": return try run(Commands.index, rest, console, IndexCommand.run)
      case "search": return try run(Commands.search, rest, console, SearchCommand.run)
      case "repl": return try run(Commands.repl, rest, console, ReplCommand.run)
      case "stats": return try run(Commands.stats, rest, console, StatsCommand.run)
      case "check": return try run(Commands.check, rest, console, CheckCommand.run)
      case "merge": return try run(Commands.merge, rest, console, MergeCommand.run)
      case "analyze": return try run(Commands.analyze, rest, console, AnalyzeCommand.run)
      case "bench": return try run(Commands.bench, rest, console, BenchCommand.run)
      default:
        throw UsageError(message: "unknown command '\(command)' (run 'fahras --help')")
      }
    } catch let e as UsageError {
      console.err("fahras: \(e.message)")
      if let c = e.command {
        console.err("usage: \(Commands.all.first { $0.name == c }?.usage ?? "")")
      }
      return 2
    } catch {
      console.err("fahras: \(error)")
      return 1
    }
  }

  private static func run(
    _ spec: CommandSpec, _ args: [String], _ console: Console,
    _ body: (ParsedArguments, Console) throws -> Int32
  ) throws -> Int32 {
    let parsed = try ParsedArguments.parse(args, spec: spec)
    if parsed.has("help") {
      console.out(spec.helpText)
      return 0
    }
    return try body(parsed, console)
  }
}

/// Index folder from `--index`, else `./.fahras`.
func indexPath(_ args: ParsedArguments) -> String {
  args.value("index") ?? ".fahras"
}

func openSearcher(_ path: String) throws -> Searcher {
  Searcher(reader: try IndexReader.open(path))
}

func availableCores() -> Int {
  max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
