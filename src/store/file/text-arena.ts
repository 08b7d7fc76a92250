// Where a FileStore keeps its entries' JSON: packed into large buffers outside the JS heap.
//
// Why not strings: 100,000 entries' texts (~50 MB) as 100,000 small strings are copied by the
// garbage collector's young generation as they survive; on opening such a store that took about
// 0.35 s more than building the same strings and dropping them (a third of the whole open).
// Bytes in a few large buffers are never copied or scanned, and take one byte per ASCII character.

/** Bytes a slab holds; an entry longer than this gets a slab of its own size. */
const SLAB_BYTES = 2 ** 20;

/** Where one text is: a slab and a byte range of it. */
export interface TextSpan {
  readonly slab: Buffer;
  readonly start: number;
  readonly end: number;
}

/**
 * An append-only store of texts (UTF-8). Texts are never freed one by one: a slab lives while
 * any span points into it. `allocated` tells how much the slabs take, so that the owner can
 * copy what is live into a fresh arena (`LiveSet.repackIfWasteful`) once too much is dead.
 */
export class TextArena {
  #slab: Buffer = Buffer.alloc(0);
  #used = 0;
  #allocated = 0;

  /** Bytes of every slab made so far. */
  get allocated(): number {
    return this.#allocated;
  }

  /** Copies `text` (a string, as UTF-8, or bytes) in. */
  add(text: string | Uint8Array): TextSpan {
    const length = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
    if (length > this.#slab.length - this.#used) {
      this.#slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, length));
      this.#used = 0;
      this.#allocated += this.#slab.length;
    }
    const start = this.#used;
    if (typeof text === 'string') this.#slab.write(text, start, length, 'utf8');
    else this.#slab.set(text, start);
    this.#used += length;
    return { slab: this.#slab, start, end: start + length };
  }
}
