import Testing

@testable import FahrasText

@Suite("Stopwords")
struct StopwordTests {
  @Test(
    "Arabic stopwords, raw and normalized",
    arguments: [
      "من", "في", "على", "إلى", "إلي", "أي", "أن", "إن", "ان", "هذا", "التي", "الذي", "الآن",
      "الان", "لا",
      "فى", "فِي", "هى", "عنْ", "ما", "ماذا", "متى", "أين", "اين", "كيف", "هل", "لماذا", "كم", "الذى",
    ])
  func arabicStopwords(word: String) {
    let result = Support.tokens(word)
    #expect(result.count == 1)
    #expect(result.first?.isStopword == true, "\(word)")
  }

  @Test(
    "forms that fold onto content words are not stopwords",
    arguments: ["علي", "الي", "قبل", "بعد", "بين", "اي", "علی"])
  func contentForms(word: String) {
    let result = Support.tokens(word)
    #expect(result.count == 1)
    #expect(result.first?.isStopword == false, "\(word)")
  }

  @Test("على is a stopword, the name علي is not, though both normalize to علي")
  func aliVersusAla() {
    let result = Support.tokens("على علي")
    #expect(result.map(\.isStopword) == [true, false])
    #expect(result[0].term == "علي")
    #expect(result[0].light == "علي")
  }

  @Test("stopword term and light are the whole normalized word")
  func stopwordForms() {
    let result = Support.tokens("إلى وفي الذى")
    #expect(result.map(\.term) == ["الي", "وفي", "الذي"])
    #expect(result.map(\.light) == ["الي", "وفي", "الذي"])
    #expect(result.allSatisfy { $0.isStopword })
  }

  @Test("content words are not stopwords")
  func contentWords() {
    let result = Support.tokens("روسيا تعزيز التعاون وزارة")
    #expect(result.allSatisfy { !$0.isStopword })
  }

  @Test("English stopwords: Lucene's 33-word set, case-insensitive")
  func englishStopwords() {
    #expect(EnglishStopwords.list.count == 33)
    for word in EnglishStopwords.list {
      #expect(Support.tokens(word).first?.isStopword == true, "\(word)")
      #expect(Support.tokens(word.uppercased()).first?.isStopword == true, "\(word)")
    }
    let result = Support.tokens("The Cats are THERE")
    #expect(result.map(\.isStopword) == [true, false, true, true])
    #expect(result.map(\.term) == ["the", "cat", "are", "there"])
    #expect(Support.tokens("them theirs").allSatisfy { !$0.isStopword })
  }

  @Test("English stopwords only apply to Latin tokens, Arabic ones only to Arabic tokens")
  func perScript() {
    #expect(Support.tokens("а").first?.isStopword == false)  // Cyrillic a
    #expect(Support.tokens("in في").map(\.isStopword) == [true, true])
  }
}
