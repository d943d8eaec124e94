/// A small command-line parser: `--name value`, `--name=value`, boolean `--flag`, positionals, and
/// `--` to end options. Each command declares its options; anything else is a usage error (exit 2).
public struct OptionSpec: Sendable {
  public var name: String
  public var value: String?
  public var help: String
  public init(_ name: String, value: String? = nil, _ help: String) {
    self.name = name
    self.value = value
    self.help = help
  }
  var takesValue: Bool { value != nil }
}

public struct CommandSpec: Sendable {
  public var name: String
  public var summary: String
  public var usage: String
  public var options: [OptionSpec]
  public var examples: [String]
  public var details: String = ""

  public var helpText: String {
    var s = "\(summary)\n\nUsage: \(usage)\n"
    if !details.isEmpty { s += "\n\(details)\n" }
    if !options.isEmpty {
      s += "\nOptions:\n"
      let width = options.map { $0.name.count + ($0.value.map { $0.count + 1 } ?? 0) }.max() ?? 0
      for o in options {
        let left = "--\(o.name)" + (o.value.map { " \($0)" } ?? "")
        s +=
          "  " + left + String(repeating: " ", count: max(1, width + 4 - left.count)) + o.help
          + "\n"
      }
    }
    if !examples.isEmpty {
      s += "\nExamples:\n" + examples.map { "  \($0)" }.joined(separator: "\n") + "\n"
    }
    return s
  }
}

public struct UsageError: Error, CustomStringConvertible {
  public var message: String
  public var command: String?
  public var description: String { message }
}

public struct ParsedArguments {
  public var positionals: [String] = []
  public var values: [String: String] = [:]
  public var flags: Set<String> = []

  public func has(_ flag: String) -> Bool { flags.contains(flag) }
  public func value(_ name: String) -> String? { values[name] }

  public func int(_ name: String, default d: Int, range: ClosedRange<Int> = 0...Int.max)
    throws(UsageError) -> Int
  {
    guard let s = values[name] else { return d }
    guard let v = Int(s), range.contains(v) else {
      throw UsageError(
        message:
          "--\(name) expects a whole number in \(range.lowerBound)...\(range.upperBound), got '\(s)'"
      )
    }
    return v
  }

  public func float(_ name: String, default d: Float) throws(UsageError) -> Float {
    guard let s = values[name] else { return d }
    guard let v = Float(s), v.isFinite, v >= 0 else {
      throw UsageError(message: "--\(name) expects a non-negative number, got '\(s)'")
    }
    return v
  }

  public static func parse(_ args: [String], spec: CommandSpec) throws(UsageError)
    -> ParsedArguments
  {
    var out = ParsedArguments()
    var i = 0
    var onlyPositionals = false
    while i < args.count {
      let a = args[i]
      i += 1
      if onlyPositionals || !a.hasPrefix("-") || a == "-" {
        out.positionals.append(a)
        continue
      }
      if a == "--" {
        onlyPositionals = true
        continue
      }
      if a == "-h" || a == "--help" {
        out.flags.insert("help")
        continue
      }
      guard a.hasPrefix("--") else {
        throw UsageError(
          message: "unknown option '\(a)' for '\(spec.name)' (options are spelled --name)",
          command: spec.name)
      }
      var name = String(a.dropFirst(2))
      var inline: String?
      if let eq = name.firstIndex(of: "=") {
        inline = String(name[name.index(after: eq)...])
        name = String(name[..<eq])
      }
      guard let o = spec.options.first(where: { $0.name == name }) else {
        throw UsageError(
          message: "unknown option '--\(name)' for '\(spec.name)'", command: spec.name)
      }
      if o.takesValue {
        if let inline {
          out.values[name] = inline
        } else {
          guard i < args.count else {
            throw UsageError(
              message: "option '--\(name)' needs a value (\(o.value!))", command: spec.name)
          }
          out.values[name] = args[i]
          i += 1
        }
      } else {
        guard inline == nil else {
          throw UsageError(message: "option '--\(name)' takes no value", command: spec.name)
        }
        out.flags.insert(name)
      }
    }
    return out
  }
}
