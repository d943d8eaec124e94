// libFuzzer target: the query parser (FahrasQuery) on arbitrary bytes.
//
// Every input must parse or throw `QueryParseError`; neither may trap. A parsed tree must print
// (`description`) as syntax that parses back to the same tree (the property QueryNode+Description
// documents), so a round-trip failure is reported as a crash too.
import FahrasQuery

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  for op in [DefaultOperator.or, .and] {
    let parser = QueryParser(defaultOperator: op, maxClauses: 64, maxDepth: 16, maxQueryBytes: 4096)
    let node: QueryNode
    do {
      node = try parser.parse(text)
    } catch {
      _ = error.description
      continue
    }
    let printed = node.description
    do {
      let again = try QueryParser().parse(printed)
      if again != node {
        fatalError(
          "round trip changed the tree: \(text.debugDescription) -> \(printed.debugDescription)")
      }
    } catch {
      fatalError(
        "printed form does not parse: \(text.debugDescription) -> \(printed.debugDescription): \(error)"
      )
    }
  }
  return 0
}
