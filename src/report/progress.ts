/**
 * The progress line on stderr while a run measures (it takes minutes): rewritten in place on a
 * terminal, one line per finished round otherwise (CI logs).
 */
import type { ProgressEvent } from '../measure/rounds.js';

/** Returns a progress callback and a function that clears the line at the end. */
export function progressLine(stream: NodeJS.WriteStream = process.stderr): {
  update: (e: ProgressEvent & { rounds: number }) => void;
  end: () => void;
} {
  const started = Date.now();
  const elapsed = () => {
    const s = Math.round((Date.now() - started) / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  };
  let shown = false;
  return {
    update(e) {
      const text = `round ${e.round}/${e.rounds} · ${e.done}/${e.total} · ${e.side} · ${e.benchmark} · ${elapsed()}`;
      if (stream.isTTY) {
        stream.write(`\r\x1b[K${text.slice(0, (stream.columns || 100) - 1)}`);
        shown = true;
      } else if (e.done === e.total) {
        stream.write(`benchgate: round ${e.round}/${e.rounds} done · ${elapsed()}\n`);
      }
    },
    end() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
