// A decompress-only LZ4 codec for kafkajs 2.2.4, which implements only GZIP itself and fails with
// "LZ4 compression not implemented" on the processor's output, because the processor's producers use
// compression.type=lz4. Kafka's Java client writes LZ4 frames (magic 0x184D2204) as the LZ4 frame format
// specification describes, and this module decodes such frames. Checksums are skipped, not verified, because
// Kafka's own record batch CRC already covers the compressed bytes.
'use strict';

const FRAME_MAGIC = 0x184d2204;
const MIN_MATCH = 4;

/** Decodes one LZ4 block from input[start, end) and appends it to output, which earlier blocks may match into. */
function decodeBlock(input, start, end, output) {
  let pos = start;
  while (pos < end) {
    const token = input[pos++];
    let literalLength = token >>> 4;
    if (literalLength === 15) {
      let extra;
      do {
        extra = input[pos++];
        literalLength += extra;
      } while (extra === 255);
    }
    for (let i = 0; i < literalLength; i++) {
      output.push(input[pos++]);
    }
    if (pos >= end) {
      break; // The last sequence of a block contains literals only.
    }
    const offset = input[pos] | (input[pos + 1] << 8);
    pos += 2;
    if (offset === 0 || offset > output.length) {
      throw new Error(`invalid LZ4 match offset ${offset} at byte ${pos - 2}`);
    }
    let matchLength = token & 0x0f;
    if (matchLength === 15) {
      let extra;
      do {
        extra = input[pos++];
        matchLength += extra;
      } while (extra === 255);
    }
    matchLength += MIN_MATCH;
    // Byte by byte, because a match may overlap the bytes it produces.
    const from = output.length - offset;
    for (let i = 0; i < matchLength; i++) {
      output.push(output[from + i]);
    }
  }
}

/** Returns the contents of one LZ4 frame as a Buffer. */
function decompressFrame(frame) {
  if (frame.readUInt32LE(0) !== FRAME_MAGIC) {
    throw new Error(`invalid LZ4 frame: magic number 0x${frame.readUInt32LE(0).toString(16)}`);
  }
  const flags = frame[4];
  const blockChecksums = (flags & 0x10) !== 0;
  const contentSize = (flags & 0x08) !== 0;
  const contentChecksum = (flags & 0x04) !== 0;
  const dictionaryId = (flags & 0x01) !== 0;
  // Magic, FLG, BD, the optional content size and dictionary id, then the header checksum byte.
  let pos = 6 + (contentSize ? 8 : 0) + (dictionaryId ? 4 : 0) + 1;

  const output = [];
  while (true) {
    const blockSize = frame.readUInt32LE(pos);
    pos += 4;
    if (blockSize === 0) {
      break; // EndMark
    }
    const size = blockSize & 0x7fffffff;
    if ((blockSize & 0x80000000) !== 0) {
      for (let i = 0; i < size; i++) {
        output.push(frame[pos + i]);
      }
    } else {
      decodeBlock(frame, pos, pos + size, output);
    }
    pos += size + (blockChecksums ? 4 : 0);
  }

  if (contentChecksum) {
    pos += 4;
  }
  return Buffer.from(output);
}

/** Returns a kafkajs codec: decompress works, compress rejects because these tests only read LZ4. */
function lz4Codec() {
  return {
    async compress() {
      throw new Error('LZ4 compression is not supported by this test codec, which only decompresses');
    },
    async decompress(buffer) {
      return decompressFrame(buffer);
    },
  };
}

module.exports = { lz4Codec, decompressFrame };
