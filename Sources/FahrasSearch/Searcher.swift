import FahrasIndex
import FahrasQuery
import FahrasStorage
import FahrasText

/// How to run a query.
public struct SearchOptions: Sendable {
  public enum Mode: Sendable { case top, count, both }
  public var k: Int = 10
  public var defaultOperator: DefaultOperator = .or
  public var parameters = BM25Parameters()
  public var mode: Mode = .both
  public var snippets = true
  /// Characters of original text around the best passage.
  public var snippetLength = 220
  public var explain = false
  /// Prune disjunctions with block-max bounds (false: score every matching document; for tests).
  public var pruning = true
  /// The pruning algorithm for disjunctions of two or more words (one word always walks its
  /// blocks directly). Block-max MaxScore is the default: faster here for two to four words.
  public var disjunction: DisjunctionAlgorithm = .maxScore
  /// Read each hit's stored id, title and path (false: hits carry segment and doc only; what
  /// `fahras bench` measures, like other engines' benchmarks).
  public var loadDocuments = true
  /// With `loadDocuments`: read only each hit's id (what a TREC run needs), not its title and path.
  /// Ignored when snippets are on.
  public var idsOnly = false
  public init() {}
}

/// Dynamic pruning algorithms for disjunctions.
public enum DisjunctionAlgorithm: String, Sendable, CaseIterable {
  /// Block-max MaxScore (`BlockMaxMaxScore`).
  case maxScore = "maxscore"
  /// Block-max WAND (`BlockMaxWAND`).
  case wand
}

/// One result.
public struct SearchHit: Sendable {
  public var rank: Int
  public var score: Float
  public var segment: Int
  public var doc: Int
  public var id: String
  public var title: String
  public var path: String
  public var snippet: Snippet?
  public var explanation: [TermExplanation]?
}

public struct SearchResult: Sendable {
  public var query: String
  /// Exact number of matching live documents (nil in `top` mode, which does not count).
  public var total: Int?
  public var seconds: Double
  public var hits: [SearchHit]
  /// Things the user should know (expansions capped, stopword-only query…).
  public var notices: [String]
}

public enum SearchError: Error, CustomStringConvertible {
  case syntax(QueryParseError)
  case plan(QueryPlanError)
  case corrupt(String)
  public var description: String {
    switch self {
    case .syntax(let e): return "query error: \(e.description)"
    case .plan(let e): return "query error: \(e.message)"
    case .corrupt(let m): return "index error: \(m)"
    }
  }
}

/// Runs queries against one immutable `IndexReader` snapshot. Immutable and `Sendable`: any number
/// of threads may search through one `Searcher` at once.
public final class Searcher: Sendable {
  public let reader: IndexReader
  let analyzer = Analyzer()
  let titleStats: (docCount: Int, sum: Double)
  let bodyStats: (docCount: Int, sum: Double)

  public init(reader: IndexReader) {
    self.reader = reader
    var tc = 0
    var ts = 0.0
    var bc = 0
    var bs = 0.0
    for s in reader.segments {
      for d in 0..<s.maxDoc {
        let t = Double(s.lengths.titleLength(doc: d))
        let full = Double(s.lengths.length(field: 0, doc: d))
        let b = full - Double(Segment.titleWeight) * t
        if t > 0 {
          tc += 1
          ts += t
        }
        if b > 0 {
          bc += 1
          bs += b
        }
      }
    }
    titleStats = (tc, ts)
    bodyStats = (bc, bs)
  }

  /// Parses and runs `query`.
  public func search(_ query: String, options: SearchOptions = SearchOptions()) throws(SearchError)
    -> SearchResult
  {
    let start = Clock.now()
    let node: QueryNode
    do {
      node = try QueryParser(defaultOperator: options.defaultOperator).parse(query)
    } catch { throw .syntax(error) }
    var planner = QueryPlanner(analyzer: analyzer, reader: reader)
    let plan: QueryPlan
    do { plan = try planner.plan(node) } catch { throw .plan(error) }
    var result = try execute(plan, options: options)
    result.query = query
    result.notices =
      reader.damagedNewerCommits.map {
        "a newer commit is damaged (\($0)); showing commit \(reader.manifest.generation)"
      } + planner.notices
    if options.snippets || options.explain {
      for i in result.hits.indices {
        try decorate(&result.hits[i], plan: plan, options: options)
      }
    }
    result.seconds = Clock.now() - start
    return result
  }

  // MARK: - Statistics

