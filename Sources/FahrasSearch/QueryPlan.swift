import FahrasIndex
import FahrasQuery
import FahrasText

/// One indexed term of one index field, as a query leaf.
struct TermRef {
  /// Index field (`$text`, `$light`, or a JSON field name).
  var field: String
  var term: [UInt8]
  var filter: Filter
  var boost: Float
  var label: QueryTermLabel
  /// A word's `$light` term that is also a stopword's light form (`Analyzer.isStopwordLightForm`).
  var sharedWithStopwords = false

  enum Filter: Hashable { case none, title, body }

  /// What statistics depend on: field and term (not boost, filter or label).
  var statsKey: TermStatsKey { TermStatsKey(field: field, term: term, filter: filter) }
}

/// Key of per-query term statistics. Hashes only the term's bytes (String hashing normalizes,
/// which is slow) and compares the field name on equality.
struct TermStatsKey: Hashable {
  var field: String
  var term: [UInt8]
  /// `title:` / `body:` terms count documents within that part only.
  var filter: TermRef.Filter
  func hash(into h: inout Hasher) {
    term.withUnsafeBytes { h.combine(bytes: $0) }
  }
  static func == (a: TermStatsKey, b: TermStatsKey) -> Bool {
    a.term == b.term && a.field == b.field && a.filter == b.filter
  }
}

/// A query after analysis: index fields and terms, still independent of segments.
indirect enum QueryPlan {
  case term(TermRef)
  case phrase(
    field: String, terms: [[UInt8]], offsets: [Int], slop: Int, filter: TermRef.Filter,
    boost: Float, label: QueryTermLabel)
  case boolean(must: [QueryPlan], should: [QueryPlan], mustNot: [QueryPlan], boost: Float)
  /// One default-field word: documents with its stemmed term (`main`) match; its light form
  /// (`light`, at half weight) adds to their score. (A document holding the light form of a word
  /// also holds its stem, which is computed from the light form.)
  case termGroup(main: TermRef, light: TermRef)
  /// Ignored: a clause that vanished in analysis (punctuation only, a stopword). Dropped by parents.
  case matchNone
  /// Matches no document, and is not dropped: a required clause of this kind empties its group
  /// (a prefix or fuzzy term with no expansion).
  case nothing

  var isEmpty: Bool {
    switch self {
    case .matchNone: return true
    case .nothing, .termGroup: return false
    case .boolean(let m, let s, let n, _): return m.isEmpty && s.isEmpty && n.isEmpty
    default: return false
    }
  }

  /// Every term leaf (phrase terms included), for statistics and highlighting.
  var termRefs: [TermRef] {
    var out: [TermRef] = []
    forEachTermRef { out.append($0) }
    return out
  }

  /// Calls `body` with every term leaf, in clause order (required, optional, then excluded),
  /// without building intermediate arrays.
  func forEachTermRef<E: Error>(_ body: (TermRef) throws(E) -> Void) throws(E) {
    switch self {
    case .term(let t): try body(t)
    case .phrase(let f, let terms, _, _, let filter, let boost, let label):
      for t in terms {
        try body(TermRef(field: f, term: t, filter: filter, boost: boost, label: label))
      }
    case .boolean(let m, let s, let n, _):
      for c in m { try c.forEachTermRef(body) }
      for c in s { try c.forEachTermRef(body) }
      for c in n { try c.forEachTermRef(body) }
    case .termGroup(let a, let b):
      try body(a)
      try body(b)
    case .matchNone, .nothing: return
    }
  }

  /// Positive term leaves only (excluded clauses left out), for highlighting.
  var positiveTermRefs: [TermRef] {
    switch self {
    case .boolean(let m, let s, _, _): return (m + s).flatMap(\.positiveTermRefs)
    default: return termRefs
    }
  }
}

/// Errors in a query that parsed but cannot run (unknown field, bad expansion).
public struct QueryPlanError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}

