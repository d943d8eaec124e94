import FahrasIndex
import Foundation

/// SplitMix64: a small seeded generator, so generated corpora and queries are reproducible.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A fallback corpus generator for machines without python3: Zipf-distributed words of a letter
/// model (Arabic: roots with prefixes ال و ب and suffixes ة ات ين; English: consonant-vowel
/// syllables), titles of 5 to 12 words, bodies of about 40 to 900 words in sentences.
/// Much cruder than tools/gen_corpus.py; it exists so the benchmark always runs.
enum BuiltinCorpus {
  static func write(documents count: Int, language: String, seed: UInt64, to path: String) throws {
    var rng = SplitMix64(seed: seed)
    let arabic = Vocabulary(arabic: true, size: 60_000)
    let english = Vocabulary(arabic: false, size: 40_000)
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let out = FileHandle(forWritingAtPath: path)
    else { throw BenchOptions.Problem(description: "cannot write \(path)") }
    defer { try? out.close() }
    var chunk = ""
    for n in 0..<count {
      let isArabic = language == "ar" || (language == "mixed" && rng.next() % 4 != 0)
      let vocabulary = isArabic ? arabic : english
      let title = vocabulary.sentence(words: 5 + Int(rng.next() % 8), rng: &rng, end: "")
      // Log-normal-ish body length: product of uniforms around a median of ~250 words.
      let scale = Double(rng.next() % 1000) / 1000 + 0.5
      let words = max(40, min(900, Int(250 * scale * scale * scale)))
      var body = ""
      var written = 0
      while written < words {
        let length = min(words - written, 8 + Int(rng.next() % 20))
        if !body.isEmpty { body += written % 120 < length ? "\n\n" : " " }
        body += vocabulary.sentence(words: length, rng: &rng, end: isArabic ? "." : ".")
        written += length
      }
      let id = String(format: "gen-%09d", n)
      chunk +=
        "{\"id\": \"\(id)\", \"title\": \(JSONValue.quoted(title)), \"body\": \(JSONValue.quoted(body))}\n"
      if chunk.utf8.count > 1 << 20 {
        out.write(Data(chunk.utf8))
        chunk = ""
      }
    }
    out.write(Data(chunk.utf8))
  }

  /// Ranked words with Zipf (s = 1) probabilities.
  struct Vocabulary {
    var words: [String]
    var cumulative: [Double]

    init(arabic: Bool, size: Int) {
      var rng = SplitMix64(seed: arabic ? 7 : 11)
      let letters = Array("ابتثجحخدرزسشصضطعغفقكلمنهوي")
      let consonants = Array("bcdfghjklmnprstvwz")
      let vowels = Array("aeiou")
      var seen: Set<String> = []
      var words: [String] = []
      while words.count < size {
        var w = ""
        if arabic {
          let root = (0..<3).map { _ in letters[Int(rng.next() % UInt64(letters.count))] }
          let prefix = ["", "", "", "ال", "و", "ب", "وال", "لل"][Int(rng.next() % 8)]
          let suffix = ["", "", "", "ة", "ات", "ين", "ون", "ها"][Int(rng.next() % 8)]
          let pattern = rng.next() % 3
          w =
            prefix + String(root[0]) + (pattern == 1 ? "ا" : "") + String(root[1])
            + (pattern == 2 ? "ي" : "") + String(root[2]) + suffix
        } else {
          for _ in 0..<(1 + Int(rng.next() % 3)) {
            w.append(consonants[Int(rng.next() % UInt64(consonants.count))])
            w.append(vowels[Int(rng.next() % UInt64(vowels.count))])
          }
          if rng.next() % 2 == 0 {
            w.append(consonants[Int(rng.next() % UInt64(consonants.count))])
          }
        }
        if seen.insert(w).inserted { words.append(w) }
      }
      self.words = words
      var total = 0.0
      cumulative = words.indices.map { r in
        total += 1 / Double(r + 1)
        return total
      }
      cumulative = cumulative.map { $0 / total }
    }

    func word(_ rng: inout SplitMix64) -> String {
      let u = Double(rng.next() >> 11) / Double(1 << 53)
      var lo = 0
      var hi = cumulative.count - 1
      while lo < hi {
        let mid = (lo + hi) / 2
        if cumulative[mid] < u { lo = mid + 1 } else { hi = mid }
      }
      return words[lo]
    }

    func sentence(words count: Int, rng: inout SplitMix64, end: String) -> String {
      (0..<count).map { _ in word(&rng) }.joined(separator: " ") + end
    }
  }
}

/// One benchmark query and its class (`term`, `and`, `or`, `phrase`, …).
struct BenchQuery {
  var klass: String
  var text: String
}