  struct TermStats {
    var docFreq = 0
    /// Segment 0's dictionary entry, and those of the other segments (so that a one-segment
    /// index allocates nothing here).
    private var first: TermInfo?
    private var rest: [TermInfo?] = []
    private var segments = 0

    mutating func append(_ info: TermInfo?) {
      if segments == 0 { first = info } else { rest.append(info) }
      segments += 1
    }

    /// The term's dictionary entry in segment `si`.
    func info(_ si: Int) -> TermInfo? { si == 0 ? first : rest[si - 1] }
  }

  private func fieldStats(_ ref: TermRef) -> (docCount: Int, averageLength: Float) {
    switch ref.filter {
    case .title:
      return (
        titleStats.docCount,
        titleStats.docCount > 0 ? Float(titleStats.sum / Double(titleStats.docCount)) : 0
      )
    case .body:
      return (
        bodyStats.docCount,
        bodyStats.docCount > 0 ? Float(bodyStats.sum / Double(bodyStats.docCount)) : 0
      )
    case .none:
      let s = reader.fieldStatistics(ref.field)
      return (s.docCount, s.docCount > 0 ? Float(Double(s.sumLength) / Double(s.docCount)) : 0)
    }
  }

  /// Document frequency over all segments, and each segment's dictionary entry. For `title:` and
  /// `body:` terms the frequency counts documents with an occurrence in that part (a positions scan).
  private func termStats(_ key: TermStatsKey) throws(SearchError) -> TermStats {
    var stats = TermStats()
    for s in reader.segments {
      guard let f = s.field(named: key.field) else {
        stats.append(nil)
        continue
      }
      do {
        let info = try s.dictionary.lookup(field: f.number, term: key.term)
        stats.append(info)
        guard let info else { continue }
        if key.filter == .none || !f.hasPositions {
          stats.docFreq += info.docFreq
        } else {
          let c = s.cursor(field: f, info: info)
          while c.nextDoc() != PostingsCursor.noMore {
            let start = s.lengths.bodyStart(doc: Int(c.doc))
            if c.positions().contains(where: { ($0 < start) == (key.filter == .title) }) {
              stats.docFreq += 1
            }
          }
          if let bad = c.corruptDetail {
            throw StorageError.corrupt(file: c.corruptFile, detail: bad)
          }
        }
      } catch { throw .corrupt("\(error)") }
    }
    return stats
  }

  // MARK: - Execution

  /// Scorers of a plan on one segment, sharing global statistics.
  final class Context {
    var stats: [TermStatsKey: TermStats] = [:]
    var phraseStats: [String: (Float, Int)] = [:]
  }

  func execute(_ plan: QueryPlan, options: SearchOptions) throws(SearchError) -> SearchResult {
    let ctx = Context()
    ctx.stats.reserveCapacity(8)
    try plan.forEachTermRef { ref throws(SearchError) in
      let key = ref.statsKey
      if ctx.stats[key] == nil { ctx.stats[key] = try termStats(key) }
    }
    var topK = TopK(k: options.mode == .count ? 0 : options.k)
    var total: Int? = options.mode == .top ? nil : 0
    for (si, seg) in reader.segments.enumerated() {
      if options.mode != .count {
        try collectTopK(plan, seg, si, ctx, options, into: &topK)
      }
      if total != nil {
        total! += try count(plan, seg, si, ctx, options)
      }
    }
    var hits: [SearchHit] = []
    let best = topK.sorted()
    hits.reserveCapacity(best.count)
    for (rank, e) in best.enumerated() {
      let seg = reader.segments[Int(e.segment)]
      var stored = StoredDocument(id: "", path: "", title: "", body: "", fields: [])
      do {
        if options.snippets || (options.loadDocuments && !options.idsOnly) {
          stored = try seg.document(Int(e.doc))
        } else if options.loadDocuments {
          stored.id = try seg.documentID(Int(e.doc))
        }
      } catch { throw .corrupt(error.description) }
      hits.append(
        SearchHit(
          rank: rank + 1, score: e.score, segment: Int(e.segment), doc: Int(e.doc), id: stored.id,
          title: stored.title, path: stored.path, snippet: nil, explanation: nil))
    }
    return SearchResult(query: "", total: total, seconds: 0, hits: hits, notices: [])
  }

