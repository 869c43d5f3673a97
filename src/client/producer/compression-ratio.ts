import type { CompressionName } from '../../protocol/records/batch-header.js';

/** Kafka's CompressionRatioEstimator constants: estimates start at 1 and move this fast. */
const IMPROVING_STEP = 0.005;
const DETERIORATING_STEP = 0.05;
/** BuiltInRecordsBuilder's COMPRESSION_RATE_ESTIMATION_FACTOR: a margin on the estimate. */
export const ESTIMATION_FACTOR = 1.05;

/**
 * How well each topic's records compressed so far, so a compressed batch can be declared full
 * when its records would compress to about `batch.size`, before actually compressing them.
 */
export class CompressionRatios {
  private readonly ratios = new Map<string, number>();

  estimate(topic: string, codec: CompressionName): number {
    return codec === 'none' ? 1 : (this.ratios.get(`${codec}\0${topic}`) ?? 1);
  }

  observe(topic: string, codec: CompressionName, uncompressed: number, compressed: number): void {
    if (codec === 'none' || uncompressed === 0) return;
    const key = `${codec}\0${topic}`;
    const current = this.ratios.get(key) ?? 1;
    const observed = compressed / uncompressed;
    if (observed > current) this.ratios.set(key, Math.max(current + DETERIORATING_STEP, observed));
    else if (observed < current) this.ratios.set(key, Math.max(current - IMPROVING_STEP, observed));
  }
}
