import FahrasCLI
import Foundation

/// A JSON value with ordered object members, for writing reports in a stable, readable order.
enum JSONValue {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  /// Pretty-printed JSON, two spaces per level; arrays of scalars stay on one line.
  func rendered(indent: Int = 0) -> String {
    let pad = String(repeating: "  ", count: indent)
    let inner = String(repeating: "  ", count: indent + 1)
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .int(let n): return String(n)
    case .double(let d): return JSONValue.number(d)
    case .string(let s): return JSONValue.quoted(s)
    case .array(let items):
      if items.isEmpty { return "[]" }
      if items.allSatisfy(\.isScalar) {
        return "[" + items.map { $0.rendered() }.joined(separator: ", ") + "]"
      }
      return "[\n" + items.map { inner + $0.rendered(indent: indent + 1) }.joined(separator: ",\n")
        + "\n\(pad)]"
    case .object(let members):
      if members.isEmpty { return "{}" }
      return "{\n"
        + members.map { inner + JSONValue.quoted($0.0) + ": " + $0.1.rendered(indent: indent + 1) }
        .joined(separator: ",\n") + "\n\(pad)}"
    }
  }

  var isScalar: Bool {
    switch self {
    case .array, .object: return false
    default: return true
    }
  }

  /// A finite double with up to 6 significant digits; non-finite values become null.
  static func number(_ d: Double) -> String {
    guard d.isFinite else { return "null" }
    if abs(d) < 1e15, d == d.rounded() || abs(d) >= 1e5 { return String(Int(d.rounded())) }
    return String(format: "%.6g", d)
  }

  /// A JSON string literal (the CLI's escaper).
  static func quoted(_ s: String) -> String { JSON.string(s) }

  /// Member `key` of an object.
  subscript(key: String) -> JSONValue? {
    if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
    return nil
  }

  /// The same tree with every number and array (as a whole) outside arrays replaced by
  /// `transform(path, value)`.
  func mapLeaves(prefix: String = "", _ transform: (String, JSONValue) -> JSONValue) -> JSONValue {
    switch self {
    case .int, .double, .array: return transform(prefix, self)
    case .object(let members):
      return .object(
        members.map {
          ($0.0, $0.1.mapLeaves(prefix: prefix.isEmpty ? $0.0 : prefix + "." + $0.0, transform))
        })
    default: return self
    }
  }

  /// Arrays outside arrays, as dotted paths.
  func arrays(prefix: String = "") -> [(path: String, items: [JSONValue])] {
    switch self {
    case .array(let items): return [(prefix, items)]
    case .object(let members):
      return members.flatMap { $0.1.arrays(prefix: prefix.isEmpty ? $0.0 : prefix + "." + $0.0) }
    default: return []
    }
  }

  /// Numeric leaves (ints and doubles, not inside arrays) as dotted paths, in document order.
  func numericLeaves(prefix: String = "") -> [(path: String, value: Double)] {
    switch self {
    case .int(let n): return [(prefix, Double(n))]
    case .double(let d): return d.isFinite ? [(prefix, d)] : []
    case .object(let members):
      return members.flatMap {
        $0.1.numericLeaves(prefix: prefix.isEmpty ? $0.0 : prefix + "." + $0.0)
      }
    default: return []
    }
  }
}

extension JSONValue {
  var double: Double? {
    switch self {
    case .int(let n): return Double(n)
    case .double(let d): return d
    default: return nil
    }
  }

  var int: Int? {
    switch self {
    case .int(let n): return n
    case .double(let d): return d.isFinite && abs(d) < 9e18 ? Int(d) : nil
    default: return nil
    }
  }

  var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  struct ParseError: Error, CustomStringConvertible {
    var offset: Int
    var description: String { "invalid JSON at byte \(offset)" }
  }

  /// Parses JSON text, keeping the order of object members (earlier reports, probe output).
  static func parse(_ text: String) throws(ParseError) -> JSONValue {
    var parser = JSONTextParser(bytes: Array(text.utf8))
    let value = try parser.value()
    parser.skipSpace()
    guard parser.at == parser.bytes.count else { throw ParseError(offset: parser.at) }
    return value
  }