/// Turns a parsed query into a plan: runs every term through the analyzer, maps user fields to
/// index fields and expands prefix and fuzzy terms through the term dictionaries.
struct QueryPlanner {
  let analyzer: Analyzer
  let reader: IndexReader
  /// Weight of the light-form field beside the stemmed one (see `docs/SCORING.md`).
  static let lightWeight: Float = 0.5
  static let maxPrefixExpansions = 1024
  static let maxFuzzyExpansions = 50
  /// Upper bound on dictionary entries a prefix or fuzzy expansion visits per segment.
  static let maxScannedTerms = 2_000_000

  var notices: [String] = []
  /// Stopword leaves seen (used when the query has nothing else).
  var stopwords: [TermRef] = []
  var hasContentTerm = false
  /// How many excluded (mustNot) clauses enclose the node being planned: stopwords there are not
  /// collected for the stopword-only fallback.
  private var negated = 0

  init(analyzer: Analyzer, reader: IndexReader) {
    self.analyzer = analyzer
    self.reader = reader
  }

  mutating func plan(_ node: QueryNode) throws(QueryPlanError) -> QueryPlan {
    let p = try plan(node, field: nil)
    if !hasContentTerm && !stopwords.isEmpty {
      notices.append("the query has only stopwords; matching them as written")
      var excluded: [QueryPlan] = []
      if case .boolean(_, _, let n, _) = p { excluded = n }
      return .boolean(must: [], should: stopwords.map { .term($0) }, mustNot: excluded, boost: 1)
    }
    return p
  }

  /// Adds a planned child to a boolean's clause lists according to its occurrence.
  /// Returns false when a required child matches nothing (the whole group then matches nothing).
  private func add(
    _ p: QueryPlan, _ occur: Occur, must: inout [QueryPlan], should: inout [QueryPlan],
    mustNot: inout [QueryPlan]
  ) -> Bool {
    switch p {
    case .matchNone: return true
    case .nothing: return occur != .must
    case .termGroup(let main, _):
      switch occur {
      case .should: should.append(p)
      case .must: must.append(p)
      case .mustNot: mustNot.append(.term(main))
      }
    case .boolean(let m, let s, let n, let b)
    where occur == .should && m.isEmpty && n.isEmpty && b == 1:
      // Flatten plain disjunctions so every engine sums the same leaves in the same order.
      should.append(contentsOf: s)
    default:
      if p.isEmpty { return true }
      switch occur {
      case .should: should.append(p)
      case .must: must.append(p)
      case .mustNot: mustNot.append(p)
      }
    }
    return true
  }

  private func resolve(_ field: String?) throws(QueryPlanError) -> (
    index: String, filter: TermRef.Filter, user: String
  ) {
    switch field {
    case nil: return (FieldInfo.text, .none, "text")
    case "title": return (FieldInfo.text, .title, "title")
    case "body": return (FieldInfo.text, .body, "body")
    case let f?:
      guard reader.fieldNames.contains(f) else {
        throw QueryPlanError(
          message: "unknown field '\(f)' (fields: \(reader.fieldNames.joined(separator: ", ")))")
      }
      return (f, .none, f)
    }
  }

