/**
 * Reads the first chunk of a byte stream (to sniff a magic number or an XML prologue) and gives back
 * a stream that still starts with it. Null for an empty stream.
 */
export async function peekFirstChunk(source: AsyncIterable<Uint8Array>): Promise<{ first: Uint8Array; all: AsyncIterable<Uint8Array> } | null> {
  const it = source[Symbol.asyncIterator]();
  const head = await it.next();
  if (head.done) return null;
  const first = head.value;
  const all: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      yield first;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    },
  };
  return { first, all };
}
