import FahrasIndex
import FahrasQuery
import Testing

@testable import FahrasSearch

/// Boolean queries against a brute-force evaluation over each document's words.
@Suite("Boolean semantics against brute force")
struct BooleanSemanticsTests {
  /// A random query and its meaning.
  indirect enum Expr {
    case term(String)
    case group(Kind, [(Prefix, Expr)])

    enum Kind: CaseIterable { case and, or, juxtaposed }
    enum Prefix: CaseIterable { case none, plus, minus, not }

    func render(top: Bool = true) -> String {
      switch self {
      case .term(let w): return w
      case .group(let kind, let clauses):
        let sep = kind == .and ? " AND " : (kind == .or ? " OR " : " ")
        let body = clauses.map { p, e in
          let inner = e.render(top: false)
          switch p {
          case .none: return inner
          case .plus: return "+" + inner
          case .minus: return "-" + inner
          case .not: return "NOT " + inner
          }
        }.joined(separator: sep)
        return top ? body : "(" + body + ")"
      }
    }

    /// The documented meaning: clauses joined by AND (or juxtaposed under the AND default) are
    /// required, by OR (or juxtaposed under OR) optional; `+` requires, `-`/`NOT` exclude. With
    /// required clauses, optional ones only score; without, at least one optional clause must match;
    /// with neither, the group matches every document without the excluded ones.
    func matches(_ words: Set<String>, _ op: DefaultOperator) -> Bool {
      switch self {
      case .term(let w): return words.contains(w)
      case .group(let kind, let clauses):
        var must: [Expr] = []
        var should: [Expr] = []
        var mustNot: [Expr] = []
        for (p, e) in clauses {
          switch p {
          case .plus: must.append(e)
          case .minus, .not: mustNot.append(e)
          case .none:
            if kind == .and || (kind == .juxtaposed && op == .and) {
              must.append(e)
            } else {
              should.append(e)
            }
          }
        }
        if mustNot.contains(where: { $0.matches(words, op) }) { return false }
        if !must.isEmpty { return must.allSatisfy { $0.matches(words, op) } }
        if !should.isEmpty { return should.contains { $0.matches(words, op) } }
        return true
      }
    }
  }

  static func randomExpr(_ vocab: [String], _ rng: inout SearchRNG, depth: Int) -> Expr {
    if depth == 0 || rng.chance(0.35) { return .term(vocab[rng.below(vocab.count)]) }
    let kind = Expr.Kind.allCases[rng.below(3)]
    var clauses: [(Expr.Prefix, Expr)] = []
    for _ in 0..<(1 + rng.below(3)) {
      let r = rng.below(10)
      let p: Expr.Prefix = r < 5 ? .none : (r < 7 ? .minus : (r < 8 ? .not : .plus))
      clauses.append((p, randomExpr(vocab, &rng, depth: depth - 1)))
    }
    return .group(kind, clauses)
  }

  /// The query shapes named in the spec, over random words.
  static func templateExpr(_ vocab: [String], _ rng: inout SearchRNG) -> Expr {
    func w() -> Expr { .term(vocab[rng.below(vocab.count)]) }
    switch rng.below(8) {
    case 0: return .group(.juxtaposed, [(.plus, w()), (.plus, w())])  // +a +b
    case 1: return .group(.and, [(.none, w()), (.none, w())])  // a AND b
    case 2: return .group(.juxtaposed, [(.none, w()), (.minus, w())])  // a -b
    case 3:  // (a OR b) AND c
      return .group(.and, [(.none, .group(.or, [(.none, w()), (.none, w())])), (.none, w())])
    case 4: return .group(.juxtaposed, [(.not, w())])  // NOT a
    case 5: return .group(.juxtaposed, [(.minus, w()), (.minus, w())])  // -a -b
    case 6: return .group(.juxtaposed, [(.plus, w()), (.none, w()), (.minus, w())])  // +a b -c
    default: return .group(.juxtaposed, [(.none, w()), (.none, w()), (.none, w())])  // a b c
    }
  }