  /// Adds one segment's best documents for `plan` to `topK`, through the first top-k path that
  /// takes the plan's shape (docs/SCORING.md §8), or by evaluating its scorer tree.
  private func collectTopK(
    _ plan: QueryPlan, _ seg: SegmentReader, _ si: Int, _ ctx: Context, _ options: SearchOptions,
    into topK: inout TopK
  ) throws(SearchError) {
    let segmentIndex = Int32(si)
    /// Fails the search with the first corruption any of `scorers` met.
    func check(_ scorer: Scorer) throws(SearchError) {
      if let bad = scorer.corruption { throw .corrupt("segment \(seg.info.name): \(bad)") }
    }
    func check(_ scorers: [Scorer]) throws(SearchError) {
      for s in scorers { try check(s) }
    }
    func check(_ words: [BlockMaxWAND.Word], _ excluded: [Scorer]) throws(SearchError) {
      for w in words {
        try check(w.main)
        if let l = w.light { try check(l) }
      }
      try check(excluded)
    }
    if options.pruning, let (words, excluded) = pureDisjunction(plan, seg, si, ctx, options) {
      BlockMaxWAND.run(
        words: words, excluded: excluded, segment: seg, segmentIndex: segmentIndex,
        algorithm: options.disjunction, topK: &topK)
      try check(words, excluded)
    } else if options.pruning, let shape = pureConjunction(plan, seg, si, ctx, options) {
      // A word without a document in this segment: nothing here can match.
      guard case .words(let words, let excluded) = shape else { return }
      BlockMaxConjunction.run(
        words: words, excluded: excluded, segment: seg, segmentIndex: segmentIndex, topK: &topK)
      try check(words, excluded)
    } else if options.pruning,
      let (clauses, excluded) = mixedDisjunction(plan, seg, si, ctx, options)
    {
      ClauseMaxScore.run(
        clauses: clauses, excluded: excluded, segment: seg, segmentIndex: segmentIndex,
        topK: &topK)
      try check(clauses + excluded)
    } else if options.pruning,
      let shape = requiredWordsWithOptionalWords(plan, seg, si, ctx, options)
    {
      // A required word has no document in this segment: nothing here can match.
      guard let (words, requiredCount, excluded) = shape else { return }
      BlockMaxWAND.run(
        words: words, excluded: excluded, segment: seg, segmentIndex: segmentIndex,
        algorithm: .maxScore, requiredCount: requiredCount, topK: &topK)
      try check(words, excluded)
    } else if options.pruning, let shape = requiredOptional(plan, seg, si, ctx, options) {
      // A required clause without a document in this segment: nothing here can match.
      guard let (required, optional, excluded) = shape else { return }
      ClauseMaxScore.run(
        required: required, optional: optional, excluded: excluded, segment: seg,
        segmentIndex: segmentIndex, topK: &topK)
      try check([required] + optional + excluded)
    } else if let root = scorer(plan, seg, si, ctx, options) {
      // A phrase alone can skip documents that cannot enter the top k.
      let phrase = options.pruning ? root as? PhraseScorer : nil
      phrase?.minCompetitiveScore = topK.threshold
      while root.nextDoc() != Scorer.noMore {
        if seg.isDeleted(Int(root.doc)) { continue }
        topK.insert(.init(score: root.score(), segment: segmentIndex, doc: root.doc))
        phrase?.minCompetitiveScore = topK.threshold
      }
      try check(root)
    }
  }

  /// Exact number of live matches in one segment.
  private func count(
    _ plan: QueryPlan, _ seg: SegmentReader, _ si: Int, _ ctx: Context, _ options: SearchOptions
  ) throws(SearchError) -> Int {
    if let (words, excluded) = pureDisjunction(plan, seg, si, ctx, options), excluded.isEmpty {
      // One word in a segment without deletes: its stem's document frequency is the count.
      if words.count == 1 && seg.deletes == nil { return words[0].main.cursor.docFreq }
      // Union through a bitset: sequential decoding, no heap.
      var bits = [UInt64](repeating: 0, count: (seg.maxDoc + 64) / 64)
      // A word matches where its stemmed term does.
      for w in words {
        let c = w.main.cursor
        while c.nextDoc() != Scorer.noMore { bits[Int(c.doc) >> 6] |= 1 << UInt64(c.doc & 63) }
        if let bad = c.corruption { throw .corrupt("segment \(seg.info.name): \(bad)") }
      }
      if let d = seg.deletes {
        d.bits.withUnsafeBufferPointer { db in
          for i in 0..<db.count { bits[i >> 3] &= ~(UInt64(db[i]) << UInt64((i & 7) * 8)) }
        }
      }
      return bits.reduce(0) { $0 + $1.nonzeroBitCount }
    }
    guard let root = scorer(plan, seg, si, ctx, options) else { return 0 }
    var n = 0
    while root.nextDoc() != Scorer.noMore {
      if !seg.isDeleted(Int(root.doc)) { n += 1 }
    }
    if let bad = root.corruption { throw .corrupt("segment \(seg.info.name): \(bad)") }
    return n
  }

