import Dispatch
import FahrasStorage
import FahrasText

/// The one writer of an index folder: buffers documents, flushes segments, applies deletes, merges
/// and commits. Holds `write.lock` (an `flock`) for its lifetime; a second writer is refused with the
/// holder's pid, and a crashed writer's lock is released by the kernel.
///
/// Deletes (`delete(id:)`, `delete(path:)`) apply to every document added before them, committed or
/// buffered. Nothing is visible to readers until `commit()`.
public final class IndexWriter {
  public struct Options: Sendable {
    /// Memory budget for indexing buffers, in bytes, shared by all threads.
    public var memoryBudget: Int = 512 << 20
    /// Threads used by `add(contentsOf:)`.
    public var threads: Int = 1
    /// Merge policy: merge when this many segments of similar size accumulate.
    public var mergeFactor: Int = 8
    /// Also store long `$light` lists as selections from their stem's list (those up to 1/32 of a
    /// segment, and those holding at least half their stem's documents at any length), not only
    /// one-block lists (`docs/FORMAT.md` §8, "Derived lists"). SaudiNewsNet's `$light` postings:
    /// 5.9 MiB by default, 3.4 MiB with this; single words then take about 15% longer by mean in a
    /// mixed query stream, since a derived block also decodes its stem's blocks. A reader needs
    /// nothing to read either.
    public var compactLightLists: Bool = false
    public init(
      memoryBudget: Int = 512 << 20, threads: Int = 1, mergeFactor: Int = 8,
      compactLightLists: Bool = false
    ) {
      self.memoryBudget = memoryBudget
      self.threads = max(1, threads)
      self.mergeFactor = max(2, mergeFactor)
      self.compactLightLists = compactLightLists
    }
  }

  public let directory: String
  public let options: Options
  private let lock: FileLock
  private let analyzer = Analyzer()
  private var manifest: Manifest
  /// Segments flushed or committed, in order, with their deletes.
  private var segments: [SegmentInfo]
  private var readers: [String: SegmentReader] = [:]
  private var pendingDeletes: [String: DeletedDocs] = [:]
  /// One indexing buffer per thread; each thread touches only its own slot.
  private let slots: [Slot]
  private var previousManifestFiles: Set<String> = []

  /// Opens (or creates) the index in `directory` for writing.
  public init(directory: String, options: Options = Options()) throws(IndexError) {
    self.directory = directory
    self.options = options
    do { try FileSystem.makeDirectories(directory) } catch { throw .storage(error) }
    do {
      lock = try FileLock(path: "\(directory)/write.lock")
    } catch {
      throw .locked(error.description)
    }
    do {
      let found = try Manifest.latest(in: directory)
      manifest = found.0 ?? Manifest()
      // An index written by an older format version is rebuilt from scratch (its files are
      // removed below as unreferenced); any other unreadable commit is an error, never overwritten.
      let outdated = found.skipped.allSatisfy { "\($0)".contains("unsupported format version") }
      if found.0 == nil, let e = found.skipped.first, !outdated {
        throw IndexError.storage(e)
      }
      // A newer commit that fails to verify is damage (commits are written atomically): writing
      // on top of the older one would delete the newer commit's files. Refuse, naming it.
      if let older = found.0, let e = found.skipped.first, !outdated {
        throw IndexError.invalidArgument(
          "\(e); the index would fall back to commit \(older.generation). Refusing to write: run "
            + "`fahras check`, then remove the damaged manifest to accept the rollback")
      }
    } catch let e as IndexError {
      throw e
    } catch {
      throw .storage(error as! StorageError)
    }
    segments = manifest.segments
    slots = (0..<options.threads).map { _ in Slot() }
    removeUnreferencedFiles(keep: [])
  }

  deinit { lock.unlock() }

  /// The last commit's manifest.
  public var committed: Manifest { manifest }

  /// The user data of the last commit (used by the folder indexer for its state file).
  public var commitUserData: String { manifest.userData }

  // MARK: - Adding

  private func newSegmentName() -> String {
    let n = manifest.nextSegmentNumber
    manifest.nextSegmentNumber += 1
    return "s\(n)"
  }

  private func builder(_ slot: Int) throws(StorageError) -> SegmentBuilder {
    if let b = slots[slot].builder { return b }
    let b = try SegmentBuilder(
      directory: directory, name: newSegmentName(), analyzer: analyzer,
      compactLightLists: options.compactLightLists)
    slots[slot].builder = b
    return b
  }

  /// Longest document id or path accepted, in UTF-8 bytes (keys of the term dictionary are short).
  public static let maxKeywordBytes = 4096

