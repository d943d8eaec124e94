/// Documents matching every sub-scorer (leapfrog: the cheapest leads, the others seek to it).
final class ConjunctionScorer: Scorer {
  let scorers: [Scorer]
  /// Clause order for summing scores (deterministic, independent of cost order).
  let clauseOrder: [Scorer]

  init(_ scorers: [Scorer]) {
    clauseOrder = scorers
    self.scorers = scorers.sorted { $0.cost < $1.cost }
  }

  override var maxScore: Float { scorers.reduce(0) { $0 + $1.maxScore } }
  override var cost: Int { scorers.first?.cost ?? 0 }
  override var corruption: String? { scorers.lazy.compactMap(\.corruption).first }
  override var leaves: [LeafScorer] { clauseOrder.flatMap(\.leaves) }

  override func nextDoc() -> UInt32 { align(scorers[0].advance(to: nextTarget)) }
  override func advance(to target: UInt32) -> UInt32 {
    if doc != Scorer.unpositioned && doc >= target { return doc }
    return align(scorers[0].advance(to: target))
  }

  private func align(_ start: UInt32) -> UInt32 {
    var target = start
    outer: while target != Scorer.noMore {
      for j in 1..<scorers.count {
        let d = scorers[j].advance(to: target)
        if d > target {
          target = scorers[0].advance(to: d)
          continue outer
        }
      }
      doc = target
      return doc
    }
    doc = Scorer.noMore
    return doc
  }

  override func score() -> Float {
    var s: Float = 0
    for c in clauseOrder { s += c.score() }
    return s
  }
}

/// Documents matching at least one sub-scorer; the score sums the matching ones.
final class DisjunctionScorer: Scorer {
  let scorers: [Scorer]

  init(_ scorers: [Scorer]) { self.scorers = scorers }

  override var maxScore: Float { scorers.reduce(0) { $0 + $1.maxScore } }
  override var cost: Int { scorers.reduce(0) { $0 + $1.cost } }
  override var corruption: String? { scorers.lazy.compactMap(\.corruption).first }
  override var leaves: [LeafScorer] { scorers.flatMap(\.leaves) }

  override func nextDoc() -> UInt32 { advance(to: nextTarget) }

  override func advance(to target: UInt32) -> UInt32 {
    if doc != Scorer.unpositioned && doc >= target { return doc }
    var m = Scorer.noMore
    for s in scorers {
      var d = s.doc
      if d == Scorer.unpositioned || d < target { d = s.advance(to: target) }
      m = min(m, d)
    }
    doc = m
    return doc
  }

  override func score() -> Float {
    var s: Float = 0
    for c in scorers where c.doc == doc { s += c.score() }
    return s
  }
}

/// Required documents that match none of the excluded scorers.
final class ExclusionScorer: Scorer {
  let required: Scorer
  let excluded: [Scorer]

  init(required: Scorer, excluded: [Scorer]) {
    self.required = required
    self.excluded = excluded
  }

  override var maxScore: Float { required.maxScore }
  override var cost: Int { required.cost }
  override var corruption: String? {
    required.corruption ?? excluded.lazy.compactMap(\.corruption).first
  }
  override var leaves: [LeafScorer] { required.leaves }

  override func nextDoc() -> UInt32 { settle(required.nextDoc()) }
  override func advance(to target: UInt32) -> UInt32 {
    if doc != Scorer.unpositioned && doc >= target { return doc }
    return settle(required.advance(to: target))
  }

  private func settle(_ start: UInt32) -> UInt32 {
    var d = start
    while d != Scorer.noMore && isExcluded(d) { d = required.nextDoc() }
    doc = d
    return d
  }

  func isExcluded(_ d: UInt32) -> Bool {
    for e in excluded {
      var x = e.doc
      if x == Scorer.unpositioned || x < d { x = e.advance(to: d) }
      if x == d { return true }
    }
    return false
  }

  override func score() -> Float { required.score() }
}

/// Required documents, scored with optional scorers added where they match too.
final class RequiredOptionalScorer: Scorer {
  let required: Scorer
  let optional: [Scorer]

  init(required: Scorer, optional: [Scorer]) {
    self.required = required
    self.optional = optional
  }

  override var maxScore: Float { required.maxScore + optional.reduce(0) { $0 + $1.maxScore } }
  override var cost: Int { required.cost }
  override var corruption: String? {
    required.corruption ?? optional.lazy.compactMap(\.corruption).first
  }
  override var leaves: [LeafScorer] { required.leaves + optional.flatMap(\.leaves) }

  override func nextDoc() -> UInt32 {
    doc = required.nextDoc()
    return doc
  }
  override func advance(to target: UInt32) -> UInt32 {
    doc = required.advance(to: target)
    return doc
  }

  override func score() -> Float {
    var s = required.score()
    for o in optional {
      var x = o.doc
      if x == Scorer.unpositioned || x < doc { x = o.advance(to: doc) }
      if x == doc { s += o.score() }
    }
    return s
  }
}

/// Every document, with a constant score (for purely negative queries such as `-a`).
final class MatchAllScorer: Scorer {
  let maxDoc: UInt32
  let constant: Float
  init(maxDoc: Int, score: Float) {
    self.maxDoc = UInt32(maxDoc)
    constant = score
  }
  override var maxScore: Float { constant }
  override var cost: Int { Int(maxDoc) }
  override func nextDoc() -> UInt32 { advance(to: nextTarget) }
  override func advance(to target: UInt32) -> UInt32 {
    doc = target < maxDoc ? target : Scorer.noMore
    return doc
  }
  override func score() -> Float { constant }
}

/// A scorer whose document scores are multiplied by a boost (boosted groups).
final class BoostScorer: Scorer {
  let inner: Scorer
  let boost: Float
  init(_ inner: Scorer, boost: Float) {
    self.inner = inner
    self.boost = boost
  }
  override var maxScore: Float { inner.maxScore * boost }
  override var cost: Int { inner.cost }
  override var corruption: String? { inner.corruption }
  override var leaves: [LeafScorer] { inner.leaves }
  override func nextDoc() -> UInt32 {
    doc = inner.nextDoc()
    return doc
  }
  override func advance(to target: UInt32) -> UInt32 {
    doc = inner.advance(to: target)
    return doc
  }
  override func score() -> Float { inner.score() * boost }
}