  /// The plan's scorers when it is a plain disjunction of unfiltered terms and word groups (with
  /// exclusions): each word is its stemmed-term scorer plus, optionally, its light-form scorer.
  private func pureDisjunction(
    _ plan: QueryPlan, _ seg: SegmentReader, _ si: Int, _ ctx: Context, _ options: SearchOptions
  ) -> ([BlockMaxWAND.Word], [Scorer])? {
    var clauses: [QueryPlan] = []
    var excludedPlans: [QueryPlan] = []
    switch plan {
    case .term, .termGroup: clauses = [plan]
    case .boolean(let m, let s, let n, let b) where m.isEmpty && b == 1 && !s.isEmpty:
      clauses = s
      excludedPlans = n
    default: return nil
    }
    guard clauses.allSatisfy(Self.isWord) else { return nil }
    let words = clauses.compactMap { word($0, seg, si, ctx, options) }
    let excluded = scorers(excludedPlans, seg, si, ctx, options)
    return (words, excluded)
  }

  /// The clauses' scorers of a disjunction of two or more clauses of any kind (with exclusions)
  /// that the word-only paths do not take, for `ClauseMaxScore`. Clauses without a match in the
  /// segment are left out, as the exhaustive `DisjunctionScorer` leaves them out.
  private func mixedDisjunction(
    _ plan: QueryPlan, _ seg: SegmentReader, _ si: Int, _ ctx: Context, _ options: SearchOptions
  ) -> ([Scorer], [Scorer])? {
    guard case .boolean(let must, let should, let mustNot, let boost) = plan, must.isEmpty,
      boost == 1, should.count >= 2
    else { return nil }
    return (scorers(should, seg, si, ctx, options), scorers(mustNot, seg, si, ctx, options))
  }

  /// The words of `+a +b c …` when every required and every optional clause is a word: the
  /// required words first (in clause order, so that scores sum as the exhaustive
  /// `RequiredOptionalScorer` over a conjunction sums them), then the optional ones, and the
  /// number of required words. `.some(nil)` when a required word has no document in the segment.
  private func requiredWordsWithOptionalWords(
    _ plan: QueryPlan, _ seg: SegmentReader, _ si: Int, _ ctx: Context, _ options: SearchOptions
  ) -> ([BlockMaxWAND.Word], Int, [Scorer])?? {
    guard case .boolean(let must, let should, let mustNot, let boost) = plan, !must.isEmpty,
      !should.isEmpty, boost == 1, must.allSatisfy(Self.isWord), should.allSatisfy(Self.isWord)
    else { return nil }
    var required: [BlockMaxWAND.Word] = []
    for clause in must {
      guard let w = word(clause, seg, si, ctx, options) else { return .some(nil) }
      required.append(w)
    }
    let optional = should.compactMap { word($0, seg, si, ctx, options) }
    let excluded = scorers(mustNot, seg, si, ctx, options)
    return .some((required + optional, required.count, excluded))
  }

  /// The required scorer (one clause, or the conjunction of several), the optional clauses'
  /// scorers and the exclusions of `+a b c`-shaped queries, for `ClauseMaxScore`; `.some(nil)` when
  /// a required clause has no document in the segment; nil for other shapes.
  private func requiredOptional(
    _ plan: QueryPlan, _ seg: SegmentReader, _ si: Int, _ ctx: Context, _ options: SearchOptions
  ) -> (Scorer, [Scorer], [Scorer])?? {
    guard case .boolean(let must, let should, let mustNot, let boost) = plan, !must.isEmpty,
      !should.isEmpty, boost == 1
    else { return nil }
    guard let required = requiredScorer(must, seg, si, ctx, options) else { return .some(nil) }
    return .some(
      (required, scorers(should, seg, si, ctx, options), scorers(mustNot, seg, si, ctx, options)))
  }