  static func validate(_ doc: IndexDocument) throws(IndexError) {
    if doc.id.utf8.count > maxKeywordBytes || doc.path.utf8.count > maxKeywordBytes {
      throw .invalidArgument(
        "document id or path longer than \(maxKeywordBytes) bytes: \(doc.id.prefix(80))…")
    }
  }

  /// Adds one document (on the calling thread).
  public func add(_ doc: IndexDocument) throws(IndexError) {
    try IndexWriter.validate(doc)
    do {
      let b = try builder(0)
      b.memoryLimit = options.memoryBudget
      try b.add(doc)
      slots[0].append(id: doc.id, path: doc.path)
      if b.memoryBytes > options.memoryBudget { try flush(slot: 0) }
    } catch { throw .storage(error) }
  }

  /// Replaces every document with `doc.id` by `doc`.
  public func update(_ doc: IndexDocument) throws(IndexError) {
    try delete(id: doc.id)
    try add(doc)
  }

  /// Adds documents on `options.threads` threads, each filling its own segment buffer.
  /// Document order across threads is not preserved.
  public func add(contentsOf docs: [IndexDocument]) throws(IndexError) {
    for d in docs { try IndexWriter.validate(d) }
    let threads = min(options.threads, max(1, docs.count / 64))
    if threads <= 1 {
      for d in docs { try add(d) }
      return
    }
    // Make sure each slot has a builder before going parallel (segment naming is not thread-safe).
    do {
      for s in 0..<threads { _ = try builder(s) }
    } catch { throw .storage(error) }
    let budget = options.memoryBudget / threads
    let state = ParallelState(count: docs.count)
    let box = UnsafeSendableBox(self)
    let docsBox = UnsafeSendableBox(docs)
    DispatchQueue.concurrentPerform(iterations: threads) { slot in
      let w = box.value
      let docs = docsBox.value
      while let i = state.next(), state.firstError == nil {
        do {
          let st = w.slots[slot]
          guard let b = st.builder else { return }
          b.memoryLimit = budget
          try b.add(docs[i])
          st.append(id: docs[i].id, path: docs[i].path)
          if b.memoryBytes > budget {
            try w.flushForParallel(slot: slot, state: state)
          }
        } catch {
          state.fail(error)
          return
        }
      }
    }
    if let e = state.firstError { throw .storage(e) }
  }

  private func flushForParallel(slot: Int, state: ParallelState) throws(StorageError) {
    let st = slots[slot]
    guard let b = st.builder else { return }
    let info = try b.flush()
    let name = try state.withLock { newSegmentName() }
    st.builder = try SegmentBuilder(
      directory: directory, name: name, analyzer: analyzer,
      compactLightLists: options.compactLightLists)
    let deleted = st.deleted
    st.reset()
    try state.withLock { register(info, deleted: deleted) }
  }

  /// Writes the buffer of `slot` as a segment.
  private func flush(slot: Int) throws(StorageError) {
    let st = slots[slot]
    guard let b = st.builder else { return }
    st.builder = nil
    if b.docCount == 0 {
      b.abandon()
      return
    }
    let info = try b.flush()
    register(info, deleted: st.deleted)
    st.reset()
  }

  private func register(_ info: SegmentInfo, deleted: Set<Int>) {
    segments.append(info)
    if !deleted.isEmpty {
      var d = DeletedDocs(maxDoc: info.maxDoc)
      for doc in deleted { d.insert(doc) }
      pendingDeletes[info.name] = d
    }
  }

  // MARK: - Deleting

  /// Deletes every document whose id is `id`. Returns how many were deleted.
  @discardableResult
  public func delete(id: String) throws(IndexError) -> Int {
    try delete(field: FieldInfo.id, value: id) { $0.byID[id] }
  }

  /// Deletes every document that came from `path`. Returns how many were deleted.
  @discardableResult
  public func delete(path: String) throws(IndexError) -> Int {
    try delete(field: FieldInfo.path, value: path) { $0.byPath[path] }
  }

  private func delete(field: String, value: String, buffered: (Slot) -> [Int]?)
    throws(IndexError) -> Int
  {
    var n = 0
    do {
      for i in segments.indices {
        let info = segments[i]
        let r = try reader(info)
        guard let c = try r.postings(field: field, term: Array(value.utf8)) else { continue }
        var d = pendingDeletes[info.name] ?? r.deletes ?? DeletedDocs(maxDoc: info.maxDoc)
        var changed = false
        while true {
          let doc = c.nextDoc()
          if doc == PostingsCursor.noMore { break }
          if d.insert(Int(doc)) {
            changed = true
            n += 1
          }
        }
        if let bad = c.corruptDetail {
          throw StorageError.corrupt(file: c.corruptFile, detail: bad)
        }
        if changed { pendingDeletes[info.name] = d }
      }
    } catch let e as StorageError {
      throw .storage(e)
    } catch {
      throw .invalidArgument("\(error)")
    }
    for st in slots {
      for k in buffered(st) ?? [] where st.deleted.insert(k).inserted { n += 1 }
    }
    return n
  }

