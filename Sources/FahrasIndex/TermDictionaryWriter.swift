import FahrasStorage

/// Writes the term dictionary (`.dict`): sorted keys in prefix-compressed blocks of
/// `blockTerms` entries plus a block index, as specified in `docs/FORMAT.md` ("Term dictionary").
///
/// A key is one byte of field number followed by the term's UTF-8 bytes; keys must be added in
/// strictly increasing unsigned byte order.
final class TermDictionaryWriter {
  static let blockTerms = 32

  private let file: FileWriter
  private var block = ByteWriter(capacity: 4096)
  private var inBlock = 0
  private var previous: [UInt8] = []
  /// File offsets of the previous entry of the block: offsets are delta-coded within a block.
  private var lastPost: UInt64 = 0
  private var lastPos: UInt64 = 0
  private var blockOffsets: [UInt64] = []
  private(set) var termCount: UInt64 = 0

  init(file: FileWriter) {
    self.file = file
  }

  func add(key: UnsafeRawBufferPointer, info: TermInfo) throws(StorageError) {
    if inBlock == TermDictionaryWriter.blockTerms { try flushBlock() }
    if inBlock == 0 {
      blockOffsets.append(UInt64(file.position))
      lastPost = 0
      lastPos = 0
    }
    var shared = 0
    if inBlock > 0 {
      let limit = min(previous.count, key.count)
      while shared < limit && previous[shared] == key[shared] { shared += 1 }
    }
    block.writeVInt(shared)
    block.writeVInt(key.count - shared)
    block.writeBytes(UnsafeRawBufferPointer(rebasing: key[shared...]))
    block.writeVInt(info.docFreq)
    if info.docFreq == 1 {
      block.writeVInt(info.inlineDoc)
      block.writeVInt(info.inlineTf)
    } else {
      let extra = info.totalTermFreq - UInt64(info.docFreq)
      precondition(extra >> 62 == 0, "total term frequency out of range")
      if info.sharedPostings {
        // An earlier term's list: its absolute offset, outside the running delta.
        block.writeVInt(extra << 1 | 1)
        block.writeVInt(info.postOffset << 1)
      } else if info.isDerived {
        // The base list's absolute offset, then the derived list's own offset in the running delta.
        precondition(info.baseDocFreq >= info.docFreq, "a derived list selects from a longer one")
        block.writeVInt(extra << 1 | 1)
        block.writeVInt(info.baseOffset << 1 | 1)
        precondition(info.postOffset >= lastPost, "postings must be written in key order")
        block.writeVInt(info.postOffset - lastPost)
        lastPost = info.postOffset
        block.writeVInt(info.baseDocFreq - info.docFreq)
      } else {
        block.writeVInt(extra << 1)
        precondition(info.postOffset >= lastPost, "postings must be written in key order")
        block.writeVInt(info.postOffset - lastPost)
        lastPost = info.postOffset
      }
    }
    precondition(info.posOffset >= lastPos, "positions must be written in key order")
    block.writeVInt(info.posOffset - lastPos)
    lastPos = info.posOffset
    previous.removeAll(keepingCapacity: true)
    previous.append(contentsOf: key)
    inBlock += 1
    termCount += 1
  }

  private func flushBlock() throws(StorageError) {
    try file.write(block)
    block.removeAll()
    inBlock = 0
  }

  /// Writes the last block, the block index and the trailer, then the footer.
  func finish() throws(StorageError) -> Int {
    if inBlock > 0 { try flushBlock() }
    let indexOffset = UInt64(file.position)
    var w = ByteWriter(capacity: blockOffsets.count * 8 + 24)
    for o in blockOffsets { w.writeUInt64(o) }
    w.writeUInt64(UInt64(blockOffsets.count))
    w.writeUInt64(termCount)
    w.writeUInt64(indexOffset)
    try file.write(w)
    return try file.finish()
  }
}
