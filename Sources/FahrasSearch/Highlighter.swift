import FahrasIndex
import FahrasText

/// A passage of a document's original text with the query's words marked.
public struct Snippet: Sendable, Equatable {
  /// The original text of the passage, exactly as stored (never normalized).
  public var text: String
  /// Byte ranges (UTF-8, into `text`) of matched words.
  public var highlights: [Range<Int>]
  /// The passage does not start at the beginning / end at the end of the text.
  public var clippedStart: Bool
  public var clippedEnd: Bool

  /// The passage with each match wrapped in `open` / `close` and "…" where clipped.
  public func rendered(open: String = "**", close: String = "**") -> String {
    var out = clippedStart ? "…" : ""
    let bytes = Array(text.utf8)
    var at = 0
    for h in highlights {
      out += String(decoding: bytes[at..<h.lowerBound], as: UTF8.self)
      out += open + String(decoding: bytes[h], as: UTF8.self) + close
      at = h.upperBound
    }
    out += String(decoding: bytes[at...], as: UTF8.self)
    if clippedEnd { out += "…" }
    return out
  }
}

/// Picks the best passage of a text for a query and marks the matching words.
///
/// The text is re-analyzed with the index analyzer, so a token matches exactly when the index
/// would match it (same folding, same stem); its offsets point into the original, un-normalized
/// text, so the passage and its marks never split a letter from its marks. The passage is the
/// window of at most `length` characters with the most distinct matched terms (then the most
/// matches), starting and ending on word boundaries.
struct Highlighter {
  let analyzer: Analyzer
  let stems: Set<String>
  let lights: Set<String>

  init(analyzer: Analyzer, refs: [TermRef]) {
    self.analyzer = analyzer
    var stems: Set<String> = []
    var lights: Set<String> = []
    for r in refs {
      let t = String(decoding: r.term, as: UTF8.self)
      if r.field == FieldInfo.text {
        stems.insert(t)
      } else if r.field == FieldInfo.light {
        lights.insert(t)
      }
    }
    self.stems = stems
    self.lights = lights
  }

  /// Texts longer than this are searched for a passage chunk by chunk.
  static let chunkBytes = 64 << 10

  /// The best passage of `text`. A text over `chunkBytes` (a split part of a huge document can hold
  /// 8 MiB) is analyzed in chunks of about that size, cut at white space, in order; the first chunk
  /// whose passage holds every query word ends the search, otherwise the best chunk's passage wins.
  /// This bounds the work for the usual case, where the words occur early, instead of analyzing
  /// megabytes for every hit.
  func snippet(_ text: String, length: Int) -> Snippet {
    let utf8 = text.utf8
    guard utf8.count > Self.chunkBytes else { return passage(text, length: length).snippet }
    let wanted = stems.count
    var best: (snippet: Snippet, distinct: Int, total: Int)? = nil
    var start = utf8.startIndex
    while start < utf8.endIndex {
      var cut =
        utf8.index(start, offsetBy: Self.chunkBytes, limitedBy: utf8.endIndex) ?? utf8.endIndex
      if cut < utf8.endIndex {
        // Back to white space within the last 4 KiB, else to a scalar boundary.
        var probe = cut
        var steps = 0
        while probe > start && steps < 4096 {
          let b = utf8[utf8.index(before: probe)]
          if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D { break }
          probe = utf8.index(before: probe)
          steps += 1
        }
        if probe > start && steps < 4096 {
          cut = probe
        } else {
          while cut > start && utf8[cut] & 0xC0 == 0x80 { cut = utf8.index(before: cut) }
        }
      }
      let chunk = String(Substring(text.utf8[start..<cut]))
      var found = passage(chunk, length: length)
      found.snippet.clippedStart = found.snippet.clippedStart || start > utf8.startIndex
      found.snippet.clippedEnd = found.snippet.clippedEnd || cut < utf8.endIndex
      if best == nil || found.distinct > best!.distinct
        || (found.distinct == best!.distinct && found.total > best!.total)
      {
        best = found
      }
      if wanted > 0 && found.distinct >= wanted { break }
      start = cut
    }
    return best!.snippet
  }