  @Test(
    "random boolean queries match exactly the brute-force documents",
    arguments: [101, 202, 303] as [UInt64])
  func randomBoolean(seed: UInt64) throws {
    var rng = SearchRNG(seed: seed)
    let corpus = PlainCorpus(
      count: 90, vocabulary: 9, bodyWords: 6, titleWords: 2, skew: 1.3, seed: seed)
    let index = try TestIndex(tag: "bool")
    for (i, d) in corpus.documents.enumerated() {
      try index.add(d)
      if i % 30 == 29 { try index.commit() }
      if rng.chance(0.1) { try index.delete("d\(rng.below(i + 1))") }
    }
    let searcher = try index.finish()
    #expect(searcher.reader.segments.count >= 3)
    let words = index.live.mapValues { DocumentWords($0).all }
    let vocab = corpus.vocabulary + ["zqvvvv"]  // one word in no document
    for q in 0..<150 {
      let expr =
        q % 2 == 0 ? Self.templateExpr(vocab, &rng) : Self.randomExpr(vocab, &rng, depth: 3)
      let text = expr.render()
      for op in [DefaultOperator.or, .and] {
        let expected = Set(words.filter { expr.matches($0.value, op) }.keys)
        for pruning in [true, false] {
          let r = try searcher.search(text, options: .test(pruning: pruning, defaultOperator: op))
          let got = Set(r.hits.map(\.id))
          #expect(
            got == expected,
            "\(text) [\(op)] pruning=\(pruning): extra \(got.subtracting(expected).sorted()) missing \(expected.subtracting(got).sorted())"
          )
          #expect(r.total == expected.count, "\(text) [\(op)]: total")
          #expect(r.hits.count == Set(r.hits.map(\.id)).count, "\(text): a document returned twice")
        }
        let counted = try searcher.search(text, options: .test(mode: .count, defaultOperator: op))
        #expect(counted.total == expected.count, "\(text) [\(op)]: count mode")
      }
    }
  }

  @Test("a required clause weighs in the score, an optional one only adds")
  func requiredAndOptionalScores() throws {
    let docs = [
      IndexDocument(id: "ab", title: "", body: "zqb zqc"),
      IndexDocument(id: "a", title: "", body: "zqb zqd"),
      IndexDocument(id: "b", title: "", body: "zqc zqd"),
    ]
    let (index, searcher) = try makeIndex("reqopt", docs)
    _ = index
    let r = try searcher.search("+zqb zqc", options: .test())
    #expect(r.hits.map(\.id) == ["ab", "a"])
    let both = try searcher.search("zqb zqc", options: .test())
    // The document matching both gets the same score either way.
    #expect(r.hits.first?.score == both.hits.first { $0.id == "ab" }?.score)
    let and = try searcher.search("zqb zqc", options: .test(defaultOperator: .and))
    #expect(and.hits.map(\.id) == ["ab"])
  }

  /// A required clause that matches nothing must make the whole query match nothing: a prefix or
  /// fuzzy term with no expansion is not a stopword to be dropped.
  @Test("a required prefix with no expansion matches nothing")
  func requiredEmptyExpansion() throws {
    let docs = [
      IndexDocument(id: "1", title: "", body: "zqb zqc"),
      IndexDocument(id: "2", title: "", body: "zqb"),
    ]
    let (index, searcher) = try makeIndex("emptyexp", docs)
    _ = index
    #expect(
      try searcher.ids("zqb AND zqxxx*").isEmpty,
      "zqxxx* expands to nothing, so zqb AND zqxxx* matches nothing")
    #expect(try searcher.ids("+zqb +zqxxx*").isEmpty)
    #expect(try searcher.ids("zqb zqxxx*", .test(defaultOperator: .and)).isEmpty)
    #expect(try searcher.ids("zqb AND zqxxxxx~1").isEmpty)
    // Optional or excluded, an empty expansion changes nothing.
    #expect(try searcher.ids("zqb zqxxx*") == ["1", "2"])
    #expect(try searcher.ids("zqb -zqxxx*") == ["1", "2"])
  }

  /// A group `("x" OR y*)` made required must still mean "x or y*", even when it happens to hold one
  /// `$text` term and one `$light` term (the shape of a plain word's stem + light pair).
  @Test("a required group of a one-word phrase and a one-term prefix keeps its OR meaning")
  func requiredGroupIsNotAStemLightPair() throws {
    let docs = [
      IndexDocument(id: "x", title: "", body: "zqb zqk"),
      IndexDocument(id: "y", title: "", body: "zqcd zqk"),
      IndexDocument(id: "none", title: "", body: "zqb zqcd"),
    ]
    let (index, searcher) = try makeIndex("pair", docs)
    _ = index
    // zqc* expands to exactly one term (zqcd).
    #expect(try searcher.ids("zqc*") == ["y", "none"])
    #expect(try searcher.ids(#"("zqb" OR zqc*) AND zqk"#) == ["x", "y"])
    #expect(try searcher.ids(#"+("zqb" zqc*) +zqk"#) == ["x", "y"])
    #expect(try searcher.ids(#"(title:zqb OR zqc*) AND zqk"#) == ["y"])
  }

  @Test("pure negative queries match every live document without the term")
  func pureNegative() throws {
    let docs = [
      IndexDocument(id: "1", title: "", body: "zqb"),
      IndexDocument(id: "2", title: "zqc", body: ""),
      IndexDocument(id: "3", title: "", body: "zqd"),
      IndexDocument(id: "4", title: "", body: ""),
    ]
    let index = try TestIndex(tag: "neg")
    try index.add(docs)
    try index.delete("3")
    let searcher = try index.finish()
    let r = try searcher.search("NOT zqb", options: .test())
    #expect(Set(r.hits.map(\.id)) == ["2", "4"])
    #expect(r.total == 2)
    #expect(r.hits.allSatisfy { $0.score == r.hits[0].score })
    #expect(try searcher.ids("-zqb -zqc") == ["4"])
    #expect(try searcher.ids("-zqnothing") == ["1", "2", "4"])
  }
}