  /// The scorer of non-empty required clauses: the clause's own, or the conjunction of theirs; nil
  /// when one of them has no document in the segment (nothing can match there).
  private func requiredScorer(
    _ must: [QueryPlan], _ seg: SegmentReader, _ si: Int, _ ctx: Context, _ options: SearchOptions
  ) -> Scorer? {
    var required: [Scorer] = []
    for m in must {
      guard let s = scorer(m, seg, si, ctx, options) else { return nil }
      required.append(s)
    }
    return required.count == 1 ? required[0] : ConjunctionScorer(required)
  }

  /// The scorers of `plans` that have documents in the segment, in order.
  private func scorers(
    _ plans: [QueryPlan], _ seg: SegmentReader, _ si: Int, _ ctx: Context, _ options: SearchOptions
  ) -> [Scorer] {
    plans.compactMap { scorer($0, seg, si, ctx, options) }
  }

  /// What a plain conjunction of unfiltered words (with exclusions) is in one segment.
  enum ConjunctionShape {
    /// Every word has documents here: its stem scorer and, optionally, its light-form scorer.
    case words([BlockMaxWAND.Word], excluded: [Scorer])
    /// A word has no document in this segment, so neither has the conjunction.
    case noMatch
  }

  /// The plan's words when it is a conjunction of two or more unfiltered terms or word groups
  /// (`+a +b`, or `a b` with AND as the default operator), optionally with exclusions; nil otherwise.
  private func pureConjunction(
    _ plan: QueryPlan, _ seg: SegmentReader, _ si: Int, _ ctx: Context, _ options: SearchOptions
  ) -> ConjunctionShape? {
    guard case .boolean(let must, let should, let mustNot, let boost) = plan, should.isEmpty,
      boost == 1, must.count >= 2
    else { return nil }
    guard must.allSatisfy(Self.isWord) else { return nil }
    var words: [BlockMaxWAND.Word] = []
    for c in must {
      guard let w = word(c, seg, si, ctx, options) else { return .noMatch }
      words.append(w)
    }
    let excluded = scorers(mustNot, seg, si, ctx, options)
    return .words(words, excluded: excluded)
  }

  /// Whether the pruned paths take `clause` as a word: an unfiltered term or a word group.
  private static func isWord(_ clause: QueryPlan) -> Bool {
    switch clause {
    case .term(let r): return r.filter == .none
    case .termGroup: return true
    default: return false
    }
  }

  /// A word clause's scorers in one segment: its stem's (or term's) and, optionally, its light
  /// form's. Nil when the stem has no document in the segment.
  private func word(
    _ clause: QueryPlan, _ seg: SegmentReader, _ si: Int, _ ctx: Context, _ options: SearchOptions
  ) -> BlockMaxWAND.Word? {
    switch clause {
    case .term(let r):
      guard let t = termScorer(r, seg, si, ctx, options) as? TermScorer else { return nil }
      return .init(main: t, light: nil)
    case .termGroup(let main, let light):
      guard let t = termScorer(main, seg, si, ctx, options) as? TermScorer else { return nil }
      return .init(
        main: t, light: termScorer(light, seg, si, ctx, options) as? TermScorer,
        lightSharedWithStopword: light.sharedWithStopwords)
    default: return nil
    }
  }

  private func termScorer(
    _ ref: TermRef, _ seg: SegmentReader, _ si: Int, _ ctx: Context, _ options: SearchOptions
  ) -> Scorer? {
    guard let st = ctx.stats[ref.statsKey], let info = st.info(si),
      let field = seg.field(named: ref.field)
    else { return nil }
    let fs = fieldStats(ref)
    let idf = BM25Parameters.idf(docFreq: st.docFreq, docCount: max(fs.docCount, 1))
    let filter: TermScorer.PositionFilter =
      ref.filter == .title ? .title : (ref.filter == .body ? .body : .none)
    return TermScorer(
      cursor: seg.cursor(field: field, info: info), segment: seg, field: field, label: ref.label,
      idf: idf,
      boost: ref.boost, docFreq: st.docFreq, docCount: fs.docCount, averageLength: fs.averageLength,
      parameters: options.parameters, filter: filter)
  }

