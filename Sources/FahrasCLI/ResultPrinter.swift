import FahrasSearch

/// Renders search results as text, JSON or TREC run lines.
enum ResultPrinter {
  static func text(_ r: SearchResult, console: Console, explain: [[TermExplanation]]? = nil)
    -> String
  {
    var s = ""
    let count = r.total.map { "\($0) hit\($0 == 1 ? "" : "s")" } ?? "\(r.hits.count) shown"
    s += console.dim("\(count) in \(format2(r.seconds * 1000)) ms") + "\n"
    for n in r.notices { s += console.dim("note: \(n)") + "\n" }
    for (i, h) in r.hits.enumerated() {
      let title = h.title.isEmpty ? "(untitled)" : h.title
      s += "\(h.rank). " + console.dim("[\(format3(h.score))]") + " " + console.bold(title) + "\n"
      s +=
        "   " + console.dim(h.path.isEmpty || h.path == h.id ? h.id : "\(h.id) · \(h.path)") + "\n"
      if let snip = h.snippet, !snip.text.isEmpty {
        let body = snip.rendered(open: console.highlightOpen(), close: console.highlightClose())
        s += "   " + body.replacingNewlines() + "\n"
      }
      if let ex = explain?[i] ?? h.explanation {
        s += explanationText(ex, total: h.score, indent: "   ")
      }
    }
    return s
  }

  static func explanationText(_ ex: [TermExplanation], total: Float, indent: String) -> String {
    var s = "\(indent)score \(format3(total)) = sum of:\n"
    for e in ex {
      s += "\(indent)  \(format3(e.score))  \(e.label.field):\(e.label.term)"
      s +=
        "  [tf \(format2(Double(e.tf))), dl \(format2(Double(e.dl))), avgdl \(format2(Double(e.averageLength))), "
      s +=
        "idf \(format3(e.idf)) (df \(e.docFreq) of \(e.docCount)), boost \(format2(Double(e.boost)))]\n"
    }
    return s
  }

  static func json(_ r: SearchResult, explain: Bool) -> String {
    let hits = r.hits.map { h in
      var pairs: [(String, String)] = [
        ("rank", "\(h.rank)"), ("score", JSON.number(Double(h.score))), ("id", JSON.string(h.id)),
        ("title", JSON.string(h.title)), ("path", JSON.string(h.path)),
        ("snippet", JSON.string(h.snippet?.rendered() ?? "")),
      ]
      if explain, let ex = h.explanation {
        pairs.append(
          (
            "explain",
            JSON.array(
              ex.map { e in
                JSON.object([
                  ("field", JSON.string(e.label.field)), ("term", JSON.string(e.label.term)),
                  ("score", JSON.number(Double(e.score))), ("tf", JSON.number(Double(e.tf))),
                  ("dl", JSON.number(Double(e.dl))),
                  ("avgdl", JSON.number(Double(e.averageLength))),
                  ("idf", JSON.number(Double(e.idf))), ("df", "\(e.docFreq)"),
                ])
              })
          ))
      }
      return JSON.object(pairs)
    }
    return JSON.object([
      ("query", JSON.string(r.query)), ("total", r.total.map { "\($0)" } ?? "null"),
      ("took_ms", JSON.number(r.seconds * 1000)),
      ("notices", JSON.array(r.notices.map(JSON.string))),
      ("hits", JSON.array(hits)),
    ])
  }

  static func trec(_ r: SearchResult, qid: String) -> String {
    // Scores in full (the shortest text that reads back as the same float): trec_eval orders a
    // run by score, not rank, so rounding would turn distinct scores into ties it reorders.
    r.hits.map { "\(qid) Q0 \(trecDocno($0.id)) \($0.rank) \($0.score) fahras" }.joined(
      separator: "\n")
  }
}

/// TREC run files split on whitespace: whitespace inside an id becomes `_`.
func trecDocno(_ id: String) -> String {
  // Printable ASCII (almost every id) has no white space to replace.
  if id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) { return id }
  return String(
    String.UnicodeScalarView(id.unicodeScalars.map { $0.properties.isWhitespace ? "_" : $0 }))
}

func format3(_ f: Float) -> String {
  let r = (Double(f) * 1000).rounded() / 1000
  return "\(r)"
}

extension String {
  func replacingNewlines() -> String {
    String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : $0 }))
  }
}
