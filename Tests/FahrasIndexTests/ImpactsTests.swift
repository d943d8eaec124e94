import Testing

@testable import FahrasIndex

/// `Impacts.front` against a brute-force Pareto front, on random blocks (fixed seeds).
@Suite("Impacts: Pareto fronts")
struct ImpactsTests {
  /// The pairs no other pair dominates (tf ≥ and dl ≤, not equal), one of each, by tf ascending.
  static func bruteFront(_ pairs: [Impact]) -> [Impact] {
    var out: [Impact] = []
    for p in pairs {
      let dominated = pairs.contains { q in
        q.tf >= p.tf && q.dl <= p.dl && (q.tf != p.tf || q.dl != p.dl)
      }
      if !dominated && !out.contains(p) { out.append(p) }
    }
    return out.sorted { $0.tf < $1.tf }
  }

  @Test("uncapped front equals the brute-force front", arguments: [1, 2, 3, 4])
  func uncapped(seed: UInt64) {
    var state = seed &* 0x9E37_79B9_7F4A_7C15
    func next(_ n: UInt32) -> UInt32 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt32(truncatingIfNeeded: state >> 33) % n
    }
    for round in 0..<400 {
      let n = 1 + Int(next(128))
      // Small ranges give ties in tf and in dl, and duplicates.
      let tfRange: UInt32 = round % 3 == 0 ? 4 : 40
      let dlRange: UInt32 = round % 2 == 0 ? 10 : 2_000
      let pairs = (0..<n).map { _ in Impact(tf: 1 + next(tfRange), dl: next(dlRange)) }
      let front = Impacts.front(pairs, cap: Int.max)
      #expect(front == Self.bruteFront(pairs), "round \(round)")
    }
  }

  @Test("a capped front still dominates every pair and ascends in tf and dl")
  func capped() {
    var state: UInt64 = 77
    func next(_ n: UInt32) -> UInt32 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt32(truncatingIfNeeded: state >> 33) % n
    }
    for round in 0..<400 {
      let pairs = (0..<(1 + Int(next(128)))).map { _ in
        Impact(tf: 1 + next(60), dl: next(3_000))
      }
      for cap in [1, 4, 8] {
        let front = Impacts.front(pairs, cap: cap, averageLength: 500)
        #expect(front.count <= cap && !front.isEmpty, "round \(round)")
        for (a, b) in zip(front, front.dropFirst()) {
          #expect(a.tf < b.tf && a.dl < b.dl, "round \(round) cap \(cap)")
        }
        for p in pairs {
          #expect(
            front.contains { $0.tf >= p.tf && $0.dl <= p.dl },
            "round \(round) cap \(cap): \(p) not dominated")
        }
      }
    }
  }
}