  /// Every document path that committed or flushed segments hold (for a folder indexer that lost
  /// its ingest state and must find the documents of files that are gone).
  public func indexedPaths() throws(IndexError) -> Set<String> {
    var paths: Set<String> = []
    do {
      for info in segments {
        let r = try reader(info)
        guard let f = r.field(named: FieldInfo.path) else { continue }
        var it = try r.dictionary.iterator(from: [UInt8(f.number)])
        while try it.next(), it.field == f.number {
          paths.insert(String(decoding: it.term, as: UTF8.self))
        }
      }
    } catch { throw .storage(error) }
    return paths
  }

  private func reader(_ info: SegmentInfo) throws(StorageError) -> SegmentReader {
    if let r = readers[info.name], r.info == info { return r }
    let r = try SegmentReader(directory: directory, info: info)
    readers[info.name] = r
    return r
  }

  // MARK: - Committing

  /// Makes everything added and deleted so far durable and visible to new readers.
  public func commit(userData: String? = nil) throws(IndexError) {
    do {
      for slot in slots.indices { try flush(slot: slot) }
      let generation = manifest.generation + 1
      for i in segments.indices {
        guard let d = pendingDeletes[segments[i].name] else { continue }
        let path = SegmentFile.deletesPath(
          in: directory, segment: segments[i].name, generation: generation)
        try FileSystem.writeFile(path, d.encode(segmentID: segments[i].id))
        segments[i].deleteGeneration = generation
        segments[i].deletedCount = d.count
      }
      pendingDeletes.removeAll()
      // Fully deleted segments are dropped.
      segments.removeAll { $0.deletedCount == $0.maxDoc }
      try FileSystem.syncDirectory(directory)
      var next = manifest
      next.generation = generation
      next.segments = segments
      if let userData { next.userData = userData }
      let previousFiles = referencedFiles(manifest)
      try FileSystem.writeAtomically("\(directory)/\(Manifest.fileName(generation))", next.encode())
      manifest = next
      removeUnreferencedFiles(keep: previousFiles)
    } catch {
      throw .storage(error)
    }
  }

  /// Merges segments by the merge policy: while `mergeFactor` segments share a size tier (powers of
  /// ten of their live documents), merge the smallest tier's segments.
  public func maybeMerge() throws(IndexError) {
    while true {
      var tiers: [Int: [SegmentInfo]] = [:]
      for s in segments {
        var t = 0
        var n = max(1, s.liveCount)
        while n >= 10 {
          n /= 10
          t += 1
        }
        tiers[t, default: []].append(s)
      }
      guard
        let (_, group) = tiers.filter({ $0.value.count >= options.mergeFactor }).min(by: {
          $0.key < $1.key
        })
      else { return }
      try merge(Array(group.prefix(options.mergeFactor * 2)))
    }
  }

  /// Merges the smallest segments until at most `maxSegments` remain; segments with deletes are
  /// rewritten as well when `expungeDeletes` is set.
  public func forceMerge(maxSegments: Int, expungeDeletes: Bool = true) throws(IndexError) {
    guard maxSegments >= 1 else { throw .invalidArgument("--max-segments must be at least 1") }
    if segments.count > maxSegments {
      let sorted = segments.sorted { $0.liveCount < $1.liveCount }
      try merge(Array(sorted.prefix(segments.count - maxSegments + 1)))
    }
    if expungeDeletes {
      for s in segments where s.deletedCount > 0 || pendingDeletes[s.name] != nil { try merge([s]) }
    }
  }

