import FahrasIndex
import FahrasText
import Foundation
import Testing

@testable import FahrasSearch

/// The seed article (Shoigu in Pyongyang) among distractors that share some of its words.
@Suite("The seed article")
struct SeedArticleSearchTests {
  static func seedDocument() throws -> IndexDocument {
    let tests = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
      .deletingLastPathComponent()
    let url = tests.deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("seeds/000_52f18522089cecc5.txt")
    let text = try String(contentsOf: url, encoding: .utf8)
    let newline = try #require(text.firstIndex(of: "\n"))
    return IndexDocument(
      id: "seed", path: url.path, title: String(text[..<newline]),
      body: String(text[text.index(after: newline)...]))
  }

  static let distractors: [IndexDocument] = [
    IndexDocument(
      id: "korea-tech", title: "كوريا الجنوبية تستضيف معرضا دوليا للتقنية",
      body: """
        افتتح في العاصمة سول معرض دولي للتقنية بمشاركة مئات الشركات من آسيا وأوروبا، وعرضت الشركات أحدث \
        الهواتف والحواسيب والسيارات الكهربائية. وقال المنظمون إن المعرض يجذب كل عام آلاف الزوار من داخل \
        كوريا وخارجها، وإن الدورة الحالية تركز على الذكاء الاصطناعي والطاقة النظيفة وصناعة الرقائق \
        الإلكترونية. وأضافوا أن الحكومة تدعم الشركات الناشئة بقروض ميسرة وبرامج تدريب للشباب.
        """),
    IndexDocument(
      id: "foreign-minister", title: "وزير الخارجية يلتقي نظيره الياباني",
      body: """
        التقى وزير الخارجية اليوم نظيره الياباني في طوكيو، وبحث الجانبان العلاقات الثنائية والتجارة \
        والاستثمار. وتناول اللقاء كذلك قضايا الأمن الإقليمي والدفاع عن حرية الملاحة في الممرات البحرية، \
        واتفق الوزيران على عقد اجتماع جديد في الخريف المقبل لمتابعة ما تم الاتفاق عليه.
        """),
    IndexDocument(
      id: "exports", title: "الحكومة تطلق برنامجا للصادرات الزراعية",
      body: """
        أعلنت وزارة الزراعة إطلاق برنامج جديد يهدف إلى تعزيز الصادرات الزراعية وفتح أسواق جديدة أمام \
        المنتجات المحلية، وذلك بالتعاون مع الغرف التجارية واتحادات المزارعين. ويشمل البرنامج دعم التعبئة \
        والتغليف وتحسين سلاسل التبريد والنقل، إضافة إلى تدريب المصدرين على معايير الجودة المطلوبة في \
        الأسواق الأوروبية والآسيوية. وتوقع مسؤولون أن ترتفع قيمة الصادرات خلال السنوات الثلاث المقبلة.
        """),
    IndexDocument(
      id: "football", title: "منتخب الشباب يخسر مباراة ودية",
      body: """
        خسر منتخب الشباب مباراة ودية أمام فريق من بيونغ يانغ بهدفين مقابل هدف واحد، في إطار استعداداته \
        للبطولة الآسيوية. وقال المدرب إن اللاعبين قدموا أداء جيدا في الشوط الأول قبل أن يتراجع المستوى \
        بسبب الإرهاق.
        """),
    IndexDocument(
      id: "kremlin", title: "تغييرات في قيادة الجيش",
      body: """
        أعلن الكرملين تعيين وزير جديد للدفاع خلفا لسيرغي شويغو الذي انتقل إلى منصب أمين مجلس الأمن، في \
        خطوة وصفها مراقبون بأنها تهدف إلى تحسين إدارة الإنفاق العسكري.
        """),
    IndexDocument(
      id: "weather", title: "Weather update",
      body:
        "Heavy rain is expected across the northern region this weekend, with strong winds near the coast."
    ),
  ]

  @Test(
    "each query returns the seed article first, with the right words marked",
    arguments: [
      ("كوريا الشمالية", ["seed", "korea-tech"]),
      (#""وزير الدفاع""#, ["seed"]),
      ("شويغو AND بيونغ", ["seed"]),
      ("تعاون*", ["seed", "exports"]),
      ("تعزيز", ["seed", "exports"]),
    ])
  func seedFirst(query: String, expected: [String]) throws {
    let seed = try Self.seedDocument()
    let index = try TestIndex(tag: "seed")
    try index.add(Array(Self.distractors[0..<3]))
    try index.commit()
    try index.add(seed)
    try index.add(Array(Self.distractors[3...]))
    let searcher = try index.finish()
    for pruning in [true, false] {
      let r = try searcher.search(query, options: .test(k: 10, pruning: pruning, snippets: true))
      #expect(r.hits.first?.id == "seed", "\(query): \(r.hits.map(\.id))")
      #expect(Set(r.hits.map(\.id)) == Set(expected), "\(query): \(r.hits.map(\.id))")
      let hit = try #require(r.hits.first)
      #expect(hit.title == seed.title)
      let snippet = try #require(hit.snippet)
      checkSnippet(snippet, of: seed.body)
      #expect(!snippet.highlights.isEmpty, "\(query): nothing marked in \(snippet.text)")
      // Every mark is a word the query matches, by stem or by light form.
      let analyzer = Analyzer()
      let wanted = Self.queryForms(query, analyzer)
      for word in snippet.highlightedWords {
        let tokens = analyzer.analyze(word)
        #expect(tokens.count == 1, "\(query): the mark '\(word)' is not one word")
        if let t = tokens.first {
          #expect(
            wanted.stems.contains(t.term)
              || wanted.lights.contains { t.light.hasPrefix($0) && wanted.prefix }
              || wanted.lights.contains(t.light),
            "\(query): '\(word)' (\(t.term)/\(t.light)) should not be marked")
        }
      }
    }
  }

  /// Stems and light forms of the query's words (the prefix flag: light forms are prefixes).
  static func queryForms(_ query: String, _ a: Analyzer) -> (
    stems: Set<String>, lights: Set<String>, prefix: Bool
  ) {
    let prefix = query.hasSuffix("*")
    let words = query.replacingOccurrences(of: "AND", with: " ").replacingOccurrences(
      of: "*", with: "")
    let tokens = a.analyze(words).filter { !$0.isStopword }
    return (prefix ? [] : Set(tokens.map(\.term)), Set(tokens.map(\.light)), prefix)
  }

  @Test("the Persian-yeh spelling in the seed is found and marked as written")
  func persianYeh() throws {
    let seed = try Self.seedDocument()
    #expect(seed.body.contains("تعزیز"))
    let (index, searcher) = try makeIndex("yeh", [seed])
    _ = index
    var options = SearchOptions.test(snippets: true)
    options.snippetLength = 100_000
    let r = try searcher.search("تعزيز", options: options)
    let s = try #require(r.hits.first?.snippet)
    #expect(s.highlightedWords.contains("تعزیز"))
    #expect(s.highlightedWords.contains("تعزيز"))
    #expect(s.highlightedWords.contains("وتعزيز"))
    checkSnippet(s, of: seed.body)
  }
}
