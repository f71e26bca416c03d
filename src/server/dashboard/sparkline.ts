/** A sparkline drawn on a small canvas (no DOM per point, so hundreds of rows stay cheap). */

/** Draws `values` (nulls are gaps) into `canvas`, sized for the device's pixel ratio. */
export function drawSparkline(canvas: HTMLCanvasElement, values: (number | null)[]): void {
  const ratio = window.devicePixelRatio || 1;
  const w = 120;
  const h = 24;
  canvas.width = w * ratio;
  canvas.height = h * ratio;
  const g = canvas.getContext('2d');
  if (!g) return;
  g.scale(ratio, ratio);
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return;
  const lo = Math.min(...present);
  const hi = Math.max(...present);
  const span = hi - lo || hi || 1;
  const x = (i: number) => (values.length === 1 ? w / 2 : 2 + (i * (w - 4)) / (values.length - 1));
  const y = (v: number) => h - 3 - ((v - lo) / span) * (h - 6);
  g.strokeStyle = '#2f5bd3';
  g.lineWidth = 1.2;
  g.beginPath();
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) return void (pen = false);
    if (pen) g.lineTo(x(i), y(v));
    else g.moveTo(x(i), y(v));
    pen = true;
  });
  g.stroke();
  const last = present[present.length - 1] as number;
  g.fillStyle = '#2f5bd3';
  g.beginPath();
  g.arc(x(values.lastIndexOf(last)), y(last), 2, 0, 2 * Math.PI);
  g.fill();
}
