/** Redraws at most this often. */
const REDRAW_MS = 200;
const WIDTH = 30;

export interface Progress {
  /** `done` of the total so far; cheap to call for every record. */
  update(done: number): void;
  /** Clears the bar (before the tool's last lines, or on exit). */
  end(): void;
}

const NO_PROGRESS: Progress = { update: () => {}, end: () => {} };

/**
 * A one-line progress bar on stderr while a long run (a perf test) goes on, only when stderr is a
 * terminal: in a pipe or a file nothing is drawn, so the output stays what Kafka's tool prints.
 */
export function progressBar(total: number, unit: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY !== true || total <= 0) return NO_PROGRESS;
  let lastDraw = 0;
  let drawn = false;
  const draw = (done: number) => {
    const ratio = Math.min(1, done / total);
    const filled = Math.round(ratio * WIDTH);
    stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${done}/${total} ${unit}\x1b[K`,
    );
    drawn = true;
  };
  return {
    update(done) {
      const now = Date.now();
      if (now - lastDraw < REDRAW_MS && done < total) return;
      lastDraw = now;
      draw(done);
    },
    end() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
