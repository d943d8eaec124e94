// libFuzzer target: the analyzer (FahrasText) on arbitrary bytes, valid UTF-8 or not.
//
// Checks the documented token invariants: offsets inside the input, non-empty and non-decreasing,
// positions strictly increasing, terms of at most `Analyzer.maxTokenBytes` bytes, and terms, light
// forms and token slices that are valid UTF-8 (they become index keys and snippets).
import FahrasText

let analyzer = Analyzer()

func isValidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
  var it = b.makeIterator()
  var decoder = UTF8()
  while true {
    switch decoder.decode(&it) {
    case .scalarValue: continue
    case .emptyInput: return true
    case .error: return false
    }
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let input = UnsafeBufferPointer(start: data, count: size)
  var lastStart = -1
  var lastPosition = -1
  analyzer.analyze(utf8: input) { t in
    guard t.startByte >= 0, t.startByte < t.endByte, t.endByte <= size else {
      fatalError("token offsets \(t.startByte)..<\(t.endByte) outside 0..<\(size)")
    }
    guard t.startByte >= lastStart else { fatalError("token starts go backwards") }
    guard t.position > lastPosition else {
      fatalError("positions not increasing: \(t.position) after \(lastPosition)")
    }
    guard !t.term.isEmpty, t.term.count <= Analyzer.maxTokenBytes else {
      fatalError("term of \(t.term.count) bytes")
    }
    guard isValidUTF8(t.term), isValidUTF8(t.light) else {
      fatalError("term or light form is not UTF-8")
    }
    guard isValidUTF8(UnsafeBufferPointer(rebasing: input[t.startByte..<t.endByte])) else {
      fatalError("token slice \(t.startByte)..<\(t.endByte) is not UTF-8")
    }
    lastStart = t.startByte
    lastPosition = t.position
  }
  // The owning API adds scalar offsets.
  let text = String(decoding: input, as: UTF8.self)
  let tokens = analyzer.analyze(text)
  let scalars = text.unicodeScalars.count
  for t in tokens where !(t.startScalar < t.endScalar && t.endScalar <= scalars) {
    fatalError("scalar offsets \(t.startScalar)..<\(t.endScalar) outside 0..<\(scalars)")
  }
  return 0
}
