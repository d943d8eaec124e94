import FahrasIndex
import FahrasText
import Foundation

/// `fahras-benchmarks --space-bounds DIR`: how far an index's postings and positions are from what
/// simple statistical models say any lossless coding of the same lists must take.
///
/// The models, per field, summed over its segments (a diagnostic, not a proof of optimality):
/// - **documents**: a list of `df` documents out of `N` is one subset among `C(N, df)`, so it needs
///   `log2 C(N, df)` bits when every subset is equally likely. A `$light` list is a subset of its
///   stem's `$text` list (the stem is found by analyzing the light form), so it needs only
///   `log2 C(df_stem, df)` bits given that list: the model behind derived lists (`docs/FORMAT.md` §8).
///   Lists shared with `$text` cost nothing.
/// - **frequencies**: the zero-order entropy of the field's frequencies over all its postings.
/// - **positions**: a document of span `L` holding `k` positions of a term holds one `k`-subset of
///   `L`, so `log2 C(L, k)` bits; `L` is one past the document's largest `$text` position.
///
/// Real text is bursty and clustered by date and source, so a coder that models this (binary
/// interpolative or context-modelled arithmetic coding) can beat these numbers somewhat; but a coder
/// that keeps blocks, skip data and block-max impacts for fast queries pays above them. The
/// dictionary, lengths and skip data are not modelled: they are reported as they are.
enum SpaceBounds {
  static let flag = "--space-bounds"

  struct FieldBound {
    var documents = 0.0
    var frequencies = 0.0
    var positions = 0.0
    var total: Double { documents + frequencies + positions }

    static func += (a: inout FieldBound, b: FieldBound) {
      a.documents += b.documents
      a.frequencies += b.frequencies
      a.positions += b.positions
    }
  }

  static func main(_ arguments: [String]) -> Int32 {
    guard arguments.count == 1 else {
      FileHandle.standardError.write(
        Data("usage: fahras-benchmarks --space-bounds INDEX_DIR\n".utf8))
      return 2
    }
    do {
      let reader = try IndexReader.open(arguments[0])
      var bounds: [String: FieldBound] = [:]
      var actual: [String: FieldSpace] = [:]
      for segment in reader.segments {
        for (name, space) in try segment.spaceUsage() {
          actual[name, default: FieldSpace()] += space
        }
        for (name, bound) in try measure(segment) { bounds[name, default: FieldBound()] += bound }
      }
      print(report(bounds: bounds, actual: actual))
      return 0
    } catch {
      FileHandle.standardError.write(Data("fahras-benchmarks: \(error)\n".utf8))
      return 1
    }
  }

  /// `log2 C(n, k)`.
  static func log2Binomial(_ n: Int, _ k: Int) -> Double {
    guard k > 0, k < n else { return 0 }
    let (a, b, c) = (Double(n) + 1, Double(k) + 1, Double(n - k) + 1)
    return (lgamma(a) - lgamma(b) - lgamma(c)) / M_LN2
  }

  /// Zero-order entropy, in bits, of a histogram's whole sequence.
  static func entropy(_ histogram: [UInt32: Int]) -> Double {
    let total = Double(histogram.values.reduce(0, +))
    guard total > 0 else { return 0 }
    return histogram.values.reduce(0.0) { sum, n in
      sum - Double(n) * log2(Double(n) / total)
    }
  }

  static func measure(_ segment: SegmentReader) throws -> [String: FieldBound] {
    let n = segment.maxDoc
    // Document spans: one past the largest `$text` position.
    var span = [UInt32](repeating: 0, count: n)
    if let text = segment.field(named: FieldInfo.text) {
      try forEachList(segment, text) { cursor, _, _ in
        while cursor.nextDoc() != PostingsCursor.noMore {
          let p = cursor.positions()
          if let last = p.last { span[Int(cursor.doc)] = max(span[Int(cursor.doc)], last + 1) }
        }
      }
    }
    let analyzer = Analyzer()
    var result: [String: FieldBound] = [:]
    for field in segment.meta.fields where !field.isKeyword {
      var bound = FieldBound()
      var freqs: [UInt32: Int] = [:]
      try forEachList(segment, field) { cursor, term, info in
        if info.sharedPostings { return }
        var universe = n
        if field.name == FieldInfo.light,
          let stem = analyzer.analyze(String(decoding: term, as: UTF8.self)).first,
          !stem.isStopword,
          let text = segment.field(named: FieldInfo.text),
          let base = try segment.dictionary.lookup(field: text.number, term: Array(stem.term.utf8)),
          base.docFreq >= info.docFreq
        {
          universe = base.docFreq
        }
        bound.documents += log2Binomial(universe, info.docFreq)
        while cursor.nextDoc() != PostingsCursor.noMore {
          freqs[cursor.freq, default: 0] += 1
          if field.hasPositions {
            let count = cursor.positions().count
            bound.positions += log2Binomial(Int(max(span[Int(cursor.doc)], 1)), count)
          }
        }
      }
      bound.frequencies = entropy(freqs)
      result[field.name] = bound
    }
    return result
  }

  /// Calls `body` with a cursor for every list of `field` in the segment.
  static func forEachList(
    _ segment: SegmentReader, _ field: FieldInfo,
    _ body: (PostingsCursor, ArraySlice<UInt8>, TermInfo) throws -> Void
  ) throws {
    var it = try segment.dictionary.iterator(from: [UInt8(field.number)])
    while try it.next(), it.field == field.number {
      let cursor = segment.cursor(field: field, info: it.info)
      try body(cursor, it.term, it.info)
      if let bad = cursor.corruption { throw BenchOptions.Problem(description: bad) }
    }
  }

  static func report(bounds: [String: FieldBound], actual: [String: FieldSpace]) -> String {
    func mib(_ bytes: Double) -> String { String(format: "%7.2f", bytes / 1_048_576) }
    var lines = [
      "MiB per field: the index as written, then the models' bound (documents + frequencies,"
        + " positions)",
      "field          dictionary  postings  positions  lengths |  bound: postings  positions"
        + "   postings+positions written / bound",
    ]
    var sums = (written: 0.0, bound: 0.0, all: 0.0)
    for (name, space) in actual.sorted(by: { $0.value.total > $1.value.total }) {
      let b = bounds[name] ?? FieldBound()
      let written = Double(space.postings + space.positions)
      let modelled = b.total / 8
      sums.written += written
      sums.bound += modelled
      sums.all += Double(space.total)
      let ratio = modelled > 0 ? String(format: "%.2f", written / modelled) : "-"
      lines.append(
        name.padding(toLength: 14, withPad: " ", startingAt: 0)
          + " \(mib(Double(space.dictionary)))    \(mib(Double(space.postings)))    "
          + "\(mib(Double(space.positions)))  \(mib(Double(space.norms))) |"
          + "     \(mib((b.documents + b.frequencies) / 8))    \(mib(b.positions / 8))"
          + "      \(ratio)")
    }
    lines.append(
      "all fields: inverted index \(mib(sums.all)) MiB; postings and positions \(mib(sums.written))"
        + " written, \(mib(sums.bound)) at the bound; with the dictionary and lengths as written,"
        + " the bound total is \(mib(sums.all - sums.written + sums.bound)) MiB")
    return lines.joined(separator: "\n")
  }
}