  static func parse(file: String) throws -> JSONValue {
    guard let data = FileManager.default.contents(atPath: file) else {
      throw BenchOptions.Problem(description: "cannot read \(file)")
    }
    do { return try parse(String(decoding: data, as: UTF8.self)) } catch {
      throw BenchOptions.Problem(description: "\(file): \(error)")
    }
  }
}

/// A recursive-descent JSON parser over UTF-8 bytes (nesting limited to 256 levels).
struct JSONTextParser {
  let bytes: [UInt8]
  var at = 0
  var depth = 0

  init(bytes: [UInt8]) { self.bytes = bytes }

  mutating func skipSpace() {
    while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
  }

  private func fail() -> JSONValue.ParseError { JSONValue.ParseError(offset: at) }

  private mutating func expect(_ literal: String) throws(JSONValue.ParseError) {
    for b in literal.utf8 {
      guard at < bytes.count, bytes[at] == b else { throw fail() }
      at += 1
    }
  }

  mutating func value() throws(JSONValue.ParseError) -> JSONValue {
    skipSpace()
    guard at < bytes.count, depth < 256 else { throw fail() }
    switch bytes[at] {
    case UInt8(ascii: "{"):
      at += 1
      depth += 1
      defer { depth -= 1 }
      var members: [(String, JSONValue)] = []
      skipSpace()
      if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
        at += 1
        return .object(members)
      }
      while true {
        skipSpace()
        let key = try string()
        skipSpace()
        try expect(":")
        members.append((key, try value()))
        skipSpace()
        guard at < bytes.count else { throw fail() }
        if bytes[at] == UInt8(ascii: ",") {
          at += 1
        } else if bytes[at] == UInt8(ascii: "}") {
          at += 1
          return .object(members)
        } else {
          throw fail()
        }
      }
    case UInt8(ascii: "["):
      at += 1
      depth += 1
      defer { depth -= 1 }
      var items: [JSONValue] = []
      skipSpace()
      if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
        at += 1
        return .array(items)
      }
      while true {
        items.append(try value())
        skipSpace()
        guard at < bytes.count else { throw fail() }
        if bytes[at] == UInt8(ascii: ",") {
          at += 1
        } else if bytes[at] == UInt8(ascii: "]") {
          at += 1
          return .array(items)
        } else {
          throw fail()
        }
      }
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"):
      try expect("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expect("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expect("null")
      return .null
    default: return try number()
    }
  }

  private mutating func number() throws(JSONValue.ParseError) -> JSONValue {
    let start = at
    var integral = true
    while at < bytes.count {
      let b = bytes[at]
      if (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") {
        at += 1
      } else if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
        integral = false
        at += 1
      } else {
        break
      }
    }
    let text = String(decoding: bytes[start..<at], as: UTF8.self)
    if integral, let n = Int(text) { return .int(n) }
    guard let d = Double(text) else {
      at = start
      throw fail()
    }
    return .double(d)
  }

  private mutating func hex4() throws(JSONValue.ParseError) -> UInt32 {
    guard at + 4 <= bytes.count,
      let v = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16)
    else { throw fail() }
    at += 4
    return v
  }

  private mutating func string() throws(JSONValue.ParseError) -> String {
    guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw fail() }
    at += 1
    var out: [UInt8] = []
    while at < bytes.count {
      let b = bytes[at]
      at += 1
      if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
      guard b == UInt8(ascii: "\\") else {
        out.append(b)
        continue
      }
      guard at < bytes.count else { throw fail() }
      let e = bytes[at]
      at += 1
      switch e {
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "u"):
        var code = try hex4()
        if (0xD800..<0xDC00).contains(code), at + 6 <= bytes.count, bytes[at] == UInt8(ascii: "\\"),
          bytes[at + 1] == UInt8(ascii: "u")
        {
          at += 2
          let low = try hex4()
          code = 0x10000 + ((code - 0xD800) << 10) + (low &- 0xDC00 & 0x3FF)
        }
        out.append(contentsOf: String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8)
      default: out.append(e)
      }
    }
    throw fail()
  }
}
