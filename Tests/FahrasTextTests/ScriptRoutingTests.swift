import Testing

@testable import FahrasText

@Suite("Script routing and mixed documents")
struct ScriptRoutingTests {
  @Test("a mixed Arabic and English sentence routes each word to its chain")
  func mixedSentence() {
    let text = "أعلنت وزارة الدفاع the Ministry of Defense والتعاون running with Korea"
    let result = Support.tokens(text)
    #expect(
      result.map(\.light) == [
        "اعلنت", "زاره", "دفاع", "the", "ministry", "of", "defense", "تعاون", "running", "with",
        "korea",
      ])
    #expect(
      result.map(\.term) == [
        "اعلنت", "زار", "دفاع", "the", "ministri", "of", "defens", "تعا", "run", "with", "korea",
      ])
    #expect(
      result.map(\.isStopword) == [
        false, false, false, true, false, true, false, false, false, true, false,
      ])
    #expect(result.map(\.position) == Array(0..<11))
  }

  @Test("Latin terms are the Porter2 stems of the folded word")
  func porter2() {
    for word in [
      "Running", "Generously", "Nationalization", "cafés", "Studies", "don't", "G20", "mp3s",
    ] {
      guard let token = Support.tokens(word).first else {
        Issue.record("no token for \(word)")
        continue
      }
      #expect(token.term == Support.porter2(token.light), "\(word)")
    }
    #expect(Support.term("Running") == "run")
    #expect(Support.light("Running") == "running")
  }

  @Test("non-ASCII Latin words are not stemmed")
  func nonASCIILatin() {
    let token = Support.tokens("ɛrrors").first
    #expect(token?.term == "ɛrrors")
    #expect(token?.light == "ɛrrors")
  }

  @Test("a word that changes script splits at the change")
  func scriptChange() {
    #expect(Support.lights("Fahrasفهرس") == ["fahras", "فهرس"])
    #expect(Support.lights("فهرسFahras") == ["فهرس", "fahras"])
    #expect(Support.lights("abcкот") == ["abc", "кот"])
    #expect(Support.lights("αβγabc") == ["αβγ", "abc"])
    #expect(Support.lights("كوريا東京") == ["كوريا", "東", "京"])
    let split = Support.tokens("Fahrasفهرس")
    #expect(split.map(\.startByte) == [0, 6])
    #expect(split.map(\.endByte) == [6, 14])
    #expect(split.map(\.position) == [0, 1])
  }

  @Test("digits join Latin and other alphabetic words")
  func digitsWithLetters() {
    #expect(Support.lights("G20 mp3 covid19 2nd") == ["g20", "mp3", "covid19", "2nd"])
    #expect(Support.lights("αβ2") == ["αβ2"])
  }

  @Test("digits-only tokens are kept as normalized digits")
  func digitsOnly() {
    let result = Support.tokens("2023 ٢٠٢٣ 007")
    #expect(result.map(\.term) == ["2023", "2023", "007"])
    #expect(result.map(\.light) == ["2023", "2023", "007"])
  }
}
