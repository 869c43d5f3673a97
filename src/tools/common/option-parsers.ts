import { InvalidArgumentError } from 'commander';

/**
 * A commander argument parser for whole numbers in [min, max]; a bad value becomes commander's
 * one-line usage error (exit 2).
 */
export function intOption(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
    if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number');
    if (n < min || n > max) throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
    return n;
  };
}

/** Collects a repeatable option's values in order. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
