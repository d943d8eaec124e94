import FahrasText

enum AnalyzeCommand {
  static func run(_ args: ParsedArguments, _ console: Console) throws -> Int32 {
    guard !args.positionals.isEmpty else {
      throw UsageError(message: "analyze needs TEXT", command: "analyze")
    }
    let text = args.positionals.joined(separator: " ")
    let tokens = Analyzer().analyze(text)
    let scalars = Array(text.unicodeScalars)
    func slice(_ t: Token) -> String {
      var s = String.UnicodeScalarView()
      s.append(contentsOf: scalars[t.startScalar..<t.endScalar])
      return String(s)
    }
    if args.has("json") {
      console.line(
        JSON.array(
          tokens.map { t in
            JSON.object([
              ("term", JSON.string(t.term)), ("light", JSON.string(t.light)),
              ("position", "\(t.position)"),
              ("start", "\(t.startScalar)"), ("end", "\(t.endScalar)"),
              ("text", JSON.string(slice(t))),
              ("stopword", t.isStopword ? "true" : "false"),
            ])
          }))
    } else {
      for t in tokens {
        let stop = t.isStopword ? "  (stopword)" : ""
        console.line(
          "\(t.position)\t\(t.startScalar)-\(t.endScalar)\t\(slice(t))\t→ \(t.term)\t[light \(t.light)]\(stop)"
        )
      }
    }
    return 0
  }
}
