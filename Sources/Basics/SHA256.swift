/// SHA-256 (FIPS 180-4), for plan digests, fingerprints and constant-time credential comparison; the toolchain on
/// Linux ships no hash function. Blocks are read straight from the message; only the padded tail is copied.
package enum SHA256 {
  static let k: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5, 0xd807_aa98,
    0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174, 0xe49b_69c1, 0xefbe_4786,
    0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da, 0x983e_5152, 0xa831_c66d, 0xb003_27c8,
    0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967, 0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13,
    0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85, 0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819,
    0xd699_0624, 0xf40e_3585, 0x106a_a070, 0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a,
    0x5b9c_ca4f, 0x682e_6ff3, 0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
    0xc671_78f2,
  ]

  /// The digest as 64 lowercase hexadecimal characters.
  package static func hex(_ text: String) -> String { hex(Array(text.utf8)) }

  package static func hex(_ bytes: [UInt8]) -> String { hex(bytes, digits: 64) }

  /// The first `digits` (at most 64) hexadecimal characters of the digest.
  package static func hex(_ bytes: [UInt8], digits: Int) -> String { hex(words: state(bytes), digits: digits) }

  /// HMAC-SHA-256 (RFC 2104): signs saved plans with a key only the pipeline holds.
  package static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
    var block = key.count > 64 ? digest(key) : key
    block += [UInt8](repeating: 0, count: 64 - block.count)
    let inner = digest(block.map { $0 ^ 0x36 } + message)
    return digest(block.map { $0 ^ 0x5c } + inner)
  }

  /// Equal without telling, by how long the comparison took, how much of them is.
  package static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
    return difference == 0
  }

  package static func digest(_ message: [UInt8]) -> [UInt8] {
    let words = state(message)
    return [UInt8](unsafeUninitializedCapacity: 32) { out, initialized in
      for (index, word) in words.enumerated() {
        out[index * 4] = UInt8(word >> 24)
        out[index * 4 + 1] = UInt8(word >> 16 & 0xff)
        out[index * 4 + 2] = UInt8(word >> 8 & 0xff)
        out[index * 4 + 3] = UInt8(word & 0xff)
      }
      initialized = 32
    }
  }

  /// The eight state words after the whole message: the digest, big-endian word by word.
  static func state(_ message: [UInt8]) -> [UInt32] {
    var hasher = Hasher()
    message.withUnsafeBufferPointer { hasher.update($0) }
    return hasher.finish()
  }

  /// A digest of a message given in pieces (a plan's JSON as it is written, never held whole). Whole blocks are
  /// read in place; only a block split between pieces, and the padded tail, are copied.
  package struct Hasher {
    var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
      0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    /// The start of a block the next piece completes.
    var pending: [UInt8] = []
    var length: UInt64 = 0

    package init() { pending.reserveCapacity(64) }

    package mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { update($0) } }

    package mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
      length &+= UInt64(bytes.count)
      var offset = 0
      if !pending.isEmpty {
        let taken = min(64 - pending.count, bytes.count)
        pending += UnsafeBufferPointer(rebasing: bytes[0..<taken])
        offset = taken
        guard pending.count == 64 else { return }
        pending.withUnsafeBufferPointer { block in compressBlocks(block) }
        pending.removeAll(keepingCapacity: true)
      }
      let whole = offset + (bytes.count - offset) / 64 * 64
      if whole > offset { compressBlocks(UnsafeBufferPointer(rebasing: bytes[offset..<whole])) }
      pending += UnsafeBufferPointer(rebasing: bytes[whole...])
    }

    /// The state words; the hasher is spent.
    package mutating func finish() -> [UInt32] {
      // The rest, 0x80, zeros, and the length in bits: one or two blocks.
      let bitLength = length &* 8
      var tail = pending
      tail.append(0x80)
      let padded = tail.count <= 56 ? 64 : 128
      tail += [UInt8](repeating: 0, count: padded - 8 - tail.count)
      for index in 0..<8 { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(56 - 8 * index))) }
      tail.withUnsafeBufferPointer { compressBlocks($0) }
      return [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
    }

    /// Whole 64-byte blocks into the state.
    mutating func compressBlocks(_ blocks: UnsafeBufferPointer<UInt8>) {
      k.withUnsafeBufferPointer { k in
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
          var offset = 0
          while offset + 64 <= blocks.count {
            compress(&state, UnsafeBufferPointer(rebasing: blocks[offset..<offset + 64]), w, k)
            offset += 64
          }
        }
      }
    }
  }

  /// The first `digits` (at most 64) lowercase hexadecimal characters of the digest whose state words are `words`,
  /// written straight into the string.
  package static func hex(words: [UInt32], digits: Int = 64) -> String {
    let count = min(max(digits, 0), 64)
    return String(unsafeUninitializedCapacity: count) { out in
      for position in 0..<count {
        let word = words[position / 8]
        let nibble = UInt8(truncatingIfNeeded: word >> UInt32(28 - 4 * (position % 8))) & 0x0f
        out[position] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
      }
      return count
    }
  }

  /// One 64-byte block into the state.
  @inline(__always)
  static func compress(
    _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
    _ block: UnsafeBufferPointer<UInt8>,
    _ w: UnsafeMutableBufferPointer<UInt32>, _ k: UnsafeBufferPointer<UInt32>
  ) {
    for i in 0..<16 {
      let b = i &* 4
      w[i] = UInt32(block[b]) << 24 | UInt32(block[b &+ 1]) << 16 | UInt32(block[b &+ 2]) << 8 | UInt32(block[b &+ 3])
    }
    for i in 16..<64 {
      let s0 = rotr(w[i &- 15], 7) ^ rotr(w[i &- 15], 18) ^ (w[i &- 15] >> 3)
      let s1 = rotr(w[i &- 2], 17) ^ rotr(w[i &- 2], 19) ^ (w[i &- 2] >> 10)
      w[i] = w[i &- 16] &+ s0 &+ w[i &- 7] &+ s1
    }
    var (a, b, c, d, e, f, g, h) = state
    for i in 0..<64 {
      let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
      let ch = (e & f) ^ (~e & g)
      let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
      let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
      let maj = (a & b) ^ (a & c) ^ (b & c)
      (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ s0 &+ maj)
    }
    state = (
      state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h
    )
  }

  @inline(__always) static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 &- n)) }
}