  private mutating func plan(_ node: QueryNode, field inherited: String?) throws(QueryPlanError)
    -> QueryPlan
  {
    switch node {
    case .term(let field, let text, let boost):
      let f = try resolve(field ?? inherited)
      let tokens = analyzer.analyze(text)
      if tokens.count > 1 { return phrase(tokens, f, slop: 0, boost: boost, source: text) }
      guard let t = tokens.first else { return .matchNone }
      let label = QueryTermLabel(field: f.user, term: t.term, source: text)
      if t.isStopword {
        if negated == 0 {
          stopwords.append(
            TermRef(
              field: FieldInfo.light, term: Array(t.light.utf8), filter: .none, boost: boost,
              label: QueryTermLabel(field: "light", term: t.light, source: text)))
        }
        return .matchNone
      }
      if negated == 0 { hasContentTerm = true }
      let main = TermRef(
        field: f.index, term: Array(t.term.utf8), filter: f.filter, boost: boost, label: label)
      if f.index == FieldInfo.text && f.filter == .none {
        var light = TermRef(
          field: FieldInfo.light, term: Array(t.light.utf8), filter: .none,
          boost: boost * QueryPlanner.lightWeight,
          label: QueryTermLabel(field: "light", term: t.light, source: text))
        light.sharedWithStopwords = Analyzer.isStopwordLightForm(light.term)
        return .termGroup(main: main, light: light)
      }
      return .term(main)

    case .phrase(let field, let text, let slop, let boost):
      let f = try resolve(field ?? inherited)
      let tokens = analyzer.analyze(text)
      return phrase(tokens, f, slop: slop, boost: boost, source: text)

    case .prefix(let field, let text, let boost):
      let f = try resolve(field ?? inherited)
      return expand(text, f, boost: boost, fuzzy: nil)

    case .fuzzy(let field, let text, let maxEdits, let boost):
      let f = try resolve(field ?? inherited)
      return expand(text, f, boost: boost, fuzzy: maxEdits)

    case .boolean(let clauses, let boost):
      var must: [QueryPlan] = []
      var should: [QueryPlan] = []
      var mustNot: [QueryPlan] = []
      var satisfiable = true
      for c in clauses {
        if c.occur == .mustNot { negated += 1 }
        let p = try plan(c.node, field: inherited)
        if c.occur == .mustNot { negated -= 1 }
        if !add(p, c.occur, must: &must, should: &should, mustNot: &mustNot) { satisfiable = false }
      }
      if !satisfiable { return .nothing }
      if must.isEmpty && mustNot.isEmpty && should.count == 1 && boost == 1 { return should[0] }
      return .boolean(must: must, should: should, mustNot: mustNot, boost: boost)
    }
  }

  /// A default-field term group (stemmed ∨ light) made required: the stemmed form must match, the
  /// light form only adds to the score.
  private func requiring(_ p: QueryPlan) -> QueryPlan {
    if case .boolean(let m, let s, let n, let b) = p, m.isEmpty, n.isEmpty, b == 1, s.count == 2,
      case .term(let main) = s[0], case .term(let light) = s[1], light.field == FieldInfo.light,
      main.field == FieldInfo.text
    {
      return .boolean(must: [.term(main)], should: [.term(light)], mustNot: [], boost: 1)
    }
    return p
  }

  private mutating func phrase(
    _ tokens: [Token], _ f: (index: String, filter: TermRef.Filter, user: String), slop: Int,
    boost: Float,
    source: String
  ) -> QueryPlan {
    let content = tokens.filter { !$0.isStopword }
    guard let first = content.first else {
      for t in tokens where negated == 0 {
        stopwords.append(
          TermRef(
            field: FieldInfo.light, term: Array(t.light.utf8), filter: .none, boost: boost,
            label: QueryTermLabel(field: "light", term: t.light, source: source)))
      }
      return .matchNone
    }
    if negated == 0 { hasContentTerm = true }
    let label = QueryTermLabel(
      field: f.user, term: content.map(\.term).joined(separator: " "), source: source)
    if content.count == 1 {
      return .term(
        TermRef(
          field: f.index, term: Array(first.term.utf8), filter: f.filter, boost: boost, label: label
        ))
    }
    return .phrase(
      field: f.index, terms: content.map { Array($0.term.utf8) },
      offsets: content.map { $0.position - first.position },
      slop: slop, filter: f.filter, boost: boost, label: label)
  }