  func scorer(
    _ plan: QueryPlan, _ seg: SegmentReader, _ si: Int, _ ctx: Context, _ options: SearchOptions
  ) -> Scorer? {
    switch plan {
    case .matchNone, .nothing: return nil
    case .termGroup(let main, let light):
      guard let m = termScorer(main, seg, si, ctx, options) else { return nil }
      guard let l = termScorer(light, seg, si, ctx, options) else { return m }
      return RequiredOptionalScorer(required: m, optional: [l])
    case .term(let ref): return termScorer(ref, seg, si, ctx, options)
    case .phrase(let field, let terms, let offsets, let slop, let filter, let boost, let label):
      guard let f = seg.field(named: field), f.hasPositions else { return nil }
      var cursors: [PostingsCursor] = []
      var idf: Float = 0
      let ref0 = TermRef(field: field, term: terms[0], filter: filter, boost: boost, label: label)
      let fs = fieldStats(ref0)
      for t in terms {
        let ref = TermRef(field: field, term: t, filter: filter, boost: boost, label: label)
        guard let st = ctx.stats[ref.statsKey], let info = st.info(si) else { return nil }
        cursors.append(seg.cursor(field: f, info: info))
        idf += BM25Parameters.idf(docFreq: st.docFreq, docCount: max(fs.docCount, 1))
      }
      let pf: TermScorer.PositionFilter =
        filter == .title ? .title : (filter == .body ? .body : .none)
      return PhraseScorer(
        cursors: cursors, terms: terms, offsets: offsets, slop: slop, segment: seg, field: f,
        label: label, idf: idf, boost: boost,
        docCount: fs.docCount, averageLength: fs.averageLength, parameters: options.parameters,
        filter: pf)
    case .boolean(let must, let should, let mustNot, let boost):
      var required: Scorer? = nil
      if !must.isEmpty {
        guard let r = requiredScorer(must, seg, si, ctx, options) else { return nil }
        required = r
      }
      let opt = scorers(should, seg, si, ctx, options)
      let excl = scorers(mustNot, seg, si, ctx, options)
      var base: Scorer
      if let required {
        base = required
        if !opt.isEmpty { base = RequiredOptionalScorer(required: base, optional: opt) }
      } else if opt.isEmpty {
        guard !mustNot.isEmpty, should.isEmpty else { return nil }
        base = MatchAllScorer(maxDoc: seg.maxDoc, score: 1)
      } else {
        base = opt.count == 1 ? opt[0] : DisjunctionScorer(opt)
      }
      if !excl.isEmpty { base = ExclusionScorer(required: base, excluded: excl) }
      if boost != 1 { base = BoostScorer(base, boost: boost) }
      return base
    }
  }

  // MARK: - Snippets and explanations

  private func decorate(_ hit: inout SearchHit, plan: QueryPlan, options: SearchOptions)
    throws(SearchError)
  {
    let seg = reader.segments[hit.segment]
    if options.snippets {
      let stored: StoredDocument
      do { stored = try seg.document(hit.doc) } catch { throw .corrupt(error.description) }
      let refs = plan.positiveTermRefs
      let highlighter = Highlighter(analyzer: analyzer, refs: refs)
      hit.snippet = highlighter.snippet(
        stored.body.isEmpty ? stored.title : stored.body, length: options.snippetLength)
    }
    if options.explain {
      hit.explanation = explain(plan, segment: hit.segment, doc: UInt32(hit.doc), options: options)
    }
  }

  /// Each matching leaf's contribution to `doc`'s score.
  func explain(_ plan: QueryPlan, segment si: Int, doc: UInt32, options: SearchOptions)
    -> [TermExplanation]
  {
    let seg = reader.segments[si]
    let ctx = Context()
    for ref in plan.termRefs where ctx.stats[ref.statsKey] == nil {
      ctx.stats[ref.statsKey] = try? termStats(ref.statsKey)
    }
    guard let root = scorer(plan, seg, si, ctx, options) else { return [] }
    var out: [TermExplanation] = []
    for leaf in root.leaves {
      if leaf.advance(to: doc) == doc, let e = leaf.explain(doc: doc) { out.append(e) }
    }
    return out
  }

  /// Explains hit `hit` of `query` (for `:explain N` and `--explain`).
  public func explain(query: String, hit: SearchHit, options: SearchOptions) throws(SearchError)
    -> [TermExplanation]
  {
    let node: QueryNode
    do { node = try QueryParser(defaultOperator: options.defaultOperator).parse(query) } catch {
      throw .syntax(error)
    }
    var planner = QueryPlanner(analyzer: analyzer, reader: reader)
    let plan: QueryPlan
    do { plan = try planner.plan(node) } catch { throw .plan(error) }
    return explain(plan, segment: hit.segment, doc: UInt32(hit.doc), options: options)
  }
}

/// Monotonic seconds.
enum Clock {
  static func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }
}

#if canImport(Glibc)
  import Glibc
#endif