  /// Merges `group` into one new segment (deletes applied). The result becomes visible at commit.
  func merge(_ group: [SegmentInfo]) throws(IndexError) {
    guard !group.isEmpty else { return }
    do {
      // Materialize pending deletes into the readers used for the merge.
      var rs: [SegmentReader] = []
      for info in group {
        var info = info
        if let d = pendingDeletes[info.name] {
          let path = SegmentFile.deletesPath(
            in: directory, segment: info.name, generation: manifest.generation + 1)
          try FileSystem.writeFile(path, d.encode(segmentID: info.id), sync: false)
          info.deleteGeneration = manifest.generation + 1
          info.deletedCount = d.count
        }
        rs.append(try SegmentReader(directory: directory, info: info, verify: true))
      }
      let merged = try SegmentMerger.merge(
        rs, directory: directory, name: newSegmentName(),
        compactLightLists: options.compactLightLists)
      let names = Set(group.map(\.name))
      let at = segments.firstIndex { names.contains($0.name) } ?? segments.count
      segments.removeAll { names.contains($0.name) }
      for n in names {
        pendingDeletes[n] = nil
        readers[n] = nil
      }
      if merged.maxDoc > 0 {
        segments.insert(merged, at: min(at, segments.count))
      } else {
        for f in merged.files(in: directory) { FileSystem.remove(f) }
      }
    } catch {
      throw .storage(error)
    }
  }

  /// Segments as they would be committed now.
  public var pendingSegmentCount: Int { segments.count + slots.compactMap(\.builder).count }

  /// Documents buffered and not yet flushed.
  public var bufferedDocumentCount: Int { slots.reduce(0) { $0 + ($1.builder?.docCount ?? 0) } }

  // MARK: - File hygiene

  private func referencedFiles(_ m: Manifest) -> Set<String> {
    var s: Set<String> = [Manifest.fileName(m.generation)]
    for seg in m.segments {
      for f in seg.files(in: directory) { s.insert(String(f.split(separator: "/").last!)) }
    }
    if !m.userData.isEmpty { s.insert(m.userData) }
    return s
  }

  /// Deletes files that neither the current commit nor `keep` (the previous commit) references, and
  /// that no in-progress segment of this writer uses. Unknown files (not ours) are left alone.
  private func removeUnreferencedFiles(keep: Set<String>) {
    var live = referencedFiles(manifest).union(keep)
    live.insert("write.lock")
    for s in segments {
      for f in s.files(in: directory) { live.insert(String(f.split(separator: "/").last!)) }
    }
    for b in slots.compactMap(\.builder) {
      for f in SegmentFile.allCases { live.insert("\(b.name).\(f.rawValue)") }
    }
    guard let names = try? FileSystem.list(directory) else { return }
    for name in names where !live.contains(name) && Self.isIndexFile(name) {
      FileSystem.remove("\(directory)/\(name)")
    }
  }

  static func isIndexFile(_ name: String) -> Bool {
    if name.hasPrefix(Manifest.prefix) { return true }
    if name.hasPrefix("ingest.") { return true }
    guard name.hasPrefix("s"), let dot = name.firstIndex(of: ".") else { return false }
    let ext = name[name.index(after: dot)...]
    return ext == "del" || ext == "tmp" || SegmentFile(rawValue: String(ext)) != nil
  }
}

/// One thread's indexing buffer and where its documents' ids and paths are, for deletes.
final class Slot {
  var builder: SegmentBuilder?
  private(set) var count = 0
  private(set) var byID: [String: [Int]] = [:]
  private(set) var byPath: [String: [Int]] = [:]
  var deleted: Set<Int> = []

  func append(id: String, path: String) {
    byID[id, default: []].append(count)
    byPath[path, default: []].append(count)
    count += 1
  }

  func reset() {
    count = 0
    byID = [:]
    byPath = [:]
    deleted = []
  }
}

/// Work distribution and first-error capture for `add(contentsOf:)`.
final class ParallelState: @unchecked Sendable {
  private let mutex = Mutex()
  private var nextIndex = 0
  private let count: Int
  private(set) var firstError: StorageError?

  init(count: Int) { self.count = count }

  func next() -> Int? {
    mutex.withLock {
      guard nextIndex < count else { return nil }
      defer { nextIndex += 1 }
      return nextIndex
    }
  }

  func fail(_ e: Error) {
    mutex.withLock {
      if firstError == nil {
        firstError = (e as? StorageError) ?? .corrupt(file: "?", detail: "\(e)")
      }
    }
  }

  func withLock<R>(_ body: () throws(StorageError) -> R) throws(StorageError) -> R {
    try mutex.withLock(body)
  }
}

/// A pthread mutex (Foundation-free).
final class Mutex: @unchecked Sendable {
  private var m = pthread_mutex_t()
  init() { pthread_mutex_init(&m, nil) }
  deinit { pthread_mutex_destroy(&m) }
  func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
    pthread_mutex_lock(&m)
    defer { pthread_mutex_unlock(&m) }
    return try body()
  }
}

/// Carries a non-Sendable value into a concurrent region whose synchronization is by construction.
struct UnsafeSendableBox<T>: @unchecked Sendable {
  let value: T
  init(_ v: T) { value = v }
}

#if canImport(Glibc)
  import Glibc
#endif