  /// Prefix (`fuzzy == nil`) or fuzzy expansion over the dictionary, scored as a disjunction of terms.
  /// Default-field expansions run over the light forms (words as written, not stems).
  private mutating func expand(
    _ text: String, _ f: (index: String, filter: TermRef.Filter, user: String), boost: Float,
    fuzzy: Int?
  ) -> QueryPlan {
    let tokens = analyzer.analyze(text)
    guard let last = tokens.last else { return .matchNone }
    if negated == 0 { hasContentTerm = true }
    // Default-field expansions run over `$light` (words as written, article stripped); fields
    // without a light form are expanded over their own (stemmed) terms with the light form.
    let useLight = f.index == FieldInfo.text && f.filter == .none
    let field = useLight ? FieldInfo.light : f.index
    // light10 keeps the article when too little would remain (الك*); indexed words long enough
    // lost theirs, so also expand on the remainder.
    var stems: [[UInt8]] = [Array(last.light.utf8)]
    for article in ["وال", "بال", "كال", "فال", "ال", "لل"] where last.light.hasPrefix(article) {
      let rest = String(last.light.dropFirst(article.count))
      if !rest.isEmpty { stems.append(Array(rest.utf8)) }
      break
    }
    var found: [[UInt8]: (df: Int, distance: Int)] = [:]
    var truncated = false
    for stem in stems {
      for seg in reader.segments {
        guard let fi = seg.field(named: field) else { continue }
        var start: [UInt8] = [UInt8(fi.number)]
        if fuzzy == nil { start.append(contentsOf: stem) }
        guard var it = try? seg.dictionary.iterator(from: start) else { continue }
        // Fuzzy: the walk shares rows between neighbouring terms and seeks past prefixes that
        // cannot match (`FuzzyTermWalk`).
        var walk = fuzzy.map { FuzzyTermWalk(target: stem, maxEdits: $0) }
        // A key prefix no match can start with, and how many keys under it were passed over. A
        // seek (a binary search and a block scan) costs about as much as reading 20 entries, so
        // the walk steps over the first few and seeks only when a branch turns out to be long.
        var dead: [UInt8]? = nil
        var passed = 0
        var scanned = 0
        while (try? it.next()) == true, it.field == fi.number {
          scanned += 1
          if scanned > QueryPlanner.maxScannedTerms {
            truncated = true
            break
          }
          if let p = dead {
            if it.key.starts(with: p) {
              passed += 1
              if passed >= 16 {
                dead = nil
                guard let next = FuzzyTermWalk.successor(ofPrefix: p),
                  let seek = try? seg.dictionary.iterator(from: next)
                else { break }
                it = seek
              }
              continue
            }
            dead = nil
          }
          let term = it.term
          if walk != nil {
            let v = walk!.visit(term)
            if let d = v.distance { found[Array(term), default: (0, d)].df += it.info.docFreq }
            if let length = v.deadPrefix {
              dead = Array(it.key.prefix(1 + length))
              passed = 0
            }
          } else {
            guard term.starts(with: stem) else { break }
            found[Array(term), default: (0, 0)].df += it.info.docFreq
          }
        }
      }
    }
    var ranked = found.sorted { a, b in
      a.value.distance != b.value.distance
        ? a.value.distance < b.value.distance
        : (a.value.df != b.value.df
          ? a.value.df > b.value.df : a.key.lexicographicallyPrecedes(b.key))
    }
    let cap = fuzzy == nil ? QueryPlanner.maxPrefixExpansions : QueryPlanner.maxFuzzyExpansions
    let what = fuzzy == nil ? "\(text)*" : "\(text)~\(fuzzy!)"
    if ranked.count > cap {
      notices.append("\(what) matches \(ranked.count) terms; using the \(cap) most frequent")
      ranked = Array(ranked.prefix(cap))
    }
    if truncated {
      notices.append(
        "\(what): stopped scanning the dictionary after \(QueryPlanner.maxScannedTerms) terms")
    }
    let refs: [QueryPlan] = ranked.map { e in
      let s = String(decoding: e.key, as: UTF8.self)
      return .term(
        TermRef(
          field: field, term: e.key, filter: useLight ? .none : f.filter, boost: boost,
          label: QueryTermLabel(field: f.user, term: s, source: what)))
    }
    if refs.isEmpty { return .nothing }
    return .boolean(must: [], should: refs, mustNot: [], boost: 1)
  }
}
