/// A parsed JSON value (RFC 8259). Objects keep their members in input order, duplicates included.
public enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  /// A number, kept as its literal text so that large integers and identifiers survive exactly.
  case number(JSONNumber)
  case string(String)
  case array([JSONValue])
  case object([JSONMember])

  /// The value of the member called `key` of an object (the LAST one when a key repeats, as JavaScript and
  /// Python do); `nil` for a missing key or a value that is not an object.
  /// - Complexity: O(members).
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.last(where: { $0.key == key })?.value
  }

  /// The element at `index` of an array; `nil` when out of range or not an array.
  public subscript(index: Int) -> JSONValue? {
    guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
    return elements[index]
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  public var numberValue: JSONNumber? {
    if case .number(let n) = self { return n }
    return nil
  }

  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  public var objectValue: [JSONMember]? {
    if case .object(let o) = self { return o }
    return nil
  }

  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// Strings as is, numbers as their literal text, booleans as `true`/`false`; `nil` for null, arrays
  /// and objects.
  public var scalarText: String? {
    switch self {
    case .string(let s): return s
    case .number(let n): return n.text
    case .bool(let b): return b ? "true" : "false"
    case .null, .array, .object: return nil
    }
  }

  /// A short name of the kind of value, for messages ("object", "array", "string", …).
  public var kindName: String {
    switch self {
    case .null: return "null"
    case .bool: return "boolean"
    case .number: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Sendable, Equatable {
  public var key: String
  public var value: JSONValue

  public init(key: String, value: JSONValue) {
    self.key = key
    self.value = value
  }
}

/// A JSON number as written in the input (it always matches the RFC 8259 number grammar when produced by
/// `JSONParser`). Equality compares the text, so `1.0` and `1` differ.
public struct JSONNumber: Sendable, Equatable, Hashable, CustomStringConvertible {
  public var text: String

  public init(text: String) { self.text = text }

  /// The nearest `Double` (±infinity for out-of-range magnitudes).
  public var doubleValue: Double { Double(text) ?? .nan }

  /// The value as an `Int64` when the text is an integer literal that fits.
  public var int64Value: Int64? { Int64(text) }

  public var description: String { text }
}