/// Reading query files, and the fallback query sampler.
enum QueryFile {
  /// Reads `class<TAB>query` lines (a line without a tab is class `query`); blank lines are skipped.
  static func read(_ path: String) throws -> [BenchQuery] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw BenchOptions.Problem(description: "cannot read \(path)")
    }
    return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap {
      line in
      let parts = line.split(separator: "\t", maxSplits: 1)
      if parts.count == 2 { return BenchQuery(klass: String(parts[0]), text: String(parts[1])) }
      let text = line.trimmingCharacters(in: .whitespaces)
      return text.isEmpty ? nil : BenchQuery(klass: "query", text: text)
    }
  }

  static func write(_ queries: [BenchQuery], to path: String) throws {
    let text = queries.map { "\($0.klass)\t\($0.text)\n" }.joined()
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }
}

/// A fallback for tools/gen_queries.py: term / AND / OR / phrase queries drawn from up to 3000 evenly
/// spaced documents by document-frequency bands (rare: df < 0.1% of the sample, medium: < 1%,
/// frequent: the rest), never from the 50 most frequent words.
enum BuiltinQueries {
  static func generate(_ documents: [IndexDocument], perClass: Int, seed: UInt64) -> [BenchQuery] {
    guard !documents.isEmpty else { return [] }
    var rng = SplitMix64(seed: seed)
    let step = max(1, documents.count / 3000)
    // Each sampled document as runs of words; a run breaks at anything but spaces.
    var sample: [[[String]]] = []
    var df: [String: Int] = [:]
    for i in stride(from: 0, to: documents.count, by: step) {
      let runs = wordRuns(documents[i].title + "\n" + documents[i].body)
      sample.append(runs)
      for w in Set(runs.joined()) { df[w, default: 0] += 1 }
    }
    let n = Double(sample.count)
    let stop = Set(df.sorted { $0.value > $1.value }.prefix(50).map(\.key))
    var bands: [[String]] = [[], [], []]
    for (w, f) in df where f >= 2 && !stop.contains(w) {
      let fraction = Double(f) / n
      bands[fraction < 0.001 || f < 3 ? 0 : fraction < 0.01 ? 1 : 2].append(w)
    }
    for b in bands.indices { bands[b].sort() }
    let pool = bands.filter { !$0.isEmpty }
    guard !pool.isEmpty else { return [] }
    func randomWord(_ band: Int) -> String {
      let b = pool[band % pool.count]
      return b[Int(rng.next() % UInt64(b.count))]
    }
    var out: [BenchQuery] = []
    func fill(_ klass: String, _ make: (Int) -> String?) {
      var seen: Set<String> = []
      var attempts = 0
      while seen.count < perClass && attempts < perClass * 50 {
        attempts += 1
        if let q = make(seen.count), seen.insert(q).inserted {
          out.append(BenchQuery(klass: klass, text: q))
        }
      }
    }
    fill("term") { i in randomWord(i) }
    fill("and") { _ in
      let doc = Set(sample[Int(rng.next() % UInt64(sample.count))].joined()).filter {
        !stop.contains($0) && (df[$0] ?? 0) >= 2
      }.sorted()
      guard doc.count >= 3 else { return nil }
      let size = 2 + Int(rng.next() % 2)
      var picked: [String] = []
      while picked.count < size {
        let w = doc[Int(rng.next() % UInt64(doc.count))]
        if !picked.contains(w) { picked.append(w) }
      }
      return picked.map { "+" + $0 }.joined(separator: " ")
    }
    fill("or") { _ in
      (0..<(2 + Int(rng.next() % 3))).map { _ in randomWord(Int(rng.next() % 3)) }.joined(
        separator: " ")
    }
    fill("phrase") { _ in
      let runs = sample[Int(rng.next() % UInt64(sample.count))].filter { $0.count >= 3 }
      guard !runs.isEmpty else { return nil }
      let run = runs[Int(rng.next() % UInt64(runs.count))]
      let length = 2 + Int(rng.next() % 2)
      let start = Int(rng.next() % UInt64(run.count - length + 1))
      let words = Array(run[start..<start + length])
      if words.allSatisfy({ stop.contains($0) }) { return nil }
      return "\"" + words.joined(separator: " ") + "\""
    }
    return out
  }

  /// Lower-cased runs of letters (harakat and tatweel dropped); runs break at anything but spaces.
  static func wordRuns(_ text: String) -> [[String]] {
    var runs: [[String]] = [[]]
    var word = String.UnicodeScalarView()
    func endWord() {
      if !word.isEmpty { runs[runs.count - 1].append(String(word).lowercased()) }
      word = String.UnicodeScalarView()
    }
    for scalar in text.unicodeScalars {
      if (0x064B...0x065F).contains(scalar.value) || scalar.value == 0x0640
        || scalar.value == 0x0670
      {
        continue
      }
      if scalar.properties.isAlphabetic {
        word.append(scalar)
      } else {
        endWord()
        if scalar != " " && !(runs.last?.isEmpty ?? true) { runs.append([]) }
      }
    }
    endWord()
    return runs.filter { !$0.isEmpty }
  }
}
