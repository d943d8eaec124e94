/// A document as the index receives it.
///
/// `title` and `body` are analyzed into the default search field; every entry of `fields` becomes a
/// field of its own, searchable by name (`source:okaz`) and stored. `id` is the unique key used for
/// updates and deletes; `path` names the file the document came from (several documents may share a
/// path, e.g. the lines of a JSON Lines file), and is used to delete a changed file's documents.
public struct IndexDocument: Sendable, Equatable {
  public var id: String
  public var path: String
  public var title: String
  public var body: String
  public var fields: [Field]

  public struct Field: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
      self.name = name
      self.value = value
    }
  }

  public init(id: String, path: String = "", title: String, body: String, fields: [Field] = []) {
    self.id = id
    self.path = path
    self.title = title
    self.body = body
    self.fields = fields
  }

  /// Rough in-memory cost, used for the indexing memory budget.
  var approximateBytes: Int {
    id.utf8.count + path.utf8.count + title.utf8.count + body.utf8.count
      + fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
  }
}
