/// A query that does not follow the syntax, with where and what was expected.
///
/// Both offsets point at the same place of the query string: `scalarOffset` counts Unicode scalars (what a
/// user sees as the column, for Arabic as well as Latin text), `byteOffset` counts UTF-8 bytes.
public struct QueryParseError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, naming what was expected, e.g. `expected a term after 'AND'`.
  public var message: String
  /// 0-based offset of the error in Unicode scalars of the query.
  public var scalarOffset: Int
  /// 0-based offset of the error in UTF-8 bytes of the query.
  public var byteOffset: Int

  public init(message: String, scalarOffset: Int, byteOffset: Int) {
    self.message = message
    self.scalarOffset = scalarOffset
    self.byteOffset = byteOffset
  }

  /// `<message> at position <scalarOffset>`.
  public var description: String { "\(message) at position \(scalarOffset)" }
}
