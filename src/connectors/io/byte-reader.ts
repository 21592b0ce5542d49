/**
 * Pull-style reading of a byte stream: lines and exact byte counts, the two things record formats
 * (WARC, ARC, HTTP) are made of. It holds at most one pending chunk plus what a caller asks for, so
 * memory stays flat whatever the stream's size; `offset` is the position of the next unread byte.
 */
export class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private done = false;
  private readonly it: AsyncIterator<Uint8Array>;
  /** Bytes consumed so far (the stream offset of the next unread byte). */
  offset = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.it = source[Symbol.asyncIterator]();
  }

  private get available(): number {
    return this.buf.length - this.pos;
  }

  /** Reads one more chunk into the buffer; false at the end of the stream. */
  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const r = await this.it.next();
    if (r.done) {
      this.done = true;
      return false;
    }
    const chunk = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    this.buf = this.available === 0 ? chunk : Buffer.concat([this.buf.subarray(this.pos), chunk]);
    this.pos = 0;
    return true;
  }

  /** True when every byte has been read. */
  async atEnd(): Promise<boolean> {
    while (this.available === 0) if (!(await this.fill())) return true;
    return false;
  }

  /**
   * The next line without its LF (a trailing CR is kept; callers trim it), or null at the end.
   * A line longer than `max` comes back cut at `max` bytes with `long: true`, the rest unread.
   */
  async readLine(max: number): Promise<{ line: Buffer; long: boolean } | null> {
    let from = this.pos;
    for (;;) {
      const nl = this.buf.indexOf(0x0a, from);
      if (nl >= 0 && nl - this.pos <= max) {
        const line = this.buf.subarray(this.pos, nl);
        this.advance(nl + 1 - this.pos);
        return { line, long: false };
      }
      if (this.available >= max) {
        const line = Buffer.from(this.buf.subarray(this.pos, this.pos + max));
        this.advance(max);
        return { line, long: true };
      }
      from = this.buf.length;
      const before = this.pos;
      if (!(await this.fill())) {
        if (this.available === 0) return null;
        const line = this.buf.subarray(this.pos);
        this.advance(this.available);
        return { line, long: false };
      }
      from -= before; // the buffer was rebased at pos 0
    }
  }

  /** Exactly `n` bytes, or fewer if the stream ends first. */
  async read(n: number): Promise<Buffer> {
    if (this.available >= n) {
      const out = this.buf.subarray(this.pos, this.pos + n);
      this.advance(n);
      return out;
    }
    const parts: Buffer[] = [];
    let need = n;
    while (need > 0) {
      if (this.available === 0 && !(await this.fill())) break;
      const take = Math.min(need, this.available);
      parts.push(this.buf.subarray(this.pos, this.pos + take));
      this.advance(take);
      need -= take;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** Skips `n` bytes without keeping them; returns how many were skipped. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.available === 0 && !(await this.fill())) break;
      const take = Math.min(left, this.available);
      this.advance(take);
      left -= take;
    }
    return n - left;
  }

  /** The next `n` bytes without consuming them (fewer at the end). */
  async peek(n: number): Promise<Buffer> {
    while (this.available < n) if (!(await this.fill())) break;
    return this.buf.subarray(this.pos, this.pos + Math.min(n, this.available));
  }

  private advance(n: number): void {
    this.pos += n;
    this.offset += n;
  }
}