  /// The best passage of `text` with its number of distinct matched terms and of matches.
  private func passage(_ text: String, length: Int) -> (
    snippet: Snippet, distinct: Int, total: Int
  ) {
    let tokens = analyzer.analyze(text)
    let bytes = Array(text.utf8)
    guard !tokens.isEmpty else {
      let end = prefixEnd(bytes, maxScalars: length)
      return (
        Snippet(
          text: String(decoding: bytes[0..<end], as: UTF8.self), highlights: [],
          clippedStart: false, clippedEnd: end < bytes.count), 0, 0
      )
    }
    let matched: [String?] = tokens.map { t in
      if !t.isStopword && stems.contains(t.term) { return t.term }
      if lights.contains(t.light) { return t.light }
      return nil
    }
    // Best window by (distinct matches, matches), earliest on ties.
    var best = (start: 0, end: 0, distinct: -1, total: -1)
    var i = 0
    while i < tokens.count {
      if i > 0 && matched[i] == nil && best.distinct > 0 {
        i += 1
        continue
      }
      var seen: Set<String> = []
      var total = 0
      var j = i
      while j < tokens.count && tokens[j].endScalar - tokens[i].startScalar <= length {
        if let m = matched[j] {
          seen.insert(m)
          total += 1
        }
        j += 1
      }
      let end = max(i, j - 1)
      if seen.count > best.distinct || (seen.count == best.distinct && total > best.total) {
        best = (i, end, seen.count, total)
      }
      if best.distinct > 0 && matched[i] == nil { i += 1 } else { i += 1 }
    }
    // Center a little context before the first match when there is room.
    var startToken = best.start
    let used = tokens[best.end].endScalar - tokens[best.start].startScalar
    var spare = length - used
    while startToken > 0 && spare > 0 {
      let w = tokens[startToken].startScalar - tokens[startToken - 1].startScalar
      if w > spare / 3 + 1 { break }
      spare -= w
      startToken -= 1
    }
    var endToken = best.end
    while endToken + 1 < tokens.count
      && tokens[endToken + 1].endScalar - tokens[startToken].startScalar <= length
    {
      endToken += 1
    }
    let startByte = startToken == 0 ? 0 : tokens[startToken].startByte
    let endByte = endToken == tokens.count - 1 ? bytes.count : tokens[endToken].endByte
    var highlights: [Range<Int>] = []
    for k in startToken...endToken where matched[k] != nil {
      highlights.append((tokens[k].startByte - startByte)..<(tokens[k].endByte - startByte))
    }
    let passage = String(decoding: bytes[startByte..<endByte], as: UTF8.self)
    return (
      Snippet(
        text: passage.trimmingNewlines(), highlights: adjust(highlights, passage),
        clippedStart: startByte > 0,
        clippedEnd: endByte < bytes.count), max(best.distinct, 0), max(best.total, 0)
    )
  }

  /// Byte index after at most `maxScalars` scalars.
  private func prefixEnd(_ bytes: [UInt8], maxScalars: Int) -> Int {
    var n = 0
    var i = 0
    while i < bytes.count {
      if bytes[i] & 0xC0 != 0x80 {
        if n == maxScalars { return i }
        n += 1
      }
      i += 1
    }
    return bytes.count
  }

  /// Shifts highlight ranges after leading newlines were trimmed.
  private func adjust(_ h: [Range<Int>], _ passage: String) -> [Range<Int>] {
    let lead = passage.utf8.prefix { $0 == 10 || $0 == 13 }.count
    return h.map { ($0.lowerBound - lead)..<($0.upperBound - lead) }
  }
}

extension String {
  func trimmingNewlines() -> String {
    var u = Substring(self).utf8[...]
    while let f = u.first, f == 10 || f == 13 { u = u.dropFirst() }
    while let l = u.last, l == 10 || l == 13 { u = u.dropLast() }
    return String(Substring(u))
  }
}
