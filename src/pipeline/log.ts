/**
 * Messages go to stderr, data to stdout. On a terminal they are plain lines; elsewhere (CI, pipes)
 * each is one JSON object, so that logs can be parsed.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  event(event: string, fields: Record<string, unknown>): void;
}

export function createLogger(options: { json?: boolean; quiet?: boolean; stream?: NodeJS.WritableStream } = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const json = options.json ?? !(stream as NodeJS.WriteStream).isTTY;
  const emit = (level: string, message: string, fields?: Record<string, unknown>) => {
    if (options.quiet && level === 'info') return;
    if (json) stream.write(JSON.stringify({ level, message, ...fields }) + '\n');
    else stream.write(`${level === 'warn' ? 'warning: ' : ''}${message}${fields ? ' ' + JSON.stringify(fields) : ''}\n`);
  };
  return {
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    event: (event, fields) => {
      if (json) stream.write(JSON.stringify({ event, ...fields }) + '\n');
    },
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, event() {} };
