// Python's random.Random in the page, as far as the trainer needs it: the
// Mersenne Twister (CPython's _randommodule.c, word for word), getrandbits(k)
// for k <= 32, and the Fisher-Yates shuffle of micrograd_widgets/data.py's
// shuffle(). A state travels as Python's getstate() gives it: 624 words and
// the position, so the page shuffles the next epoch's batches exactly as the
// kernel would (tests/test_cross_check_trainer.py runs both).

const N = 624,
  M = 397;
const MATRIX_A = 0x9908b0df,
  UPPER = 0x80000000,
  LOWER = 0x7fffffff;

export class MersenneTwister {
  /** @param {ArrayLike<number>} state  625 words: Python's getstate()[1] */
  constructor(state) {
    if (state.length !== N + 1) throw new Error(`a Mersenne Twister state has ${N + 1} words, got ${state.length}`);
    this.mt = new Uint32Array(N);
    for (let k = 0; k < N; k++) this.mt[k] = state[k];
    this.index = state[N];
  }

  /** The state, as Python's getstate()[1] holds it. */
  state() {
    const out = new Uint32Array(N + 1);
    out.set(this.mt);
    out[N] = this.index;
    return out;
  }

  /** genrand_uint32: the next 32-bit word. */
  next() {
    const mt = this.mt;
    if (this.index >= N) {
      let kk = 0,
        y = 0;
      for (; kk < N - M; kk++) {
        y = (mt[kk] & UPPER) | (mt[kk + 1] & LOWER);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        y = (mt[kk] & UPPER) | (mt[kk + 1] & LOWER);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      y = (mt[N - 1] & UPPER) | (mt[0] & LOWER);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Python's getrandbits(k) for 1 <= k <= 32. */
  bits(k) {
    return this.next() >>> (32 - k);
  }

  /**
   * data.shuffle(rng, items): Fisher-Yates from the end, j drawn below i + 1 by rejection.
   * @template T
   * @param {T[]} items  shuffled in place
   */
  shuffle(items) {
    for (let i = items.length - 1; i > 0; i--) {
      const bound = i + 1;
      const k = 32 - Math.clz32(bound); // bound.bit_length()
      let j = this.bits(k);
      while (j >= bound) j = this.bits(k);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
  }
}
